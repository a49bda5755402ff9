//! Reads marathon-lb's 9090 endpoints on every instance in parallel: the
//! stats CSV (`/haproxy?stats;csv`), the serving worker (`/haproxy?stats`),
//! the running config (`/_haproxy_getconfig`) and the HAProxy pids
//! (`/_haproxy_getpids`, the only one that forks). Requests carry no
//! credentials: the ACS token never goes to marathon-lb.

use std::thread;

use crate::lb::stats::{self, ServerCounters, StatsRow};
use crate::lb::worker::{self, Worker};

/// A marathon-lb endpoint that failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LbError {
    /// No instance was found or given.
    #[error("no marathon-lb instance found: {0}")]
    NoInstance(String),
    /// The request failed or the answer was not usable.
    #[error("{url}: {detail}")]
    Endpoint {
        /// The URL asked.
        url: String,
        /// What went wrong.
        detail: String,
    },
}

/// One LB as read before a deploy chooses its drain proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LbProfile {
    /// Its 9090 base URL.
    pub url: String,
    /// Its serving worker, or why it could not be read.
    pub worker: Result<Worker, String>,
    /// Its running config, or why it was not read.
    pub config: Result<String, String>,
}

/// Every marathon-lb instance of one run.
#[derive(Debug, Clone)]
pub struct LbClient {
    http: reqwest::blocking::Client,
    urls: Vec<String>,
}

/// One LB's server counters and the worker that served them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountersLook {
    /// The serving worker's pid.
    pub worker_pid: u32,
    /// The server rows' counters.
    pub servers: Vec<ServerCounters>,
}

impl LbClient {
    /// A client for these base URLs (`http://host:9090`).
    pub fn new(http: reqwest::blocking::Client, urls: Vec<String>) -> Self {
        let urls = urls
            .into_iter()
            .map(|u| u.trim_end_matches('/').to_string())
            .collect();
        Self { http, urls }
    }

    /// The instances' base URLs.
    pub fn urls(&self) -> &[String] {
        &self.urls
    }

    fn get_text(&self, url: &str) -> Result<String, LbError> {
        let failed = |detail: String| LbError::Endpoint {
            url: url.to_string(),
            detail,
        };
        let response = self
            .http
            .get(url)
            .send()
            .map_err(|e| failed(e.to_string()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(failed(format!("HTTP {status}")));
        }
        response.text().map_err(|e| failed(e.to_string()))
    }

    fn each<T: Send>(&self, f: impl Fn(&str) -> T + Sync) -> Vec<(String, T)> {
        thread::scope(|scope| {
            let handles: Vec<_> = self
                .urls
                .iter()
                .map(|url| {
                    let f = &f;
                    (url.clone(), scope.spawn(move || f(url)))
                })
                .collect();
            handles
                .into_iter()
                .filter_map(|(url, h)| h.join().ok().map(|v| (url, v)))
                .collect()
        })
    }

    /// Every instance's stats rows (or why they could not be read).
    pub fn stats(&self) -> Vec<(String, Result<Vec<StatsRow>, LbError>)> {
        self.each(|base| {
            let url = format!("{base}/haproxy?stats;csv");
            let body = self.get_text(&url)?;
            stats::parse(&body).map_err(|e| LbError::Endpoint {
                url,
                detail: e.to_string(),
            })
        })
    }

    /// Every instance's server counters with the pid of the worker that
    /// served them, for the canary analysis. The stats page is read before
    /// and after the CSV: a reload in between would pair one worker's
    /// counters with the other's pid, so that look fails and the next one
    /// counts.
    pub fn counters(&self) -> Vec<(String, Result<CountersLook, LbError>)> {
        self.each(|base| {
            let pid = || -> Result<u32, LbError> {
                let url = format!("{base}/haproxy?stats");
                let body = self.get_text(&url)?;
                worker::parse(&body)
                    .map(|w| w.pid)
                    .map_err(|e| LbError::Endpoint {
                        url,
                        detail: e.to_string(),
                    })
            };
            let before = pid()?;
            let url = format!("{base}/haproxy?stats;csv");
            let body = self.get_text(&url)?;
            let servers = stats::counters(&body).map_err(|e| LbError::Endpoint {
                url: url.clone(),
                detail: e.to_string(),
            })?;
            if pid()? != before {
                return Err(LbError::Endpoint {
                    url,
                    detail: "HAProxy reloaded while its counters were read".into(),
                });
            }
            Ok(CountersLook {
                worker_pid: before,
                servers,
            })
        })
    }

    /// Every instance's HAProxy pid count (`/_haproxy_getpids`).
    ///
    /// Asked at most once per kill decision, never polled: on marathon-lb
    /// this endpoint runs `pidof` from Lua, which forks inside a threaded
    /// HAProxy worker; polling it at 2 Hz broke live requests.
    pub fn pid_counts(&self) -> Vec<(String, Result<usize, LbError>)> {
        self.each(|base| {
            let body = self.get_text(&format!("{base}/_haproxy_getpids"))?;
            Ok(body.split_whitespace().count())
        })
    }

    /// Every instance's serving HAProxy worker, from the HTML stats page
    /// (no fork).
    pub fn workers(&self) -> Vec<(String, Result<Worker, LbError>)> {
        self.each(|base| {
            let url = format!("{base}/haproxy?stats");
            let body = self.get_text(&url)?;
            worker::parse(&body).map_err(|e| LbError::Endpoint {
                url,
                detail: e.to_string(),
            })
        })
    }

    /// Every instance's running config (`/_haproxy_getconfig`, no fork).
    pub fn running_configs(&self) -> Vec<(String, Result<String, LbError>)> {
        self.each(|base| self.get_text(&format!("{base}/_haproxy_getconfig")))
    }

    /// Every instance's serving worker and, with `configs`, its running
    /// config: what choosing a drain proof needs, read without forking.
    pub fn profiles(&self, configs: bool) -> Vec<LbProfile> {
        let mut running: std::collections::BTreeMap<String, Result<String, String>> = if configs {
            self.running_configs()
                .into_iter()
                .map(|(url, c)| (url, c.map_err(|e| e.to_string())))
                .collect()
        } else {
            std::collections::BTreeMap::new()
        };
        self.workers()
            .into_iter()
            .map(|(url, worker)| LbProfile {
                config: running
                    .remove(&url)
                    .unwrap_or_else(|| Err("not read".into())),
                worker: worker.map_err(|e| e.to_string()),
                url,
            })
            .collect()
    }
}
