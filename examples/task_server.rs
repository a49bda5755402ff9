//! The process the Marathon simulator runs for every task (`src/sandbox/marathon`).
//!
//! A tiny HTTP/1.1 server, std only, on `127.0.0.1:$PORT0`, one thread per
//! connection with keep-alive. It reads the environment Marathon gives a task:
//!
//! * any path → 200 with a JSON line naming `$MARATHON_APP_ID`, `$MESOS_TASK_ID`
//!   and `$MARATHON_APP_VERSION`, so tests can tell blue from green by response;
//! * `/health` → 200 `ok`, or 503 when `TASK_HEALTH=fail` or when any file in
//!   the `:`-separated `TASK_HEALTH_FILES` contains `fail` (the simulator writes
//!   these files to flip health at run time);
//! * `/env/<NAME>` → the value of the environment variable, or 404;
//! * `/metrics` → Prometheus text with the gauge `pending_operations`, read from
//!   the file `TASK_PENDING_FILE` (default 0), and the gauge `open_connections`:
//!   the connections open to this task other than the one asking, so that
//!   it reads 0 only when no HAProxy process (old or new) holds one.
//!
//! `TASK_START_DELAY_MS` delays binding the port (the task stays `TASK_STAGING`).
//! std has no signal handling, so SIGTERM ends the process at once. The process
//! also exits when its parent (the test binary) dies, so no task outlives a
//! killed test run.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use std::{env, fs, thread};

fn main() {
    let port = env::var("PORT0").expect("PORT0 must be set");
    exit_with_parent();
    if let Some(ms) = env::var("TASK_START_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        thread::sleep(Duration::from_millis(ms));
    }
    let listener = TcpListener::bind(("127.0.0.1", port.parse::<u16>().expect("PORT0 is a port")))
        .expect("bind 127.0.0.1:$PORT0");
    for stream in listener.incoming().flatten() {
        OPEN_CONNECTIONS.fetch_add(1, Ordering::SeqCst);
        thread::spawn(move || {
            serve(stream);
            OPEN_CONNECTIONS.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// Connections accepted and not yet closed.
static OPEN_CONNECTIONS: AtomicU64 = AtomicU64::new(0);

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
fn serve(stream: TcpStream) {
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
        let (status, content_type, body) = respond(&path);
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
fn respond(path: &str) -> (&'static str, &'static str, String) {
    let path = path.split('?').next().unwrap_or(path);
    match path {
        "/health" if healthy() => ("200 OK", "text/plain", "ok\n".to_owned()),
        "/health" => (
            "503 Service Unavailable",
            "text/plain",
            "unhealthy\n".to_owned(),
        ),
        "/metrics" => {
            let pending = env::var("TASK_PENDING_FILE")
                .ok()
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
        _ if path.starts_with("/env/") => match env::var(&path["/env/".len()..]) {
            Ok(value) => ("200 OK", "text/plain", value),
            Err(_) => ("404 Not Found", "text/plain", String::new()),
        },
        _ => {
            let field = |name: &str| json_string(&env::var(name).unwrap_or_default());
            let body = format!(
                "{{\"app\":{},\"task\":{},\"version\":{},\"path\":{}}}\n",
                field("MARATHON_APP_ID"),
                field("MESOS_TASK_ID"),
                field("MARATHON_APP_VERSION"),
                json_string(path),
            );
            ("200 OK", "application/json", body)
        }
    }
}

/// False when `TASK_HEALTH=fail` or a file named in `TASK_HEALTH_FILES` says `fail`.
fn healthy() -> bool {
    if env::var("TASK_HEALTH").is_ok_and(|v| v == "fail") {
        return false;
    }
    let files = env::var("TASK_HEALTH_FILES").unwrap_or_default();
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
