//! The I/O loop around the deploy machine: runs each [`Action`] against
//! Marathon, the LBs, the pre-kill hook and the user, and feeds the answers
//! back. Marathon's event stream and Ctrl-C arrive on one channel; waits
//! end at the machine's deadline or at the first event, whichever is first.

use std::collections::{BTreeMap, VecDeque};
use std::net::ToSocketAddrs;
use std::path::PathBuf;
use std::process::Command;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::deploy::drain::LbSample;
use crate::deploy::event::DeployEvent;
use crate::deploy::machine::{Action, Failure, Input, Machine, Outcome, Question, Snapshot};
use crate::deploy::stop::FailureKind;
use crate::lb::client::LbClient;
use crate::marathon::MarathonError;
use crate::marathon::client::{AppQuery, MarathonClient};
use crate::marathon::labels;
use crate::marathon::types::Task;

/// The real I/O of a deploy.
#[derive(Debug)]
pub struct LiveIo {
    /// Marathon.
    pub marathon: MarathonClient,
    /// Every marathon-lb instance.
    pub lb: LbClient,
    /// The deployment group.
    pub group: String,
    /// `--pre-kill-hook`.
    pub pre_kill_hook: Option<PathBuf>,
    /// HTTP client for the drain metric (the LB client: no credentials).
    pub metric_http: reqwest::blocking::Client,
    resolved: BTreeMap<String, Vec<String>>,
}

/// Resolves each host of `tasks` not yet in `resolved` to its IPv4
/// addresses (HAProxy lists servers by address; marathon-lb resolves the
/// same names).
pub fn resolve_hosts<'a>(
    tasks: impl IntoIterator<Item = &'a Task>,
    resolved: &mut BTreeMap<String, Vec<String>>,
) {
    for task in tasks {
        if !resolved.contains_key(&task.host) {
            let ips = (task.host.as_str(), 0)
                .to_socket_addrs()
                .map(|addrs| {
                    addrs
                        .filter(|a| a.is_ipv4())
                        .map(|a| a.ip().to_string())
                        .collect()
                })
                .unwrap_or_default();
            resolved.insert(task.host.clone(), ips);
        }
    }
}

impl LiveIo {
    /// I/O over these clients.
    pub fn new(
        marathon: MarathonClient,
        lb: LbClient,
        group: String,
        metric_http: reqwest::blocking::Client,
    ) -> Self {
        Self {
            marathon,
            lb,
            group,
            pre_kill_hook: None,
            metric_http,
            resolved: BTreeMap::new(),
        }
    }

    fn list_group(&mut self) -> Result<Snapshot, MarathonError> {
        let query = AppQuery {
            embed_tasks: true,
            label: Some(format!("{}=={}", labels::DEPLOYMENT_GROUP, self.group)),
            id: None,
        };
        let apps = self.marathon.list_apps(&query)?;
        resolve_hosts(apps.iter().flat_map(|a| &a.tasks), &mut self.resolved);
        let snapshot = Snapshot {
            apps,
            host_ips: self.resolved.clone(),
        };
        Ok(snapshot)
    }

    fn metric_bodies(&self, targets: &[(String, String)]) -> Vec<(String, Result<String, String>)> {
        targets
            .iter()
            .map(|(task, url)| {
                let body = self
                    .metric_http
                    .get(url)
                    .send()
                    .and_then(|r| r.error_for_status())
                    .and_then(|r| r.text())
                    .map_err(|e| e.to_string());
                (task.clone(), body)
            })
            .collect()
    }

    fn run_hook(&self, hook: &PathBuf, old: &str, tasks: &[String], new: &str) -> Input {
        let raw = |id: &str| {
            self.marathon
                .app_raw(id)
                .map(|v| v.get("app").cloned().unwrap_or(v))
        };
        let (old_app, new_app) = match (raw(old), raw(new)) {
            (Ok(o), Ok(n)) => (o, n),
            (Err(e), _) | (_, Err(e)) => {
                return Input::HookFailed(format!("reading the apps for the hook: {e}"));
            }
        };
        let status = Command::new(hook)
            .arg(old_app.to_string())
            .arg(Value::from(tasks.to_vec()).to_string())
            .arg(new_app.to_string())
            .status();
        match status {
            Ok(s) if s.success() => Input::Done,
            Ok(s) => Input::HookFailed(format!("{} exited with {s}", hook.display())),
            Err(e) => Input::HookFailed(format!("{}: {e}", hook.display())),
        }
    }

    /// Runs one request action and returns the machine's answer.
    fn execute(&mut self, action: &Action, frontend: &mut dyn Frontend) -> Option<Input> {
        let done = |r: Result<(), MarathonError>| match r {
            Ok(()) => Input::Done,
            Err(e) => Input::Failed(failure(&e)),
        };
        Some(match action {
            Action::ListGroup => match self.list_group() {
                Ok(s) => Input::Group(s),
                Err(e) => Input::Failed(failure(&e)),
            },
            Action::ReadLbStats { workers } => {
                let mut workers: BTreeMap<String, _> = if *workers {
                    self.lb.workers().into_iter().collect()
                } else {
                    BTreeMap::new()
                };
                Input::Lb(
                    self.lb
                        .stats()
                        .into_iter()
                        .map(|(url, rows)| LbSample {
                            worker: workers.remove(&url).and_then(Result::ok),
                            url,
                            rows: rows.map_err(|e| e.to_string()),
                        })
                        .collect(),
                )
            }
            Action::ReadLbProfiles { configs } => Input::LbProfiles(self.lb.profiles(*configs)),
            Action::ReadLbPids => Input::Pids(
                self.lb
                    .pid_counts()
                    .into_iter()
                    .map(|(u, n)| (u, n.map_err(|e| e.to_string())))
                    .collect(),
            ),
            Action::ReadDrainMetric { targets } => Input::MetricBodies(self.metric_bodies(targets)),
            Action::Create(app) => done(self.marathon.create_app(app).map(drop)),
            Action::Scale { app, instances } => {
                done(self.marathon.scale_app(app, *instances, false).map(drop))
            }
            Action::Kill { tasks, .. } => {
                done(self.marathon.kill_tasks(tasks, true, false).map(drop))
            }
            Action::Delete { app, force } => done(self.marathon.delete_app(app, *force).map(drop)),
            Action::RunHook { old, tasks, new } => match &self.pre_kill_hook {
                Some(hook) => self.run_hook(hook, old, tasks, new),
                None => Input::Done,
            },
            Action::Confirm(question) => Input::Confirmed(frontend.confirm(question)),
            Action::Notify(_) | Action::Finish(_) => return None,
        })
    }
}

/// How a Marathon request failed, for the machine's retry rules.
fn failure(err: &MarathonError) -> Failure {
    let kind = match err {
        MarathonError::NotFound { .. } => FailureKind::Status(404),
        MarathonError::Locked { .. } => FailureKind::Status(409),
        MarathonError::Invalid { status, .. } | MarathonError::Status { status, .. } => {
            FailureKind::Status(*status)
        }
        MarathonError::Unauthorized | MarathonError::Forbidden | MarathonError::Auth(_) => {
            FailureKind::Auth
        }
        MarathonError::Tls { .. } => FailureKind::Tls,
        MarathonError::Timeout { .. }
        | MarathonError::Unreachable { .. }
        | MarathonError::Decode { .. } => FailureKind::NoAnswer,
    };
    Failure {
        kind,
        message: err.to_string(),
    }
}

/// Follows Marathon's event stream and wakes the machine on every event
/// (deployment finished, health changed, task status); the machine polls
/// when the stream is unavailable.
pub fn follow_events(marathon: &MarathonClient, inbox: Sender<Input>) -> bool {
    let types = [
        "deployment_success",
        "deployment_failed",
        "deployment_step_success",
        "health_status_changed_event",
        "status_update_event",
        "instance_health_changed_event",
    ];
    let Ok(stream) = marathon.events(&types) else {
        return false;
    };
    thread::spawn(move || {
        loop {
            if stream.recv_timeout(Duration::from_secs(1)).is_some()
                && inbox.send(Input::Changed).is_err()
            {
                return;
            }
        }
    });
    true
}

/// Where a run's events and questions go: the user.
pub trait Frontend {
    /// Reports an event.
    fn event(&mut self, event: &DeployEvent);
    /// Asks a yes/no question; `false` declines.
    fn confirm(&mut self, question: &Question) -> bool;
}

/// Runs the machine to its end, reporting to and asking `frontend`.
pub fn drive(
    machine: &mut Machine,
    io: &mut LiveIo,
    inbox: &Receiver<Input>,
    frontend: &mut dyn Frontend,
) -> Outcome {
    let mut pending: VecDeque<Action> = machine.handle(Input::Start, Instant::now()).into();
    loop {
        while let Some(action) = pending.pop_front() {
            match action {
                Action::Notify(event) => frontend.event(&event),
                Action::Finish(outcome) => return outcome,
                other => {
                    if let Ok(Input::Interrupted) = inbox.try_recv() {
                        pending.extend(machine.handle(Input::Interrupted, Instant::now()));
                        continue;
                    }
                    if let Some(input) = io.execute(&other, frontend) {
                        pending.extend(machine.handle(input, Instant::now()));
                    }
                }
            }
        }
        let input = match machine.poll_timeout() {
            Some(at) => match inbox.recv_timeout(at.saturating_duration_since(Instant::now())) {
                Ok(input) => input,
                Err(RecvTimeoutError::Timeout) => Input::Timer,
                Err(RecvTimeoutError::Disconnected) => {
                    thread::sleep(at.saturating_duration_since(Instant::now()));
                    Input::Timer
                }
            },
            None => inbox.recv().unwrap_or(Input::Interrupted),
        };
        pending.extend(machine.handle(input, Instant::now()));
    }
}
