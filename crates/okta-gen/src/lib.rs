//! okta-gen: reads `api/` (Okta's Management API facts, the official module's command surface, and our
//! overrides/views/examples) and writes every generated file of the project. Generated files carry `.g.` in
//! their names and a header naming this generator; nothing else writes them, and no hand-written code lives in
//! them. `tests/fresh.rs` fails when a committed file differs from what this crate generates.

pub mod compat;
pub mod emit;
pub mod facts;
pub mod naming;
pub mod overrides;
pub mod surface;

use std::collections::BTreeMap;
use std::path::Path;

fn read_json<T: serde::de::DeserializeOwned>(root: &Path, relative: &str) -> Result<T, String> {
    let path = root.join(relative);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Every generated file: path relative to `root` → content.
pub fn generate(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let facts: facts::Facts = read_json(root, "api/okta-management.facts.json")?;
    let oauth: facts::Facts = read_json(root, "api/okta-oauth.facts.json")?;
    let compat: compat::Compat = read_json(root, "api/okta-powershell-cli-2.0.2-commands.json")?;
    let overrides: overrides::Overrides = read_json(root, "api/overrides.json")?;
    let views: BTreeMap<String, emit::format::View> = read_json(root, "api/format-views.json")?;
    let examples: emit::help::CuratedExamples = read_json(root, "api/help-examples.json")?;

    let surface = surface::build(&facts, &compat, &overrides)?;
    for command in examples.by_command.keys() {
        let known = command == "Invoke-OktaApiRequest"
            || surface.api.iter().any(|c| &c.name == command)
            || surface.models.iter().any(|m| &m.builder_name() == command);
        if !known {
            return Err(format!("api/help-examples.json: no generated command {command}"));
        }
    }

    let mut files = BTreeMap::new();
    files.extend(emit::csharp::api_files(&surface));
    files.extend(emit::csharp::model_files(&surface));
    files.insert("powershell/Generated/OktaCatalog.g.cs".into(), emit::csharp::catalog_file(&surface));
    files.insert("powershell/Generated/Converters.g.cs".into(), emit::csharp::converters_file(&surface));
    files.insert("powershell/Generated/en-US/Okta.PowerShell.g.dll-Help.xml".into(), emit::help::maml_api(&surface, &examples));
    files.insert("powershell/Generated/en-US/Okta.PowerShell.Models.g.dll-Help.xml".into(), emit::help::maml_models(&surface, &examples));
    files.insert("powershell/Generated/Okta.PowerShell.g.format.ps1xml".into(), emit::format::format_file(&views)?);
    files.insert("powershell/Generated/inventory.g.json".into(), emit::inventory::inventory(&surface));
    files.extend(emit::markdown::command_pages(&surface, &examples));
    files.insert("crates/okta-sim/data/routes.g.tsv".into(), emit::routes::routes_file(&[("mgmt", &facts), ("oauth", &oauth)]));
    Ok(files)
}

/// The folders whose `.g.` files belong to this generator (a generated file that is no longer produced is stale).
pub const GENERATED_DIRS: &[&str] = &["powershell/Generated", "docs/commands"];

/// Paths under [`GENERATED_DIRS`] that exist on disk but are not generated any more.
pub fn orphans(root: &Path, files: &BTreeMap<String, String>) -> Vec<String> {
    let mut found = Vec::new();
    for dir in GENERATED_DIRS {
        collect(&root.join(dir), root, &mut found);
    }
    // generated files are marked .g., except the command reference, whose folder is all generated
    found.retain(|path| (path.contains(".g.") || path.starts_with("docs/commands/")) && !files.contains_key(path));
    found
}

fn collect(dir: &Path, root: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, root, out);
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}
