//! The transcript tests' world: a small model of Marathon and marathon-lb
//! (whose servers come from `render`, the byte-exact renderer, not from the
//! machine's own view of the merge) that answers every action, and the
//! runner that writes the `> input` / `< action` transcript.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::deploy::machine::*;
use crate::deploy::stop::{Hint, StopReason};
use crate::lb::stats::StatsRow;
use crate::lb::worker::Worker;
use crate::marathon::types::{DeploymentRef, HealthCheckResult, Task, VersionInfo};

/// A model of Marathon plus marathon-lb.
pub(super) struct World {
    pub(super) apps: Vec<App>,
    pub(super) clock: u32,
    pub(super) next_port: u32,
    pub(super) lbs: Vec<&'static str>,
    /// Sessions a draining server still holds, consumed one per stats read.
    pub(super) sessions: BTreeMap<String, u64>,
    /// Apps whose tasks never get healthy.
    pub(super) broken: Vec<String>,
    /// LBs that stop answering.
    pub(super) dead_lbs: Vec<&'static str>,
    /// The pids each read returns, in order (then 2).
    pub(super) pids: Vec<usize>,
    /// Faults: (action kind, nth occurrence from 1, the failure).
    pub(super) faults: Vec<(&'static str, usize, Failure)>,
    pub(super) seen: BTreeMap<&'static str, usize>,
    pub(super) hook_fails: bool,
    /// Tasks whose drain metric reads busy, for this many more reads.
    pub(super) metric_busy: BTreeMap<String, usize>,
    /// The serving HAProxy worker every stats read reports, if any (the
    /// profile read before planning reports it too, else one thread).
    pub(super) worker: Option<Worker>,
    /// The running config every LB serves.
    pub(super) lb_config: String,
    /// The stats page stops answering after the profiles were read.
    pub(super) stats_page_down: bool,
    /// marathon-lb runs with `--health-check` (as the DC/OS package does):
    /// tasks without an alive result are no servers.
    pub(super) health_check_lb: bool,
    /// Another deployer creates this app (with its own labels) just before
    /// ours, whose create then meets Marathon's 409.
    pub(super) rival: Option<Value>,
}

pub(super) fn ts(n: u32) -> String {
    format!("2024-01-01T00:{:02}:{:02}.000Z", n / 60, n % 60)
}

impl World {
    pub(super) fn new() -> Self {
        Self {
            apps: Vec::new(),
            clock: 0,
            next_port: 31000,
            lbs: vec!["http://lb1:9090"],
            sessions: BTreeMap::new(),
            broken: Vec::new(),
            dead_lbs: Vec::new(),
            pids: Vec::new(),
            faults: Vec::new(),
            seen: BTreeMap::new(),
            hook_fails: false,
            metric_busy: BTreeMap::new(),
            worker: None,
            lb_config: String::new(),
            stats_page_down: false,
            health_check_lb: false,
            rival: None,
        }
    }

    pub(super) fn tick(&mut self) -> String {
        self.clock += 1;
        ts(self.clock)
    }

    /// A settled app of the group, as a previous deploy left it.
    pub(super) fn running(&mut self, colour: &str, port: u32, instances: u32, new_instances: u32) {
        let app_json = user_app();
        let mut app: App = serde_json::from_value(app_json).unwrap();
        app.id = format!("/web-{colour}");
        app.ports = vec![port];
        app.port_definitions = vec![json!({"port": port, "protocol": "tcp"})];
        let started = self.tick();
        for (k, v) in [
            (labels::DEPLOYMENT_COLOUR, colour.to_string()),
            (labels::PORT_0, "10000".into()),
            (labels::DEPLOYMENT_TARGET_INSTANCES, "3".into()),
            (labels::DEPLOYMENT_NEW_INSTANCES, new_instances.to_string()),
            (labels::DEPLOYMENT_STARTED_AT, started),
        ] {
            app.labels.insert(k.into(), json!(v));
        }
        self.apps.push(app);
        self.set_instances(&format!("/web-{colour}"), instances);
        self.settle();
    }

    pub(super) fn app_mut(&mut self, id: &str) -> &mut App {
        self.apps.iter_mut().find(|a| a.id == id).unwrap()
    }

    pub(super) fn set_instances(&mut self, id: &str, n: u32) {
        let at = self.tick();
        let mut ports = Vec::new();
        let have = self.app_mut(id).tasks.len() as u32;
        for _ in have..n {
            self.next_port += 1;
            ports.push(self.next_port);
        }
        let app = self.app_mut(id);
        for port in ports {
            app.tasks.push(Task {
                id: format!("{}.{port}", id.trim_start_matches('/')),
                app_id: id.into(),
                host: "agent1".into(),
                ports: vec![port],
                state: Some("TASK_RUNNING".into()),
                ..Task::default()
            });
        }
        app.tasks.truncate(n as usize);
        app.instances = n;
        app.version_info = VersionInfo {
            last_scaling_at: Some(at),
            last_config_change_at: None,
        };
        app.deployments = vec![DeploymentRef { id: "d1".into() }];
    }

    /// Marathon finishes deployments; tasks pass their health checks.
    pub(super) fn settle(&mut self) {
        for app in &mut self.apps {
            let broken = self.broken.contains(&app.id);
            for task in &mut app.tasks {
                task.health_check_results = vec![HealthCheckResult {
                    alive: !broken,
                    last_failure_cause: broken.then(|| "HTTP 503".to_string()),
                    ..HealthCheckResult::default()
                }];
            }
            if !broken {
                app.deployments.clear();
            }
        }
    }

    /// Marathon's lock: an app with a deployment in progress takes no
    /// other change without `force`.
    fn locked(&self, id: &str) -> bool {
        self.apps
            .iter()
            .any(|a| a.id == id && !a.deployments.is_empty())
    }

    pub(super) fn fault(&mut self, kind: &'static str) -> Option<Failure> {
        let n = self.seen.entry(kind).or_default();
        *n += 1;
        let n = *n;
        self.faults
            .iter()
            .find(|(k, at, _)| *k == kind && *at == n)
            .map(|(_, _, f)| f.clone())
    }

    /// marathon-lb's servers for the group: the world's apps rendered by
    /// `render` (so the model merges and drains by the renderer's rules),
    /// read back from the config as stats rows.
    pub(super) fn stats(&mut self) -> Vec<LbSample> {
        let task_at: BTreeMap<String, String> = self
            .apps
            .iter()
            .flat_map(|a| a.tasks.iter())
            .map(|t| (format!("10.0.0.1:{}", t.ports[0]), t.id.clone()))
            .collect();
        let mut rows = Vec::new();
        for server in crate::deploy::rendered::servers(
            &self.apps.iter().collect::<Vec<_>>(),
            self.health_check_lb,
        ) {
            let scur = match task_at.get(&server.addr).filter(|_| server.disabled) {
                Some(task) => {
                    let left = self.sessions.entry(task.clone()).or_default();
                    let now = *left;
                    *left = left.saturating_sub(1);
                    now
                }
                None => 0,
            };
            rows.push(StatsRow {
                pxname: server.backend,
                svname: server.name,
                status: if server.disabled { "MAINT" } else { "UP" }.into(),
                scur,
                qcur: 0,
                addr: Some(server.addr),
            });
        }
        self.lbs
            .iter()
            .map(|url| LbSample {
                url: (*url).into(),
                rows: if self.dead_lbs.contains(url) {
                    Err("connection refused".into())
                } else {
                    Ok(rows.clone())
                },
                worker: self.worker.filter(|_| !self.stats_page_down),
            })
            .collect()
    }

    pub(super) fn snapshot(&self) -> Snapshot {
        Snapshot {
            apps: self.apps.clone(),
            host_ips: BTreeMap::from([("agent1".to_string(), vec!["10.0.0.1".to_string()])]),
        }
    }

    /// Answers one action (None for Notify/Finish).
    pub(super) fn answer(&mut self, action: &Action) -> Option<Input> {
        let kind = match action {
            Action::ListGroup => "list",
            Action::ReadLbStats { .. } => "stats",
            Action::ReadLbPids => "pids",
            Action::ReadLbProfiles { .. } => "profiles",
            Action::ReadDrainMetric { .. } => "metric",
            Action::Create(_) => "create",
            Action::Scale { .. } => "scale",
            Action::Kill { .. } => "kill",
            Action::Delete { .. } => "delete",
            Action::RunHook { .. } => "hook",
            Action::Confirm(_) => "confirm",
            Action::Notify(_) | Action::Finish(_) => return None,
        };
        if let Some(failure) = self.fault(kind) {
            return Some(Input::Failed(failure));
        }
        Some(match action {
            Action::ListGroup => {
                let snapshot = self.snapshot();
                self.settle();
                Input::Group(snapshot)
            }
            Action::ReadLbStats { .. } => Input::Lb(self.stats()),
            Action::ReadLbProfiles { configs } => Input::LbProfiles(
                self.lbs
                    .iter()
                    .map(|url| LbProfile {
                        url: (*url).into(),
                        worker: Ok(self.worker.unwrap_or(Worker {
                            pid: 1,
                            threads: 1,
                            uptime: Duration::ZERO,
                        })),
                        config: if *configs {
                            Ok(self.lb_config.clone())
                        } else {
                            Err("not read".into())
                        },
                    })
                    .collect(),
            ),
            Action::ReadLbPids => {
                let n = if self.pids.is_empty() {
                    2
                } else {
                    self.pids.remove(0)
                };
                Input::Pids(self.lbs.iter().map(|u| ((*u).to_string(), Ok(n))).collect())
            }
            Action::ReadDrainMetric { targets } => Input::MetricBodies(
                targets
                    .iter()
                    .map(|(task, _)| {
                        let busy = self.metric_busy.get_mut(task).is_some_and(|left| {
                            *left = left.saturating_sub(1);
                            *left > 0
                        });
                        (task.clone(), Ok(format!("pending {}\n", u8::from(busy))))
                    })
                    .collect(),
            ),
            Action::Create(_) if self.rival.is_some() => {
                let rival = self.rival.take().unwrap();
                let id = rival["id"].as_str().unwrap().to_string();
                let app: App = serde_json::from_value(rival).unwrap();
                self.apps.push(app);
                self.set_instances(&id, 1);
                Input::Failed(Failure {
                    kind: FailureKind::Status(409),
                    message: format!("An app with id [{id}] already exists."),
                })
            }
            Action::Create(json) => {
                let mut app: App = serde_json::from_value(json.clone()).unwrap();
                app.ports = plan::service_port(json).into_iter().collect();
                let n = app.instances;
                app.instances = 0;
                self.apps.push(app);
                self.set_instances(json["id"].as_str().unwrap(), n);
                Input::Done
            }
            Action::Scale { app, .. }
            | Action::Kill { app, .. }
            | Action::Delete { app, force: false }
                if self.locked(app) =>
            {
                Input::Failed(Failure {
                    kind: FailureKind::Status(409),
                    message: "App is locked by one or more deployments.".into(),
                })
            }
            Action::Scale { app, instances } => {
                self.set_instances(app, *instances);
                Input::Done
            }
            Action::Kill { app, tasks } => {
                let at = self.tick();
                let a = self.app_mut(app);
                a.tasks.retain(|t| !tasks.contains(&t.id));
                a.instances -= tasks.len() as u32;
                a.version_info.last_scaling_at = Some(at);
                a.deployments = vec![DeploymentRef { id: "d2".into() }];
                Input::Done
            }
            Action::Delete { app, .. } => {
                self.apps.retain(|a| &a.id != app);
                Input::Done
            }
            Action::RunHook { .. } if self.hook_fails => Input::HookFailed("exit status 3".into()),
            Action::RunHook { .. } => Input::Done,
            Action::Confirm(_) => Input::Confirmed(true),
            Action::Notify(_) | Action::Finish(_) => return None,
        })
    }
}

pub(super) fn user_app() -> Value {
    json!({
        "id": "/web", "instances": 3, "cmd": "serve",
        "portDefinitions": [{"port": 10000, "protocol": "tcp"}],
        "healthChecks": [{"protocol": "HTTP", "path": "/"}],
        "labels": {"HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": "10001", "HAPROXY_GROUP": "external"}
    })
}

pub(super) fn config(mode: Mode) -> Config {
    Config {
        group: "web".into(),
        mode,
        build: BuildOptions {
            initial_instances: 1,
            new_instances: 0,
            surge: false,
            started_at: "2024-06-01T00:00:00+00:00".into(),
        },
        force: true,
        dry_run: false,
        step_delay: Duration::from_secs(2),
        max_wait: Duration::from_secs(30),
        linear_increase: None,
        surge: false,
        force_kill_after_max_wait: false,
        pre_kill_hook: false,
        drain_metric: None,
        drain_proof: ProofChoice::Auto,
    }
}

pub(super) fn group_line(apps: &[App]) -> String {
    let mut apps: Vec<&App> = apps.iter().collect();
    apps.sort_by(|a, b| a.id.cmp(&b.id));
    let parts: Vec<String> = apps
        .iter()
        .map(|a| {
            let busy = if a.deployments.is_empty() {
                ""
            } else {
                " deploying"
            };
            format!(
                "{} {}/{} healthy{busy}",
                a.id,
                health::healthy_count(a),
                a.instances
            )
        })
        .collect();
    if parts.is_empty() {
        "no apps".into()
    } else {
        parts.join(", ")
    }
}

pub(super) fn input_line(input: &Input) -> String {
    match input {
        Input::Group(s) => format!("Group {}", group_line(&s.apps)),
        Input::Lb(samples) => {
            let parts: Vec<String> = samples
                .iter()
                .map(|s| match &s.rows {
                    Ok(rows) => {
                        let servers: Vec<String> = rows
                            .iter()
                            .map(|r| {
                                format!(
                                    "{}={}{}",
                                    &r.addr.clone().unwrap_or_default()[9..],
                                    r.status,
                                    if r.scur > 0 {
                                        format!("({})", r.scur)
                                    } else {
                                        String::new()
                                    }
                                )
                            })
                            .collect();
                        format!("{} [{}]", s.url, servers.join(" "))
                    }
                    Err(e) => format!("{} error: {e}", s.url),
                })
                .collect();
            format!("Lb {}", parts.join("; "))
        }
        Input::Pids(p) => format!(
            "Pids {}",
            p.iter()
                .map(|(u, n)| format!("{u}={n:?}"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Input::Failed(f) => format!("Failed {:?} {}", f.kind, f.message),
        Input::MetricBodies(bodies) => format!(
            "MetricBodies {}",
            bodies
                .iter()
                .map(|(task, body)| match body {
                    Ok(body) => format!("{task}={}", body.trim_end()),
                    Err(e) => format!("{task} error: {e}"),
                })
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => format!("{other:?}"),
    }
}

pub(super) fn action_line(action: &Action) -> String {
    match action {
        Action::Create(app) => format!(
            "Create {} instances={} port={} labels={}",
            app["id"],
            app["instances"],
            plan::service_port(app).unwrap_or(0),
            app["labels"]
        ),
        Action::Notify(event) => format!("Notify {}", event.line()),
        Action::ReadLbStats { workers: false } => "ReadLbStats".into(),
        Action::ReadLbStats { workers: true } => "ReadLbStats with the serving workers".into(),
        Action::Finish(Outcome::DryRun { app, steps }) => format!(
            "Finish DryRun app={} steps={steps:?}",
            app.as_ref()
                .map(|a| a["id"].to_string())
                .unwrap_or_default()
        ),
        Action::Finish(Outcome::Stopped {
            reason,
            message,
            hint,
        }) => format!(
            "Finish Stopped {reason:?}: {message} (hint: {})",
            hint.as_ref().map(|h| format!("{h:?}")).unwrap_or_default()
        ),
        other => format!("{other:?}"),
    }
}

pub(super) struct Run {
    pub(super) transcript: String,
    pub(super) outcome: Option<Outcome>,
}

/// Runs the machine against the world; `interrupt` returns true to send
/// Ctrl-C before the given action is answered.
pub(super) fn run(
    machine: &mut Machine,
    world: &mut World,
    mut interrupt: impl FnMut(&Action, &World) -> bool,
) -> Run {
    let t0 = Instant::now();
    let mut now = t0;
    let mut transcript = String::new();
    let mut queue: Vec<Action> = machine.handle(Input::Start, now);
    for _ in 0..2000 {
        let mut next = Vec::new();
        for action in queue.drain(..) {
            let _ = writeln!(transcript, "< {}", action_line(&action));
            if let Action::Finish(outcome) = action {
                return Run {
                    transcript,
                    outcome: Some(outcome),
                };
            }
            let input = if interrupt(&action, world) {
                Some(Input::Interrupted)
            } else {
                world.answer(&action)
            };
            if let Some(input) = input {
                let _ = writeln!(transcript, "> {}", input_line(&input));
                next.extend(machine.handle(input, now));
            }
        }
        if next.is_empty() {
            let Some(deadline) = machine.poll_timeout() else {
                break;
            };
            now = now.max(deadline);
            let _ = writeln!(transcript, "> Timer +{}s", now.duration_since(t0).as_secs());
            next = machine.handle(Input::Timer, now);
        }
        queue = next;
    }
    Run {
        transcript,
        outcome: None,
    }
}

/// Runs a machine for `config` against the world; it must reach its goal.
pub(super) fn run_to_done(config: Config, world: &mut World) -> Run {
    let mut machine = Machine::new(config);
    let run = run(&mut machine, world, never);
    assert!(
        matches!(run.outcome, Some(Outcome::Done(_))),
        "{}",
        run.transcript
    );
    run
}

pub(super) fn never(_: &Action, _: &World) -> bool {
    false
}

pub(super) fn app_ids(world: &World) -> Vec<(String, u32)> {
    let mut ids: Vec<(String, u32)> = world
        .apps
        .iter()
        .map(|a| (a.id.clone(), a.instances))
        .collect();
    ids.sort();
    ids
}

/// A `--drain-metric-gauge pending` on each task's `/metrics`: the test
/// world answers `pending 1` while it holds a task busy.
pub(super) fn pending_gauge() -> DrainMetric {
    DrainMetric {
        url: "http://{host}:{port}/metrics".into(),
        reader: crate::deploy::metric::MetricReader::Gauge("pending".into()),
    }
}

/// How a run that must stop ended: its reason, message and hint.
pub(super) fn stopped(run: &Run) -> (&StopReason, &str, Option<&Hint>) {
    match &run.outcome {
        Some(Outcome::Stopped {
            reason,
            message,
            hint,
        }) => (reason, message, hint.as_ref()),
        _ => panic!("the run did not stop:\n{}", run.transcript),
    }
}
