//! The canary analysis of a step plan (pure: no I/O, no clock). The new
//! app's servers and the old app's share one marathon-lb backend and so the
//! same traffic in the same window: [`Window`] sums each side's deltas of
//! HAProxy's counters over the looks of a step, on every LB, and [`judge`]
//! compares them with the [`Thresholds`].
//!
//! HAProxy keeps counters per worker process, and marathon-lb reloads (a
//! new worker, counters from zero) on almost every task or health change.
//! A look whose serving worker differs from the last look's, or whose
//! counter went backwards, is a reset: its counters are all since that
//! worker started, so they count whole. What the old worker served between
//! the last look and the reload is not seen, so figures undercount across a
//! reload; they never double count.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::lb::stats::ServerCounters;

/// One LB's counters at one look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look {
    /// The LB's URL.
    pub lb: String,
    /// The serving worker's pid, when the stats page told it.
    pub worker: Option<u32>,
    /// Its server rows of the group's backend, or why they could not be read.
    pub servers: Result<Vec<ServerCounters>, String>,
}

/// Which app a server belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The canary.
    New,
    /// The stable app.
    Old,
}

/// What one side served over the window, summed over its servers and LBs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// HTTP responses (all `hrsp_*`).
    pub requests: u64,
    /// 5xx responses.
    pub errors_5xx: u64,
    /// Connection and response errors (`econ` + `eresp`, which counts
    /// `srv_abrt` too).
    pub transport_errors: u64,
    /// Times HAProxy picked one of its servers (`lbtot`).
    pub selected: u64,
    /// Σ rtime × responses, for the average weighted by traffic.
    #[serde(skip)]
    rtime_weight: u64,
    /// Servers of this side that HAProxy reports DOWN with a failing check
    /// at the last look.
    pub down: u32,
}

impl Figures {
    /// (5xx + transport errors) / (responses + transport errors), or None
    /// with no traffic.
    pub fn error_rate(&self) -> Option<f64> {
        let attempts = self.requests + self.transport_errors;
        (attempts > 0).then(|| (self.errors_5xx + self.transport_errors) as f64 / attempts as f64)
    }

    /// HAProxy's average response time of its servers, weighted by the
    /// responses each served in the window.
    pub fn avg_response_ms(&self) -> Option<f64> {
        (self.requests > 0).then(|| self.rtime_weight as f64 / self.requests as f64)
    }

    fn add(&mut self, delta: &ServerCounters, rtime_ms: u64) {
        let responses = delta.responses();
        self.requests += responses;
        self.errors_5xx += delta.hrsp[4];
        self.transport_errors += delta.econ + delta.eresp;
        self.selected += delta.lbtot;
        self.rtime_weight += rtime_ms * responses;
    }
}

/// The deltas of one step's looks.
#[derive(Debug, Clone, Default)]
pub struct Window {
    /// Per (LB, server address): the worker and counters of the last look.
    last: BTreeMap<(String, String), (Option<u32>, ServerCounters)>,
    /// Per LB: the worker of its last look (None before the first).
    workers: BTreeMap<String, Option<u32>>,
    /// The canary's figures.
    pub new: Figures,
    /// The stable app's figures.
    pub old: Figures,
    /// Counter resets seen (reloads between two looks).
    pub resets: u32,
    /// LBs that could not be read at the last look.
    pub unreadable: Vec<String>,
}

impl Window {
    /// Adds the deltas since the last look. The first look of an LB only
    /// sets the baseline. `side` tells a server's app by its address, or
    /// by its server name when HAProxy reports no address.
    pub fn observe(&mut self, looks: &[Look], side: impl Fn(&str) -> Option<Side>) {
        self.new.down = 0;
        self.old.down = 0;
        self.unreadable.clear();
        for look in looks {
            let Ok(servers) = &look.servers else {
                self.unreadable.push(look.lb.clone());
                continue;
            };
            let seen_before = self.workers.get(&look.lb).cloned();
            let reloaded = seen_before.is_some_and(|w| w != look.worker);
            let mut reset = reloaded;
            for server in servers {
                // HAProxy leaves `addr` empty for servers without checks;
                // then marathon-lb's server name tells the task (a
                // collision suffix after a space aside).
                let addr = server.addr.clone().unwrap_or_else(|| {
                    server
                        .svname
                        .split(' ')
                        .next()
                        .unwrap_or_default()
                        .to_string()
                });
                let Some(which) = side(&addr) else {
                    continue;
                };
                let key = (look.lb.clone(), addr);
                let delta = match self.last.get(&key) {
                    Some((worker, prev)) if *worker == look.worker => match since(prev, server) {
                        Some(delta) => Some(delta),
                        None => {
                            reset = true;
                            Some(server.clone())
                        }
                    },
                    // A new worker, or a server this LB did not list
                    // before (added by a reload): counted from zero.
                    _ if seen_before.is_some() => Some(server.clone()),
                    _ => None,
                };
                let figures = match which {
                    Side::New => &mut self.new,
                    Side::Old => &mut self.old,
                };
                if let Some(delta) = delta {
                    figures.add(&delta, server.rtime_ms);
                }
                // DOWN with a passing last check is a server on its way up
                // (`DOWN 1/2`: HAProxy waits for `rise` checks after a
                // reload re-enabled it); only a failing check counts.
                if server.status.starts_with("DOWN") && !server.check_status.ends_with("OK") {
                    figures.down += 1;
                }
                self.last.insert(key, (look.worker, server.clone()));
            }
            if reset {
                self.resets += 1;
            }
            self.workers.insert(look.lb.clone(), look.worker);
        }
    }

    /// The figures of the counters as they stand, with no baseline: what
    /// each LB's serving worker counted since it started (its last
    /// reload). `dcos lb status` judges a plan's canary on them.
    pub fn since_reload(looks: &[Look], side: impl Fn(&str) -> Option<Side>) -> Self {
        let zero = |servers: &Vec<ServerCounters>| {
            servers
                .iter()
                .map(|c| ServerCounters {
                    hrsp: [0; 6],
                    eresp: 0,
                    econ: 0,
                    lbtot: 0,
                    ..c.clone()
                })
                .collect()
        };
        let baseline: Vec<Look> = looks
            .iter()
            .map(|l| Look {
                servers: l.servers.as_ref().map(zero).map_err(Clone::clone),
                ..l.clone()
            })
            .collect();
        let mut window = Self::default();
        window.observe(&baseline, &side);
        window.observe(looks, &side);
        window
    }

    /// The canary's share of the servers HAProxy picked.
    pub fn new_share(&self) -> Option<f64> {
        let total = self.new.selected + self.old.selected;
        (total > 0).then(|| self.new.selected as f64 / total as f64)
    }
}

/// `now − before`, or None when a counter went backwards (a reset).
fn since(before: &ServerCounters, now: &ServerCounters) -> Option<ServerCounters> {
    let minus = |a: u64, b: u64| a.checked_sub(b);
    let mut hrsp = [0; 6];
    for (i, slot) in hrsp.iter_mut().enumerate() {
        *slot = minus(now.hrsp[i], before.hrsp[i])?;
    }
    Some(ServerCounters {
        hrsp,
        eresp: minus(now.eresp, before.eresp)?,
        econ: minus(now.econ, before.econ)?,
        lbtot: minus(now.lbtot, before.lbtot)?,
        ..now.clone()
    })
}

/// When a step passes. Defaults are in `--help`.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Thresholds {
    /// The highest error rate of the canary (0.01 = 1 %).
    pub max_error_rate: f64,
    /// The highest ratio of the canary's average response time to the
    /// stable app's.
    pub max_latency_ratio: f64,
    /// The highest average response time of the canary, in ms.
    pub max_latency_ms: f64,
    /// Fewer canary responses than this decide nothing.
    pub min_requests: u64,
}

/// What Marathon says about the canary's health over the window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CanaryHealth {
    /// Tasks that failed, were killed unhealthy or replaced since the step
    /// began (the canary's tasks Marathon no longer lists).
    pub lost_tasks: u32,
    /// Running tasks whose health check fails now.
    pub failing: u32,
}

/// The verdict on one look at a step, with the rule that decided it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", content = "rule", rename_all = "snake_case")]
pub enum Verdict {
    /// Every rule holds.
    Pass(String),
    /// A rule broke.
    Fail(String),
    /// Too little traffic (or an LB unread) to decide.
    Inconclusive(String),
}

impl Verdict {
    /// The verdict as a word for people (`pass`, `FAIL`, `inconclusive`)
    /// and the rule that decided it.
    pub fn parts(&self) -> (&'static str, &str) {
        match self {
            Self::Pass(rule) => ("pass", rule),
            Self::Fail(rule) => ("FAIL", rule),
            Self::Inconclusive(rule) => ("inconclusive", rule),
        }
    }
}

/// Judges the window: health first, then enough traffic, the error rate,
/// the absolute and the relative response time.
pub fn judge(window: &Window, health: &CanaryHealth, t: &Thresholds) -> Verdict {
    if health.lost_tasks > 0 {
        return Verdict::Fail(format!(
            "health: {} canary task(s) failed or were killed unhealthy during the step",
            health.lost_tasks
        ));
    }
    if health.failing > 0 || window.new.down > 0 {
        return Verdict::Fail(format!(
            "health: {} canary task(s) fail Marathon's health check, {} server(s) DOWN in HAProxy",
            health.failing, window.new.down
        ));
    }
    if !window.unreadable.is_empty() {
        return Verdict::Inconclusive(format!(
            "marathon-lb could not be read: {}",
            window.unreadable.join(", ")
        ));
    }
    let new = &window.new;
    if new.requests == 0 && new.selected >= t.min_requests {
        return Verdict::Inconclusive(format!(
            "HAProxy picked the canary {} time(s) but counted no HTTP response: the backend is in mode tcp, \
             and only mode http counts responses by status (give the app HAPROXY_0_MODE=http or an HTTP health check)",
            new.selected
        ));
    }
    if new.requests + new.transport_errors < t.min_requests {
        return Verdict::Inconclusive(format!(
            "the canary served {} request(s), fewer than --min-requests {}",
            new.requests + new.transport_errors,
            t.min_requests
        ));
    }
    let rate = new.error_rate().unwrap_or(0.0);
    if rate > t.max_error_rate {
        return Verdict::Fail(format!(
            "error rate {} > --max-error-rate {} ({} 5xx and {} transport error(s) of {} request(s))",
            percent(rate),
            percent(t.max_error_rate),
            new.errors_5xx,
            new.transport_errors,
            new.requests + new.transport_errors
        ));
    }
    let new_ms = new.avg_response_ms().unwrap_or(0.0);
    if new_ms > t.max_latency_ms {
        return Verdict::Fail(format!(
            "average response time {new_ms:.0} ms > --max-latency {} ms",
            t.max_latency_ms
        ));
    }
    if let Some(old_ms) = window.old.avg_response_ms() {
        // HAProxy reports whole milliseconds: a stable app at 0 ms is
        // compared as 1 ms, so a 1 ms canary is not "infinitely" slower.
        let ratio = new_ms / old_ms.max(1.0);
        if ratio > t.max_latency_ratio {
            return Verdict::Fail(format!(
                "average response time {new_ms:.0} ms is {ratio:.1}× the stable app's {old_ms:.0} ms > --max-latency-ratio {}",
                t.max_latency_ratio
            ));
        }
    }
    Verdict::Pass(format!(
        "error rate {} ≤ {}, average response time {new_ms:.0} ms within bounds, {} request(s)",
        percent(rate),
        percent(t.max_error_rate),
        new.requests
    ))
}

/// `0.0123` → `1.23%`.
pub fn percent(rate: f64) -> String {
    let p = rate * 100.0;
    if p == p.trunc() {
        format!("{p:.0}%")
    } else {
        format!("{p:.2}%")
    }
}

#[cfg(test)]
#[path = "analysis_tests.rs"]
mod tests;
