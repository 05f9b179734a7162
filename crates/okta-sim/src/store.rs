//! The org's state and its persistence.
//!
//! One `Mutex<Org>`, never held across an await. Every write marks the store dirty and wakes the saver task,
//! which writes the whole org to `--state FILE` atomically (temp file in the same directory, fsync, rename),
//! coalescing bursts. Shutdown saves once more, so nothing acknowledged is lost on Ctrl+C; a crash (SIGKILL)
//! leaves the last complete save, never a torn file.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use indexmap::IndexMap;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::Notify;

use crate::resources::apps::App;
use crate::resources::groups::Group;
use crate::resources::logs::LogEntry;
use crate::resources::users::User;

/// The org's random source (ids, tokens). Seeded when the simulator has a seed; not persisted.
pub struct OrgRng(pub StdRng);

impl Default for OrgRng {
    fn default() -> Self {
        OrgRng(StdRng::from_os_rng())
    }
}

#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Org {
    /// Format version of the state file.
    pub version: u32,
    /// Monotonic sequence: creation order of every record, and the cursor of paged lists.
    pub seq: u64,
    /// Users, groups and apps are each kept in creation (`seq`) order: the list pages seek through it.
    pub users: IndexMap<String, User>,
    pub groups: IndexMap<String, Group>,
    pub apps: IndexMap<String, App>,
    /// appId → userId → AppUser JSON.
    pub app_users: IndexMap<String, IndexMap<String, Value>>,
    /// appId → groupId → ApplicationGroupAssignment JSON.
    pub app_groups: IndexMap<String, IndexMap<String, Value>>,
    pub logs: Vec<LogEntry>,
    /// Event hooks, stored as their JSON without `_links`.
    pub hooks: IndexMap<String, Value>,
    /// Generic collections: concrete collection path → id → stored JSON.
    pub generic: BTreeMap<String, IndexMap<String, Value>>,
    /// Generic single objects by concrete path.
    pub singletons: BTreeMap<String, Value>,
    /// Sequence numbers of deleted records, so an `after` cursor naming one still resolves.
    #[serde(skip)]
    pub tombstones: HashMap<String, u64>,
    #[serde(skip)]
    pub rng: OrgRng,
    /// Event hook deliveries waiting to be sent (hook JSON, event), drained after each request.
    #[serde(skip)]
    pub hook_outbox: Vec<(Value, Value)>,
}

pub const STATE_VERSION: u32 = 1;

impl Org {
    /// Puts users, groups and apps back in creation (`seq`) order, which the list pages seek through
    /// ([`crate::paging::first_after`]). Everything the simulator writes is already in that order; a state file
    /// edited by hand may not be. Stable, and linear when already sorted.
    pub fn restore_creation_order(&mut self) {
        self.users.sort_by(|_, a, _, b| a.seq.cmp(&b.seq));
        self.groups.sort_by(|_, a, _, b| a.seq.cmp(&b.seq));
        self.apps.sort_by(|_, a, _, b| a.seq.cmp(&b.seq));
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn new_id(&mut self, prefix: &str) -> String {
        loop {
            let id = crate::util::okta_id(&mut self.rng.0, prefix);
            if !self.users.contains_key(&id)
                && !self.groups.contains_key(&id)
                && !self.apps.contains_key(&id)
            {
                return id;
            }
        }
    }

    pub fn random_string(&mut self, n: usize) -> String {
        crate::util::random_alnum(&mut self.rng.0, n)
    }

    pub fn seed_rng(&mut self, seed: u64) {
        self.rng = OrgRng(StdRng::seed_from_u64(seed ^ self.seq.rotate_left(17)));
    }
}

pub struct Store {
    org: Mutex<Org>,
    path: Option<PathBuf>,
    dirty: AtomicBool,
    notify: Notify,
    saves: AtomicU64,
    /// One save at a time (they share the temp file name).
    save_lock: Mutex<()>,
}

impl Store {
    /// Opens the store: loads `path` if it exists (an unreadable file is an error, not silently replaced).
    pub fn open(path: Option<PathBuf>) -> Result<(Store, bool), String> {
        let mut loaded = false;
        let org = match &path {
            Some(p) if p.exists() => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| format!("cannot read state file {}: {e}", p.display()))?;
                if text.trim().is_empty() {
                    Org::default()
                } else {
                    loaded = true;
                    let mut org = serde_json::from_str::<Org>(&text).map_err(|e| {
                        format!(
                            "state file {} is not a valid okta-sim state: {e}",
                            p.display()
                        )
                    })?;
                    org.restore_creation_order();
                    org
                }
            }
            _ => Org::default(),
        };
        Ok((
            Store {
                org: Mutex::new(org),
                path,
                dirty: AtomicBool::new(false),
                notify: Notify::new(),
                saves: AtomicU64::new(0),
                save_lock: Mutex::new(()),
            },
            loaded,
        ))
    }

    fn lock(&self) -> MutexGuard<'_, Org> {
        // A panic in a handler must not take the org down with it.
        self.org.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn read<R>(&self, f: impl FnOnce(&Org) -> R) -> R {
        f(&self.lock())
    }

    /// Mutates in-memory-only parts (not persisted), without marking the state dirty.
    pub fn read_mut_quiet<R>(&self, f: impl FnOnce(&mut Org) -> R) -> R {
        f(&mut self.lock())
    }

    /// Runs a mutation; marks the state dirty so the saver writes it.
    pub fn write<R>(&self, f: impl FnOnce(&mut Org) -> R) -> R {
        let r = f(&mut self.lock());
        self.mark_dirty();
        r
    }

    pub fn mark_dirty(&self) {
        if self.path.is_some() {
            self.dirty.store(true, Ordering::SeqCst);
            self.notify.notify_one();
        }
    }

    pub fn save_count(&self) -> u64 {
        self.saves.load(Ordering::SeqCst)
    }

    /// Writes the org now if it changed since the last save.
    pub fn save_if_dirty(&self) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let _one_at_a_time = self.save_lock.lock().unwrap_or_else(|p| p.into_inner());
        if !self.dirty.swap(false, Ordering::SeqCst) {
            return Ok(());
        }
        let bytes = {
            let mut org = self.lock();
            org.version = STATE_VERSION;
            serde_json::to_vec_pretty(&*org).map_err(std::io::Error::other)?
        };
        let r = write_atomic(path, &bytes);
        if r.is_err() {
            self.dirty.store(true, Ordering::SeqCst);
        } else {
            self.saves.fetch_add(1, Ordering::SeqCst);
        }
        r
    }

    /// The saver task: waits for changes, lets a burst settle briefly, saves.
    pub async fn run_saver(self: std::sync::Arc<Self>) {
        if self.path.is_none() {
            return;
        }
        loop {
            self.notify.notified().await;
            tokio::time::sleep(Duration::from_millis(25)).await;
            let me = self.clone();
            let r = tokio::task::spawn_blocking(move || me.save_if_dirty()).await;
            if let Ok(Err(e)) = r {
                eprintln!("okta-sim: saving state failed: {e}");
            }
        }
    }
}

/// Writes `bytes` to `path` so that readers see either the old or the new content, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("state.json");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn concurrent_saves_leave_a_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let (store, loaded) = Store::open(Some(path.clone())).unwrap();
        assert!(!loaded);
        let store = Arc::new(store);
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let s = store.clone();
                std::thread::spawn(move || {
                    for i in 0..50 {
                        s.write(|o| {
                            o.singletons
                                .insert(format!("/t{t}/{i}"), serde_json::json!({"n": i}));
                        });
                        s.save_if_dirty().unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        store.save_if_dirty().unwrap();
        let org: Org = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(org.singletons.len(), 200);
        assert_eq!(org.version, STATE_VERSION);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name() != "s.json")
            .collect();
        assert!(leftovers.is_empty(), "temp files left behind");
        let (again, loaded) = Store::open(Some(path)).unwrap();
        assert!(loaded);
        assert_eq!(again.read(|o| o.singletons.len()), 200);
    }
}
