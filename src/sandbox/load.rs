//! A bounded HTTP load generator: N client threads against one address,
//! half on keep-alive connections and half on a fresh connection per
//! request; counts successes and failures and stops itself at a request
//! count or a time limit.
//!
//! As HTTP clients do (RFC 9112 §9.3.1), a request on a reused keep-alive
//! connection that the server closed before sending any byte is retried
//! once on a new connection; such retries are counted separately. A
//! `Connection: close` answer ends the connection, as in any HTTP client.
//! A keep-alive connection carries at most [`REQUESTS_PER_CONNECTION`]
//! requests (as nginx's `keepalive_requests`): an HAProxy worker replaced by
//! a reload exits once its connections end, and marathon-lb's drain check
//! waits for that.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Requests on one keep-alive connection before it is closed.
pub const REQUESTS_PER_CONNECTION: u32 = 50;

/// What the clients saw.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    /// 2xx answers.
    pub ok: u64,
    /// Errors and non-2xx answers.
    pub failed: u64,
    /// Requests resent after an idle keep-alive connection was closed.
    pub retried: u64,
    /// Answers per app id.
    pub by_app: BTreeMap<String, u64>,
    /// Answers per release (the task's `release` field, from `VERSION`),
    /// for answers that name one.
    pub by_release: BTreeMap<String, u64>,
    /// The first few failures.
    pub errors: Vec<String>,
    /// Connections opened (one per request on the clients without
    /// keep-alive).
    pub connections: u64,
    /// How long the load ran.
    pub elapsed: Duration,
}

impl Counts {
    fn merge(&mut self, other: Counts) {
        self.ok += other.ok;
        self.failed += other.failed;
        self.retried += other.retried;
        self.connections += other.connections;
        for (k, v) in other.by_app {
            *self.by_app.entry(k).or_default() += v;
        }
        for (k, v) in other.by_release {
            *self.by_release.entry(k).or_default() += v;
        }
        self.errors.extend(other.errors.into_iter().take(5));
    }
}

/// Who answered one request.
struct Answer {
    /// The app id.
    app: String,
    /// The release, when the task names one.
    release: Option<String>,
}

/// Running load.
pub struct Load {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<Counts>>,
    started: Instant,
}

enum Failure {
    /// Closed before any byte of the answer on a reused connection.
    IdleClose,
    Other(String),
}

/// Status, app id, and whether the server asked to close the connection.
fn request(
    stream: &mut TcpStream,
    keep_alive: bool,
    reused: bool,
) -> Result<(u16, Answer, bool), Failure> {
    let connection = if keep_alive { "keep-alive" } else { "close" };
    let req = format!("GET / HTTP/1.1\r\nHost: load\r\nConnection: {connection}\r\n\r\n");
    let other = |e: std::io::Error| Failure::Other(e.to_string());
    if let Err(e) = stream.write_all(req.as_bytes()) {
        return Err(if reused { Failure::IdleClose } else { other(e) });
    }
    let mut reader = BufReader::new(stream.try_clone().map_err(other)?);
    let mut status_line = String::new();
    match reader.read_line(&mut status_line) {
        Ok(0) if reused => return Err(Failure::IdleClose),
        Err(e) if reused && e.kind() == std::io::ErrorKind::ConnectionReset => {
            return Err(Failure::IdleClose);
        }
        Ok(0) => return Err(Failure::Other("closed before answering".into())),
        Err(e) => return Err(other(e)),
        Ok(_) => {}
    }
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0usize;
    let mut close = false;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).map_err(other)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if lower.starts_with("connection:") && lower.contains("close") {
            close = true;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(other)?;
    let text = String::from_utf8_lossy(&body).to_string();
    let json = serde_json::from_str::<serde_json::Value>(&text).ok();
    let field = |names: &[&str]| {
        let json = json.as_ref()?;
        names
            .iter()
            .find_map(|n| json.get(*n).and_then(|a| a.as_str()))
            .map(str::to_string)
    };
    let answer = Answer {
        app: field(&["app", "appId"]).unwrap_or(text.chars().take(40).collect()),
        release: field(&["release"]).filter(|r| !r.is_empty()),
    };
    Ok((status, answer, close))
}

fn client(
    addr: SocketAddr,
    keep_alive: bool,
    stop: &AtomicBool,
    deadline: Instant,
    max: u64,
) -> Counts {
    let mut counts = Counts::default();
    let mut conn: Option<TcpStream> = None;
    let mut used = 0;
    let connect = || {
        let s = TcpStream::connect_timeout(&addr, Duration::from_secs(3))?;
        s.set_read_timeout(Some(Duration::from_secs(10)))?;
        Ok::<_, std::io::Error>(s)
    };
    while !stop.load(Ordering::SeqCst)
        && Instant::now() < deadline
        && counts.ok + counts.failed < max
    {
        let mut attempt = 0;
        let result = loop {
            let reused = conn.is_some();
            let stream = match conn.take() {
                Some(s) => s,
                None => match connect() {
                    Ok(s) => {
                        counts.connections += 1;
                        s
                    }
                    Err(e) => break Err(e.to_string()),
                },
            };
            let mut stream = stream;
            match request(&mut stream, keep_alive, reused) {
                Ok((status, answer, close)) => {
                    used = if reused { used + 1 } else { 1 };
                    if keep_alive && !close && used < REQUESTS_PER_CONNECTION {
                        conn = Some(stream);
                    }
                    break Ok((status, answer));
                }
                Err(Failure::IdleClose) if attempt == 0 => {
                    attempt += 1;
                    counts.retried += 1;
                }
                Err(Failure::IdleClose) => break Err("closed before answering".into()),
                Err(Failure::Other(e)) => break Err(e),
            }
        };
        match result {
            Ok((status, answer)) if (200..300).contains(&status) => {
                counts.ok += 1;
                *counts.by_app.entry(answer.app).or_default() += 1;
                if let Some(release) = answer.release {
                    *counts.by_release.entry(release).or_default() += 1;
                }
            }
            Ok((status, _)) => {
                counts.failed += 1;
                if counts.errors.len() < 5 {
                    counts.errors.push(format!("HTTP {status}"));
                }
                conn = None;
            }
            Err(e) => {
                counts.failed += 1;
                if counts.errors.len() < 5 {
                    counts.errors.push(e);
                }
                conn = None;
            }
        }
        thread::sleep(Duration::from_millis(5));
    }
    counts
}

impl Load {
    /// Starts `threads` clients (even ones keep-alive) for at most `limit`
    /// and `max_requests` requests each.
    pub fn start(addr: SocketAddr, threads: usize, limit: Duration, max_requests: u64) -> Self {
        let started = Instant::now();
        let stop = Arc::new(AtomicBool::new(false));
        let deadline = Instant::now() + limit;
        let threads = (0..threads)
            .map(|i| {
                let stop = stop.clone();
                thread::spawn(move || client(addr, i % 2 == 0, &stop, deadline, max_requests))
            })
            .collect();
        Self {
            stop,
            threads,
            started,
        }
    }

    /// Stops the clients and sums what they saw.
    pub fn stop(self) -> Counts {
        self.stop.store(true, Ordering::SeqCst);
        self.finish()
    }

    /// Waits until every client reached its limit and sums what they saw.
    pub fn finish(self) -> Counts {
        let mut total = Counts::default();
        for t in self.threads {
            if let Ok(c) = t.join() {
                total.merge(c);
            }
        }
        total.elapsed = self.started.elapsed();
        total
    }
}
