//! The process the Marathon simulator runs for every task: `dcos-lb
//! sandbox-task`, a hidden subcommand, so the sandbox needs nothing but the
//! `dcos-lb` binary.
//!
//! A tiny HTTP/1.1 server, std only, on `127.0.0.1:$PORT0`, one thread per
//! connection with keep-alive. It reads the environment Marathon gives a task:
//!
//! * any path → 200 with a JSON line naming `$MARATHON_APP_ID`, `$MESOS_TASK_ID`
//!   and `$MARATHON_APP_VERSION`, so one can tell blue from green by response;
//! * `/health` → 200 `ok`, or 503 when `TASK_HEALTH=fail` or when any file in
//!   the `:`-separated `TASK_HEALTH_FILES` contains `fail` (the simulator writes
//!   these files to flip health at run time);
//! * `/env/<NAME>` → the value of the environment variable, or 404;
//! * `/metrics` → Prometheus text with the gauge `pending_operations`, read from
//!   the file `TASK_PENDING_FILE` (default 0), and the gauge `open_connections`:
//!   the connections open to this task other than the one asking, so that
//!   it reads 0 only when no HAProxy process (old or new) holds one.
//!
//! A release can be told to misbehave, to rehearse a bad one: each setting
//! comes from the app's `env`, or from its label of the same name (Marathon
//! passes labels as `MARATHON_APP_LABEL_<NAME>`), and applies to every path
//! but `/health`, `/metrics` and `/env/`:
//!
//! * `VERSION` → the `release` field of the JSON line (empty when unset);
//! * `SANDBOX_FAIL_PERCENT=N` → N of every 100 requests, spread evenly,
//!   answer `SANDBOX_FAIL_STATUS` (502, 503 or 504; any other value or none
//!   is 500);
//! * `SANDBOX_LATENCY_MS=N` → every answer waits N ms first;
//! * `SANDBOX_CRASH_AFTER=N` → the process exits (code 1) at request N+1,
//!   which then gets no answer.
//!
//! `TASK_START_DELAY_MS` delays binding the port (the task stays `TASK_STAGING`).
//! SIGTERM ends the process at once (no handler is installed). The process
//! also exits when its parent (the simulator) dies, so no task outlives it.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use std::{fs, thread};

use crate::env::Env;

/// Serves on `127.0.0.1:$PORT0` until the process is killed or its parent
/// dies; an error only when `PORT0` is missing or cannot be bound.
pub fn run(env: &Env) -> io::Result<()> {
    let port: u16 = env
        .get("PORT0")
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| io::Error::other("PORT0 must be set to a port, as Marathon sets it"))?;
    exit_with_parent();
    if let Some(ms) = env.get("TASK_START_DELAY_MS").and_then(|v| v.parse().ok()) {
        thread::sleep(Duration::from_millis(ms));
    }
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let env = Arc::new(env.clone());
    for stream in listener.incoming().flatten() {
        OPEN_CONNECTIONS.fetch_add(1, Ordering::SeqCst);
        let env = env.clone();
        thread::spawn(move || {
            serve(&env, stream);
            OPEN_CONNECTIONS.fetch_sub(1, Ordering::SeqCst);
        });
    }
    Ok(())
}

/// Connections accepted and not yet closed.
static OPEN_CONNECTIONS: AtomicU64 = AtomicU64::new(0);

/// Requests answered on the user paths (the fault settings count them).
static SERVED: AtomicU64 = AtomicU64::new(0);

/// A setting from the app's `env`, else from its label of that name.
fn setting<'e>(env: &'e Env, name: &str) -> Option<&'e str> {
    env.get(name)
        .or_else(|| env.get(&format!("MARATHON_APP_LABEL_{name}")))
}

fn number(env: &Env, name: &str) -> Option<u64> {
    setting(env, name).and_then(|v| v.trim().parse().ok())
}

/// Whether the `n`-th user request (from 0) fails: `percent` of every 100,
/// spread evenly (request n fails when it moves n·p/100 to the next whole).
fn fails(n: u64, percent: u64) -> bool {
    let p = percent.min(100);
    (n + 1) * p / 100 > n * p / 100
}

/// Exits once the parent process is gone (this process gets re-parented).
fn exit_with_parent() {
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        thread::spawn(move || {
            loop {
                thread::sleep(Duration::from_millis(200));
                if std::os::unix::process::parent_id() != parent {
                    std::process::exit(0);
                }
            }
        });
    }
}

/// Answers requests on one connection until the client closes it or asks to.
fn serve(env: &Env, stream: TcpStream) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("").to_owned();
        let path = parts.next().unwrap_or("/").to_owned();
        let mut keep_alive = parts.next() == Some("HTTP/1.1");
        let mut content_length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                content_length = value.parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("connection") {
                keep_alive = !value.eq_ignore_ascii_case("close");
            }
        }
        let mut body = vec![0; content_length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let (status, content_type, body) = respond(env, &path);
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{}\r\n",
            body.len(),
            if keep_alive {
                ""
            } else {
                "Connection: close\r\n"
            },
        );
        let payload = if method == "HEAD" {
            String::new()
        } else {
            body
        };
        if writer.write_all(head.as_bytes()).is_err()
            || writer.write_all(payload.as_bytes()).is_err()
            || !keep_alive
        {
            return;
        }
    }
}

/// Status line, content type and body for a request path.
fn respond(env: &Env, path: &str) -> (&'static str, &'static str, String) {
    let path = path.split('?').next().unwrap_or(path);
    match path {
        "/health" if healthy(env) => ("200 OK", "text/plain", "ok\n".to_owned()),
        "/health" => (
            "503 Service Unavailable",
            "text/plain",
            "unhealthy\n".to_owned(),
        ),
        "/metrics" => {
            let pending = env
                .get("TASK_PENDING_FILE")
                .and_then(|file| fs::read_to_string(file).ok())
                .and_then(|text| text.trim().parse::<u64>().ok())
                .unwrap_or(0);
            let others = OPEN_CONNECTIONS.load(Ordering::SeqCst).saturating_sub(1);
            let body = format!(
                "# HELP pending_operations Operations not yet finished.\n\
                 # TYPE pending_operations gauge\npending_operations {pending}\n\
                 # HELP open_connections Connections open to this task but the one asking.\n\
                 # TYPE open_connections gauge\nopen_connections {others}\n"
            );
            ("200 OK", "text/plain; version=0.0.4", body)
        }
        _ if path.starts_with("/env/") => match env.get(&path["/env/".len()..]) {
            Some(value) => ("200 OK", "text/plain", value.to_string()),
            None => ("404 Not Found", "text/plain", String::new()),
        },
        _ => {
            let n = SERVED.fetch_add(1, Ordering::SeqCst);
            if number(env, "SANDBOX_CRASH_AFTER").is_some_and(|after| n >= after) {
                std::process::exit(1);
            }
            if let Some(ms) = number(env, "SANDBOX_LATENCY_MS") {
                thread::sleep(Duration::from_millis(ms));
            }
            let field = |name: &str| json_string(env.get(name).unwrap_or_default());
            let body = format!(
                "{{\"app\":{},\"task\":{},\"version\":{},\"release\":{},\"path\":{}}}\n",
                field("MARATHON_APP_ID"),
                field("MESOS_TASK_ID"),
                field("MARATHON_APP_VERSION"),
                json_string(setting(env, "VERSION").unwrap_or_default()),
                json_string(path),
            );
            match number(env, "SANDBOX_FAIL_PERCENT") {
                Some(percent) if fails(n, percent) => {
                    let status = match number(env, "SANDBOX_FAIL_STATUS") {
                        Some(502) => "502 Bad Gateway",
                        Some(503) => "503 Service Unavailable",
                        Some(504) => "504 Gateway Timeout",
                        _ => "500 Internal Server Error",
                    };
                    (status, "application/json", body)
                }
                _ => ("200 OK", "application/json", body),
            }
        }
    }
}

/// False when `TASK_HEALTH=fail` or a file named in `TASK_HEALTH_FILES` says `fail`.
fn healthy(env: &Env) -> bool {
    if env.get("TASK_HEALTH") == Some("fail") {
        return false;
    }
    let files = env.get("TASK_HEALTH_FILES").unwrap_or_default();
    !files
        .split(':')
        .filter(|file| !file.is_empty())
        .any(|file| fs::read_to_string(file).is_ok_and(|text| text.trim() == "fail"))
}

/// A JSON string literal for `text`.
fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::fails;

    #[test]
    fn a_fail_percent_fails_that_many_of_every_hundred_spread_evenly() {
        for percent in [0, 1, 25, 50, 99, 100] {
            let failed = (0..200).filter(|n| fails(*n, percent)).count() as u64;
            assert_eq!(failed, 2 * percent, "{percent}%");
        }
        let first_ten: Vec<bool> = (0..10).map(|n| fails(n, 50)).collect();
        assert_eq!(
            first_ten,
            [
                false, true, false, true, false, true, false, true, false, true
            ]
        );
    }
}
