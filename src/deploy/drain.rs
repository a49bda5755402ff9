//! The drain decision (pure: no I/O): which of the shrinking app's tasks
//! every LB has taken out of rotation and emptied, and what keeps the others
//! from it, matched to HAProxy's servers by address or by marathon-lb's
//! server name.

use std::collections::BTreeMap;

use crate::lb::stats::{self, StatsRow};
use crate::marathon::types::Task;
use crate::render::rules;

/// The `ip:port` strings under which HAProxy may list a task: its host (and
/// the host's resolved addresses) or its IP-per-task addresses, with each of
/// its ports.
pub fn task_addrs(task: &Task, host_ips: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut ips = vec![task.host.clone()];
    ips.extend(host_ips.get(&task.host).into_iter().flatten().cloned());
    ips.extend(task.ip_addresses.iter().map(|a| a.ip_address.clone()));
    let mut addrs = Vec::new();
    for ip in &ips {
        for port in &task.ports {
            addrs.push(format!("{ip}:{port}"));
        }
    }
    addrs
}

/// The server names marathon-lb may give a task ([`rules::server_name`]
/// for each address it may connect to: the host itself, the host's
/// resolved addresses, the task's own). Used when HAProxy leaves the `addr`
/// column empty (it does for servers without health checks).
pub fn task_server_names(task: &Task, host_ips: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut ips: Vec<&str> = vec![&task.host];
    ips.extend(
        host_ips
            .get(&task.host)
            .into_iter()
            .flatten()
            .map(String::as_str),
    );
    ips.extend(task.ip_addresses.iter().map(|a| a.ip_address.as_str()));
    let mut names = Vec::new();
    for ip in ips {
        for port in &task.ports {
            names.push(rules::server_name(&task.host, ip, port));
        }
    }
    names
}

/// Whether a stats row is the server of a task: by `addr` when HAProxy
/// reports it, else by marathon-lb's server name (a collision suffix after
/// a space is ignored).
fn row_is_task(row: &StatsRow, addrs: &[String], names: &[String]) -> bool {
    match &row.addr {
        Some(addr) => addrs.contains(addr),
        None => names
            .iter()
            .any(|n| row.svname.split(' ').next() == Some(n.as_str())),
    }
}

/// One LB's stats, or why they could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LbSample {
    /// The LB's 9090 base URL.
    pub url: String,
    /// Its stats rows.
    pub rows: Result<Vec<StatsRow>, String>,
    /// The worker that served them, when the drain proof needs it (the
    /// reload horizon) and the stats page answered.
    pub worker: Option<crate::lb::worker::Worker>,
}

/// A server that keeps a task from counting as drained.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Blocker {
    /// The LB's URL.
    pub lb: String,
    /// The task.
    pub task: String,
    /// The server's `ip:port` (or the task's first address when absent).
    pub addr: String,
    /// HAProxy's status for it, or why it is unknown.
    pub status: String,
    /// Current plus queued sessions.
    pub sessions: u64,
}

/// What every LB says about the shrinking app's tasks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrainReport {
    /// Tasks out of rotation with no session on every LB.
    pub drained: Vec<String>,
    /// Tasks out of rotation on every LB but with sessions somewhere.
    pub draining: Vec<String>,
    /// Why the other tasks are not drained (per LB and server).
    pub blockers: Vec<Blocker>,
    /// Tasks that no LB lists in the backend, every LB read: not drained,
    /// as marathon-lb may not have caught up, unless the task was never
    /// served (see `health::never_passed`).
    pub absent: Vec<String>,
    /// The fewest UP servers of the backend on any LB (0 when unreadable).
    pub min_up: u32,
    /// LBs that could not be read, with the reason.
    pub unreachable: Vec<(String, String)>,
}

/// Which of `tasks` are drained on every LB: the server with the task's
/// address is `MAINT` with `scur = qcur = 0`. A task missing from a
/// backend, or on an unreadable LB, is never drained.
pub fn drain_report(
    tasks: &[Task],
    backend: &str,
    samples: &[LbSample],
    host_ips: &BTreeMap<String, Vec<String>>,
) -> DrainReport {
    let mut report = DrainReport {
        min_up: u32::MAX,
        ..DrainReport::default()
    };
    for sample in samples {
        match &sample.rows {
            Ok(rows) => {
                let up = stats::servers(rows, backend).filter(|r| r.is_up()).count() as u32;
                report.min_up = report.min_up.min(up);
            }
            Err(e) => {
                report.min_up = 0;
                report.unreachable.push((sample.url.clone(), e.clone()));
            }
        }
    }
    if samples.is_empty() {
        report.min_up = 0;
    }
    for task in tasks {
        let addrs = task_addrs(task, host_ips);
        let names = task_server_names(task, host_ips);
        let mut out_everywhere = true;
        let mut quiet_everywhere = true;
        let mut absent_everywhere = !samples.is_empty();
        for sample in samples {
            let first_addr = addrs.first().cloned().unwrap_or_default();
            let blocker = |status: String, sessions: u64, addr: String| Blocker {
                lb: sample.url.clone(),
                task: task.id.clone(),
                addr,
                status,
                sessions,
            };
            let Ok(rows) = &sample.rows else {
                out_everywhere = false;
                absent_everywhere = false;
                report
                    .blockers
                    .push(blocker("LB unreachable".into(), 0, first_addr));
                continue;
            };
            let server = stats::servers(rows, backend).find(|r| row_is_task(r, &addrs, &names));
            match server {
                Some(row) if row.is_maint() => {
                    absent_everywhere = false;
                    if row.has_sessions() {
                        quiet_everywhere = false;
                        let addr = row.addr.clone().unwrap_or(first_addr);
                        report.blockers.push(blocker(
                            row.status.clone(),
                            row.scur + row.qcur,
                            addr,
                        ));
                    }
                }
                Some(row) => {
                    out_everywhere = false;
                    absent_everywhere = false;
                    let addr = row.addr.clone().unwrap_or(first_addr);
                    report
                        .blockers
                        .push(blocker(row.status.clone(), row.scur + row.qcur, addr));
                }
                None => {
                    out_everywhere = false;
                    report.blockers.push(blocker(
                        format!("not listed in {backend}"),
                        0,
                        first_addr,
                    ));
                }
            }
        }
        if absent_everywhere {
            report.absent.push(task.id.clone());
        }
        match (out_everywhere, quiet_everywhere) {
            (true, true) => report.drained.push(task.id.clone()),
            (true, false) => report.draining.push(task.id.clone()),
            _ => {}
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::fixtures::task;

    fn sample(url: &str, servers: &[(&str, &str, u64)]) -> LbSample {
        let mut rows: Vec<StatsRow> = servers
            .iter()
            .map(|(addr, status, scur)| StatsRow {
                pxname: "web_10000".into(),
                svname: addr.replace(['.', ':'], "_"),
                status: (*status).into(),
                scur: *scur,
                qcur: 0,
                addr: Some((*addr).into()),
            })
            .collect();
        rows.push(StatsRow {
            pxname: "web_10000".into(),
            svname: "BACKEND".into(),
            status: "UP".into(),
            scur: 0,
            qcur: 0,
            addr: None,
        });
        LbSample {
            url: url.into(),
            rows: Ok(rows),
            worker: None,
        }
    }

    #[test]
    fn a_task_is_drained_only_when_maint_and_idle_on_every_lb() {
        let ips = BTreeMap::from([("agent1".to_string(), vec!["10.0.0.1".to_string()])]);
        let tasks = [
            task("b1", 31001, Some(true)),
            task("b2", 31002, Some(true)),
            task("b3", 31003, Some(true)),
        ];
        let lb1 = sample(
            "http://lb1:9090",
            &[
                ("10.0.0.1:31001", "MAINT", 0),
                ("10.0.0.1:31002", "MAINT", 0),
                ("10.0.0.1:31003", "UP", 1),
                ("10.0.0.1:32000", "UP", 0),
            ],
        );
        let lb2 = sample(
            "http://lb2:9090",
            &[
                ("10.0.0.1:31001", "MAINT", 0),
                ("10.0.0.1:31002", "MAINT", 3),
                ("10.0.0.1:31003", "UP", 0),
                ("10.0.0.1:32000", "UP", 0),
            ],
        );
        let report = drain_report(&tasks, "web_10000", &[lb1.clone(), lb2], &ips);
        assert_eq!(report.drained, ["b1"]);
        assert_eq!(report.draining, ["b2"]);
        assert_eq!(report.min_up, 2);
        assert!(
            report
                .blockers
                .iter()
                .any(|b| b.lb == "http://lb2:9090" && b.task == "b2" && b.sessions == 3)
        );
        let down = LbSample {
            url: "http://lb3:9090".into(),
            rows: Err("connection refused".into()),
            worker: None,
        };
        let report = drain_report(&tasks, "web_10000", &[lb1, down], &ips);
        assert!(
            report.drained.is_empty(),
            "an unreadable LB blocks every kill"
        );
        assert_eq!(report.unreachable.len(), 1);
        assert_eq!(report.min_up, 0);
    }

    #[test]
    fn servers_without_addr_match_by_marathon_lb_name_and_missing_ones_never_drain() {
        let ips = BTreeMap::new();
        let mut t = task("b1", 31001, Some(true));
        t.host = "127.0.0.1".into();
        let row = |name: &str, status: &str| StatsRow {
            pxname: "web_10000".into(),
            svname: name.into(),
            status: status.into(),
            scur: 0,
            qcur: 0,
            addr: None,
        };
        let lb = |rows: Vec<StatsRow>| LbSample {
            url: "lb".into(),
            rows: Ok(rows),
            worker: None,
        };
        let report = drain_report(
            &[t.clone()],
            "web_10000",
            &[lb(vec![row("127_0_0_1_31001", "MAINT")])],
            &ips,
        );
        assert_eq!(report.drained, ["b1"]);
        let report = drain_report(
            &[t.clone()],
            "web_10000",
            &[lb(vec![row("127_0_0_1_31001", "no check")])],
            &ips,
        );
        assert!(report.drained.is_empty());
        let report = drain_report(
            &[t],
            "web_10000",
            &[lb(vec![row("127_0_0_1_39999", "MAINT")])],
            &ips,
        );
        assert!(report.drained.is_empty(), "absent is not drained");
        assert_eq!(report.absent, ["b1"], "but it is reported absent");
    }
}
