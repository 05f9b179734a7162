//! What a page of `GET /api/v1/users` costs the simulator itself, at benchmark sizes.
//!
//! ```text
//! cargo run --release -p okta-sim --example page_cost -- --users 1000000 [--samples 200] [--walk] [--latency 20]
//! ```
//!
//! Starts a simulator in this process with `--seed N` demo users and prints: seed (start-up) time and resident
//! memory; P50 / P95 of the round trip of a 200-user page (first, middle and late page, by `after` cursor) over a
//! bare keep-alive HTTP/1.1 client, so the time is the simulator's plus loopback, not a client library's, and
//! the simulator's own CPU time per page (on-CPU time of its runtime threads: stable on a busy machine);
//! `--walk` follows every `Link rel="next"` to the end; `--latency MS` then checks that injected latency is a
//! non-blocking wait: 8 parallel clients must each see about MS per request, not 8 × MS.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use okta_sim::{SimOptions, Simulator};

struct Args {
    users: usize,
    samples: usize,
    walk: bool,
    latency_ms: u64,
}

fn args() -> Args {
    let mut a = Args {
        users: 1_000_000,
        samples: 200,
        walk: false,
        latency_ms: 20,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut num = || -> usize {
            it.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{k} takes a number"))
        };
        match k.as_str() {
            "--users" => a.users = num(),
            "--samples" => a.samples = num(),
            "--latency" => a.latency_ms = num() as u64,
            "--walk" => a.walk = true,
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

/// A keep-alive HTTP/1.1 connection that reads exactly Content-Length bytes per answer.
struct Conn {
    reader: BufReader<TcpStream>,
    host: String,
    token: String,
}

struct Answer {
    status: u16,
    links: Vec<String>,
    body: Vec<u8>,
}

impl Conn {
    fn open(url: &str, token: &str) -> Conn {
        let host = url.trim_start_matches("http://").to_string();
        let s = TcpStream::connect(&host).expect("connect");
        s.set_nodelay(true).expect("nodelay");
        Conn {
            reader: BufReader::with_capacity(1 << 20, s),
            host,
            token: token.to_string(),
        }
    }

    fn send(&mut self, method: &str, path: &str, body: &str) -> Answer {
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: SSWS {}\r\nAccept: application/json\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            self.token,
            body.len()
        );
        self.reader
            .get_mut()
            .write_all(req.as_bytes())
            .expect("write");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status");
        let mut len = 0usize;
        let mut links = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("header");
            let h = line.trim_end();
            if h.is_empty() {
                break;
            }
            let (name, value) = h.split_once(':').expect("header line");
            match name.to_ascii_lowercase().as_str() {
                "content-length" => len = value.trim().parse().expect("length"),
                "link" => links.push(value.trim().to_string()),
                _ => {}
            }
        }
        let mut body = vec![0; len];
        self.reader.read_exact(&mut body).expect("body");
        Answer {
            status,
            links,
            body,
        }
    }

    fn get(&mut self, path: &str) -> Answer {
        self.send("GET", path, "")
    }
}

/// The path of the `rel="next"` link, if any.
fn next_path(links: &[String], base: &str) -> Option<String> {
    links.iter().find(|l| l.ends_with("rel=\"next\"")).map(|l| {
        l[1..l.find('>').expect("<url>")]
            .trim_start_matches(base)
            .to_string()
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// On-CPU time so far of the simulator's runtime threads (`/proc/self/task/*/schedstat`, nanoseconds): what the
/// simulator itself spent, whatever else the machine is doing.
fn server_cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(|t| t.ok())
        .filter(|t| {
            std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.starts_with("tokio-rt"))
        })
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| {
            s.split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok())
        })
        .sum()
}

/// Wall times of the samples, and the simulator's CPU time per request over them.
struct Timed {
    wall: Vec<Duration>,
    server_cpu_per_request: Duration,
}

fn report(name: &str, timed: Timed) {
    let mut times = timed.wall;
    times.sort();
    println!(
        "  {name:<26} P50 {:>7.3} ms  P95 {:>7.3} ms  max {:>7.3} ms  sim CPU {:>6.3} ms/page  (n={})",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times.last().expect("samples").as_secs_f64() * 1e3,
        timed.server_cpu_per_request.as_secs_f64() * 1e3,
        times.len()
    );
}

fn timed(samples: usize, mut one: impl FnMut() -> Duration) -> Timed {
    let cpu = server_cpu_ns();
    let wall: Vec<Duration> = (0..samples).map(|_| one()).collect();
    let per = (server_cpu_ns() - cpu) / samples.max(1) as u64;
    Timed {
        wall,
        server_cpu_per_request: Duration::from_nanos(per),
    }
}

/// Times `samples` GETs of `path`, checking each answers 200 with `expect_items` users.
fn time_page(conn: &mut Conn, path: &str, samples: usize, expect_items: usize) -> Timed {
    // Warm-up, and the one check of the answer (parsing 356 KB here would count against the simulator's CPU
    // share of the machine, not its own time, so the timed samples check only the status).
    let a = conn.get(path);
    assert_eq!(a.status, 200, "{path}");
    let items: Vec<serde_json::Value> = serde_json::from_slice(&a.body).expect("json array");
    assert_eq!(items.len(), expect_items, "{path}");
    timed(samples, || {
        let t = Instant::now();
        let a = conn.get(path);
        let d = t.elapsed();
        assert_eq!(
            (a.status, a.body.len() > 2),
            (200, expect_items > 0),
            "{path}"
        );
        d
    })
}

/// The id of the user that the page after bare sequence `seq` starts with (the cursor a client would hold).
fn user_id_after(conn: &mut Conn, seq: usize) -> String {
    let a = conn.get(&format!("/api/v1/users?limit=1&after={seq}"));
    let v: serde_json::Value = serde_json::from_slice(&a.body).expect("json");
    v[0]["id"].as_str().expect("a user").to_string()
}

fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn main() {
    let a = args();
    // The same runtime shape as the okta-sim binary.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (rss0, _) = rss_kib();
    let t = Instant::now();
    let opts = SimOptions {
        seed: Some(a.users as u64),
        seed_users: a.users,
        ..Default::default()
    };
    let sim = rt.block_on(Simulator::start(opts)).expect("simulator");
    let seed_time = t.elapsed();
    let (rss1, hwm1) = rss_kib();
    println!("okta-sim page cost, {} users", a.users);
    println!(
        "  seed time {:.2} s; resident {:.0} MiB (peak {:.0} MiB, {:.0} MiB before seeding)",
        seed_time.as_secs_f64(),
        rss1 as f64 / 1024.0,
        hwm1 as f64 / 1024.0,
        rss0 as f64 / 1024.0
    );
    let (url, token) = (sim.url().to_string(), sim.token().to_string());
    let mut conn = Conn::open(&url, &token);

    let page = 200.min(a.users);
    report(
        "first page (no cursor)",
        time_page(&mut conn, "/api/v1/users?limit=200", a.samples, page),
    );
    if a.users >= 1000 {
        let middle = user_id_after(&mut conn, a.users / 2);
        report(
            "middle page (after=id)",
            time_page(
                &mut conn,
                &format!("/api/v1/users?limit=200&after={middle}"),
                a.samples,
                200,
            ),
        );
        let late = user_id_after(&mut conn, a.users - 400);
        report(
            "late page (after=id)",
            time_page(
                &mut conn,
                &format!("/api/v1/users?limit=200&after={late}"),
                a.samples,
                200,
            ),
        );
        report(
            "search page (status eq)",
            time_page(
                &mut conn,
                "/api/v1/users?limit=200&search=status%20eq%20%22ACTIVE%22",
                a.samples.min(5),
                200,
            ),
        );
    }

    if a.walk {
        let t = Instant::now();
        let cpu = server_cpu_ns();
        let mut path = Some("/api/v1/users?limit=200".to_string());
        let (mut users, mut times) = (0usize, Vec::new());
        while let Some(p) = path {
            let t = Instant::now();
            let ans = conn.get(&p);
            times.push(t.elapsed());
            assert_eq!(ans.status, 200);
            // Each user object starts with its id, right after `[` or `,` (a nested `"type":{"id":…}` follows
            // a colon): count them without parsing the page.
            users += ans
                .body
                .windows(8)
                .filter(|w| (w[0] == b'[' || w[0] == b',') && &w[1..] == b"{\"id\":\"")
                .count();
            path = next_path(&ans.links, &url);
        }
        let per = Duration::from_nanos((server_cpu_ns() - cpu) / times.len() as u64);
        assert_eq!(users, a.users, "the walk saw every user once");
        println!(
            "  walk: {} users in {} pages, {:.2} s",
            users,
            times.len(),
            t.elapsed().as_secs_f64()
        );
        report(
            "walk page",
            Timed {
                wall: times,
                server_cpu_per_request: per,
            },
        );
    }

    if a.latency_ms > 0 {
        conn.send(
            "PUT",
            "/__sim/faults",
            &format!("{{\"latencyMs\": {}}}", a.latency_ms),
        );
        let clients = 8;
        let per_client = 10;
        let t = Instant::now();
        let cpu = server_cpu_ns();
        let threads: Vec<_> = (0..clients)
            .map(|_| {
                let (url, token) = (url.clone(), token.clone());
                std::thread::spawn(move || {
                    let mut c = Conn::open(&url, &token);
                    (0..per_client)
                        .map(|_| {
                            let t = Instant::now();
                            assert_eq!(c.get("/api/v1/users?limit=200").status, 200);
                            t.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let times: Vec<Duration> = threads
            .into_iter()
            .flat_map(|h| h.join().expect("client"))
            .collect();
        let wall = t.elapsed();
        println!(
            "  {clients} parallel clients x {per_client} pages with {} ms latency: wall {:.0} ms (serialised would be >= {} ms)",
            a.latency_ms,
            wall.as_secs_f64() * 1e3,
            clients as u64 * per_client as u64 * a.latency_ms
        );
        let per = Duration::from_nanos((server_cpu_ns() - cpu) / times.len() as u64);
        report(
            "parallel page",
            Timed {
                wall: times,
                server_cpu_per_request: per,
            },
        );
        conn.send("DELETE", "/__sim/faults", "");
    }
    rt.block_on(sim.shutdown());
}
