//! How long an HAProxy worker replaced by a reload may still send requests
//! to a server, read from the running config (`/_haproxy_getconfig`, which
//! does not fork). After a reload the old worker stops accepting, closes
//! its idle connections and finishes what it has; nothing else ends it
//! unless `hard-stop-after` is set. So for `mode http` the last request it
//! can send to a server is bounded by the phases of one request, each
//! bounded by its timeout: a keep-alive connection that was idle at the
//! reload (`timeout http-keep-alive`), the request's headers
//! (`timeout http-request`), the queue when servers have a `maxconn`
//! (`timeout queue`), every connect attempt (`timeout connect` ×
//! (`retries` + 1)) and the answer (`timeout server`). A `mode tcp`
//! connection has no such bound: it lives as long as its two ends keep it
//! busy. This is an upper bound under one assumption, written in README:
//! no request runs longer than these timeouts allow (no WebSocket or
//! streaming answers through the backend).

use std::collections::BTreeMap;
use std::time::Duration;

/// The bound for one backend on one LB, with its derivation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Horizon {
    /// How long after the reload that took a server out of service an
    /// older worker may still send to it.
    pub bound: Duration,
    /// How the bound was made, for the user.
    pub why: String,
}

/// Why no bound exists, for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unbounded(pub String);

/// One section's settings that matter here.
#[derive(Debug, Clone, Default)]
struct Section {
    mode: Option<String>,
    timeouts: BTreeMap<String, Duration>,
    retries: Option<u32>,
    server_maxconn: bool,
}

/// The bound for `backend` in the running `config`. A backend the config
/// does not have yet gets the bound of the `defaults` section as `mode
/// http` would: no older worker can send to its servers anyway.
pub fn horizon(config: &str, backend: &str) -> Result<Horizon, Unbounded> {
    let (hard_stop, defaults, found) = read(config, backend);
    let mut section = defaults.clone();
    if let Some(b) = &found {
        section.mode = b.mode.clone().or(section.mode);
        section.timeouts.extend(b.timeouts.clone());
        section.retries = b.retries.or(section.retries);
        section.server_maxconn = b.server_maxconn;
    }
    let http = found.is_none() || section.mode.as_deref() == Some("http");
    let by_request = if http {
        request_bound(&section)
    } else {
        Err(format!(
            "backend {backend} is mode {}: an older HAProxy worker keeps its connections as long as \
             they are busy",
            section.mode.as_deref().unwrap_or("tcp")
        ))
    };
    match (by_request, hard_stop) {
        (Ok(h), Some(stop)) if stop < h.bound => Ok(hard_stop_horizon(stop)),
        (Ok(h), _) => Ok(h),
        (Err(_), Some(stop)) => Ok(hard_stop_horizon(stop)),
        (Err(why), None) => Err(Unbounded(format!(
            "{why}, and the config sets no hard-stop-after"
        ))),
    }
}

fn hard_stop_horizon(stop: Duration) -> Horizon {
    Horizon {
        bound: stop,
        why: format!("hard-stop-after {}", seconds(stop)),
    }
}

fn request_bound(s: &Section) -> Result<Horizon, String> {
    let get = |name: &str| s.timeouts.get(name).copied();
    let client = get("client");
    let http_request = get("http-request").or(client);
    let keep_alive = get("http-keep-alive").or(http_request);
    let missing = |name: &str| format!("the config sets no timeout {name}");
    let keep_alive =
        keep_alive.ok_or_else(|| missing("http-keep-alive (nor http-request, client)"))?;
    let http_request = http_request.ok_or_else(|| missing("http-request (nor client)"))?;
    let connect = get("connect").ok_or_else(|| missing("connect"))?;
    let server = get("server").ok_or_else(|| missing("server"))?;
    let attempts = s.retries.unwrap_or(3) + 1;
    let queue = if s.server_maxconn {
        get("queue").or(Some(connect))
    } else {
        None
    };
    let mut bound = keep_alive + http_request + connect * attempts + server;
    let mut why = format!(
        "timeout http-keep-alive {} + http-request {}",
        seconds(keep_alive),
        seconds(http_request)
    );
    if let Some(q) = queue {
        bound += q;
        why.push_str(&format!(" + queue {}", seconds(q)));
    }
    why.push_str(&format!(
        " + {attempts} × connect {} + server {} = {}",
        seconds(connect),
        seconds(server),
        seconds(bound)
    ));
    Ok(Horizon { bound, why })
}

/// `global`'s hard-stop-after, the `defaults` section, and `backend`'s.
fn read(config: &str, backend: &str) -> (Option<Duration>, Section, Option<Section>) {
    let mut hard_stop = None;
    let mut defaults = Section::default();
    let mut found: Option<Section> = None;
    #[derive(PartialEq)]
    enum In {
        Global,
        Defaults,
        Wanted,
        Other,
    }
    let mut now = In::Other;
    for line in config.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = words.first() else { continue };
        if first.starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            now = match (*first, words.get(1)) {
                ("global", _) => In::Global,
                ("defaults", _) => In::Defaults,
                ("backend" | "listen", Some(name)) if *name == backend => {
                    found = Some(Section::default());
                    In::Wanted
                }
                _ => In::Other,
            };
            continue;
        }
        let section = match now {
            In::Global => {
                if *first == "hard-stop-after" {
                    hard_stop = words.get(1).and_then(|t| duration(t));
                }
                continue;
            }
            In::Defaults => &mut defaults,
            In::Wanted => found.as_mut().expect("set on entering the backend"),
            In::Other => continue,
        };
        match (*first, words.get(1), words.get(2)) {
            ("mode", Some(mode), _) => section.mode = Some((*mode).to_string()),
            ("retries", Some(n), _) => section.retries = n.parse().ok(),
            ("timeout", Some(name), Some(value)) => {
                if let Some(d) = duration(value) {
                    section.timeouts.insert((*name).to_string(), d);
                }
            }
            ("server", ..) if words.contains(&"maxconn") => section.server_maxconn = true,
            _ => {}
        }
    }
    (hard_stop, defaults, found)
}

/// HAProxy's time format: a number with `us`, `ms`, `s`, `m`, `h` or `d`,
/// milliseconds when bare.
fn duration(text: &str) -> Option<Duration> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number.parse().ok()?;
    Some(match unit {
        "us" => Duration::from_micros(n),
        "" | "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n * 60),
        "h" => Duration::from_secs(n * 3_600),
        "d" => Duration::from_secs(n * 86_400),
        _ => return None,
    })
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// marathon-lb 1.15's defaults section (config.py's HAPROXY_HEAD) and
    /// backends as its templates write them.
    const MARATHON_LB: &str = "global\n  maxconn 50000\ndefaults\n  retries                   3\n  \
        timeout connect          3s\n  timeout client          30s\n  timeout server          30s\n  \
        timeout tunnel        3600s\n  timeout http-keep-alive  1s\n  timeout http-request    15s\n  \
        timeout queue           30s\n  timeout tarpit          60s\n\
        backend web_10000\n  balance roundrobin\n  mode http\n  server a 10.0.0.1:31000 check\n\
        backend raw_10001\n  balance roundrobin\n  mode tcp\n  server b 10.0.0.1:31001\n";

    #[test]
    fn http_backends_are_bounded_by_one_requests_timeouts() {
        let h = horizon(MARATHON_LB, "web_10000").unwrap();
        assert_eq!(h.bound, Duration::from_secs(1 + 15 + 4 * 3 + 30));
        assert_eq!(
            h.why,
            "timeout http-keep-alive 1 s + http-request 15 s + 4 × connect 3 s + server 30 s = 58 s"
        );
    }

    #[test]
    fn a_server_maxconn_adds_the_queue() {
        let cfg = MARATHON_LB.replace("check\n", "check maxconn 10\n");
        assert_eq!(
            horizon(&cfg, "web_10000").unwrap().bound,
            Duration::from_secs(58 + 30)
        );
    }

    #[test]
    fn backend_settings_beat_the_defaults() {
        let cfg = MARATHON_LB.replace(
            "  mode http\n",
            "  mode http\n  timeout server 500ms\n  retries 0\n",
        );
        let h = horizon(&cfg, "web_10000").unwrap();
        assert_eq!(h.bound, Duration::from_millis(1_000 + 15_000 + 3_000 + 500));
        assert!(
            h.why.contains("1 × connect 3 s + server 0.5 s"),
            "{}",
            h.why
        );
    }

    #[test]
    fn tcp_backends_have_no_bound_without_hard_stop_after() {
        let err = horizon(MARATHON_LB, "raw_10001").unwrap_err();
        assert!(err.0.contains("mode tcp"), "{err}");
        assert!(err.0.contains("hard-stop-after"), "{err}");
        let cfg = MARATHON_LB.replace("global\n", "global\n  hard-stop-after 45s\n");
        assert_eq!(
            horizon(&cfg, "raw_10001"),
            Ok(Horizon {
                bound: Duration::from_secs(45),
                why: "hard-stop-after 45 s".into()
            })
        );
        let short = MARATHON_LB.replace("global\n", "global\n  hard-stop-after 10s\n");
        assert_eq!(
            horizon(&short, "web_10000").unwrap().bound,
            Duration::from_secs(10)
        );
    }

    #[test]
    fn a_backend_not_in_the_config_gets_the_defaults_as_http() {
        assert_eq!(
            horizon(MARATHON_LB, "new_10002").unwrap().bound,
            Duration::from_secs(58)
        );
    }

    #[test]
    fn a_missing_timeout_server_is_no_bound() {
        let cfg = MARATHON_LB.replace("  timeout server          30s\n", "");
        let err = horizon(&cfg, "web_10000").unwrap_err();
        assert!(err.0.contains("timeout server"), "{err}");
    }

    #[test]
    fn haproxy_time_units() {
        assert_eq!(duration("1500"), Some(Duration::from_millis(1500)));
        assert_eq!(duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(duration("250us"), Some(Duration::from_micros(250)));
        assert_eq!(duration("1d"), Some(Duration::from_secs(86_400)));
        assert_eq!(duration("3x"), None);
        assert_eq!(duration("s"), None);
    }
}
