//! Transcript tests of the deploy machine: a small model of Marathon and
//! marathon-lb (whose servers come from `render`, the byte-exact renderer,
//! not from the machine's own view of the merge) answers every action,
//! and the `> input` / `< action` lines are compared with insta snapshots.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::*;
use crate::deploy::stop::{Request, StopReason};
use crate::lb::stats::StatsRow;
use crate::lb::worker::Worker;
use crate::marathon::types::{DeploymentRef, HealthCheckResult, Task, VersionInfo};

/// A model of Marathon plus marathon-lb.
struct World {
    apps: Vec<App>,
    clock: u32,
    next_port: u32,
    lbs: Vec<&'static str>,
    /// Sessions a draining server still holds, consumed one per stats read.
    sessions: BTreeMap<String, u64>,
    /// Apps whose tasks never get healthy.
    broken: Vec<String>,
    /// LBs that stop answering.
    dead_lbs: Vec<&'static str>,
    /// The pids each read returns, in order (then 2).
    pids: Vec<usize>,
    /// Faults: (action kind, nth occurrence from 1, the failure).
    faults: Vec<(&'static str, usize, Failure)>,
    seen: BTreeMap<&'static str, usize>,
    hook_fails: bool,
    /// Tasks whose drain metric reads busy, for this many more reads.
    metric_busy: BTreeMap<String, usize>,
    /// The serving HAProxy worker every stats read reports, if any (the
    /// profile read before planning reports it too, else one thread).
    worker: Option<Worker>,
    /// The running config every LB serves.
    lb_config: String,
    /// The stats page stops answering after the profiles were read.
    stats_page_down: bool,
    /// Another deployer creates this app (with its own labels) just before
    /// ours, whose create then meets Marathon's 409.
    rival: Option<Value>,
}

fn ts(n: u32) -> String {
    format!("2024-01-01T00:{:02}:{:02}.000Z", n / 60, n % 60)
}

impl World {
    fn new() -> Self {
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
            rival: None,
        }
    }

    fn tick(&mut self) -> String {
        self.clock += 1;
        ts(self.clock)
    }

    /// A settled app of the group, as a previous deploy left it.
    fn running(&mut self, colour: &str, port: u32, instances: u32, new_instances: u32) {
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

    fn app_mut(&mut self, id: &str) -> &mut App {
        self.apps.iter_mut().find(|a| a.id == id).unwrap()
    }

    fn set_instances(&mut self, id: &str, n: u32) {
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
    fn settle(&mut self) {
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

    fn fault(&mut self, kind: &'static str) -> Option<Failure> {
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
    fn stats(&mut self) -> Vec<LbSample> {
        let task_at: BTreeMap<String, String> = self
            .apps
            .iter()
            .flat_map(|a| a.tasks.iter())
            .map(|t| (format!("10.0.0.1:{}", t.ports[0]), t.id.clone()))
            .collect();
        let mut rows = Vec::new();
        for server in crate::deploy::rendered::servers(&self.apps.iter().collect::<Vec<_>>()) {
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

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            apps: self.apps.clone(),
            host_ips: BTreeMap::from([("agent1".to_string(), vec!["10.0.0.1".to_string()])]),
        }
    }

    /// Answers one action (None for Notify/Finish).
    fn answer(&mut self, action: &Action) -> Option<Input> {
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
            Action::Delete { app } => {
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

fn user_app() -> Value {
    json!({
        "id": "/web", "instances": 3, "cmd": "serve",
        "portDefinitions": [{"port": 10000, "protocol": "tcp"}],
        "healthChecks": [{"protocol": "HTTP", "path": "/"}],
        "labels": {"HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": "10001", "HAPROXY_GROUP": "external"}
    })
}

fn config(mode: Mode) -> Config {
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

fn group_line(apps: &[App]) -> String {
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

fn input_line(input: &Input) -> String {
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

fn action_line(action: &Action) -> String {
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
            hint.clone().unwrap_or_default()
        ),
        other => format!("{other:?}"),
    }
}

struct Run {
    transcript: String,
    outcome: Option<Outcome>,
}

/// Runs the machine against the world; `interrupt` returns true to send
/// Ctrl-C before the given action is answered.
fn run(
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
fn run_to_done(config: Config, world: &mut World) -> Run {
    let mut machine = Machine::new(config);
    let run = run(&mut machine, world, never);
    assert!(
        matches!(run.outcome, Some(Outcome::Done(_))),
        "{}",
        run.transcript
    );
    run
}

fn never(_: &Action, _: &World) -> bool {
    false
}

fn app_ids(world: &World) -> Vec<(String, u32)> {
    let mut ids: Vec<(String, u32)> = world
        .apps
        .iter()
        .map(|a| (a.id.clone(), a.instances))
        .collect();
    ids.sort();
    ids
}

#[test]
fn first_deploy_waits_for_healthy_tasks_and_the_lb() {
    let mut world = World::new();
    let run = run_to_done(config(Mode::Deploy(user_app())), &mut world);
    assert_eq!(app_ids(&world), [("/web-blue".to_string(), 3)]);
    insta::assert_snapshot!(run.transcript);
}

#[test]
fn blue_to_green_grows_by_half_and_kills_only_drained_tasks() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    let run = run_to_done(config(Mode::Deploy(user_app())), &mut world);
    assert_eq!(app_ids(&world), [("/web-green".to_string(), 3)]);
    assert_eq!(world.apps[0].ports, [10001], "green takes the ALT port");
    insta::assert_snapshot!(run.transcript);
}

#[test]
fn green_to_blue_with_sessions_and_two_lbs_and_surge() {
    let mut world = World::new();
    world.lbs = vec!["http://lb1:9090", "http://lb2:9090"];
    world.running("green", 10001, 3, 0);
    for port in 31001..=31003 {
        world.sessions.insert(format!("web-green.{port}"), 2);
    }
    let mut cfg = config(Mode::Deploy(user_app()));
    cfg.surge = true;
    cfg.build.surge = true;
    let run = run_to_done(cfg, &mut world);
    assert_eq!(app_ids(&world), [("/web-blue".to_string(), 3)]);
    assert_eq!(
        world.apps[0].ports,
        [10000],
        "blue returns to the original port"
    );
    insta::assert_snapshot!(run.transcript);
}

#[test]
fn dry_run_plans_and_sends_nothing() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    let mut cfg = config(Mode::Deploy(user_app()));
    cfg.dry_run = true;
    let mut m = Machine::new(cfg);
    let run = run(&mut m, &mut world, never);
    assert!(matches!(run.outcome, Some(Outcome::DryRun { .. })));
    assert_eq!(app_ids(&world), [("/web-blue".to_string(), 3)]);
    insta::assert_snapshot!(run.transcript);
}

#[test]
fn conflicts_and_server_errors_are_retried() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    let conflict = Failure {
        kind: FailureKind::Status(409),
        message: "App is locked by one or more deployments.".into(),
    };
    let server = Failure {
        kind: FailureKind::Status(500),
        message: "Internal Server Error".into(),
    };
    world.faults = vec![
        ("kill", 1, conflict.clone()),
        ("scale", 1, server.clone()),
        ("list", 3, server),
        ("delete", 1, conflict),
    ];
    let run = run_to_done(config(Mode::Deploy(user_app())), &mut world);
    assert_eq!(app_ids(&world), [("/web-green".to_string(), 3)]);
    insta::assert_snapshot!(run.transcript);
}

#[test]
fn a_rejected_create_stops_with_zdds_code() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    world.faults = vec![(
        "create",
        1,
        Failure {
            kind: FailureKind::Status(422),
            message: "servicePort 10001 is in use".into(),
        },
    )];
    let mut m = Machine::new(config(Mode::Deploy(user_app())));
    let run = run(&mut m, &mut world, never);
    let Some(Outcome::Stopped { reason, .. }) = run.outcome else {
        panic!("{}", run.transcript)
    };
    assert!(
        matches!(
            reason,
            StopReason::RequestFailed {
                request: Request::Create,
                ..
            }
        ),
        "{reason:?}"
    );
    assert_eq!(app_ids(&world), [("/web-blue".to_string(), 3)]);
}

#[test]
fn a_new_app_that_never_gets_healthy_leaves_the_old_one_untouched() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    world.broken = vec!["/web-green".into()];
    let mut m = Machine::new(config(Mode::Deploy(user_app())));
    let run = run(&mut m, &mut world, never);
    let Some(Outcome::Stopped {
        reason, message, ..
    }) = &run.outcome
    else {
        panic!("{}", run.transcript)
    };
    assert!(matches!(reason, StopReason::Unhealthy), "{reason:?}");
    assert!(
        message.contains("HTTP 503") && message.contains("/web-blue was not touched"),
        "{message}"
    );
    assert!(app_ids(&world).contains(&("/web-blue".to_string(), 3)));
    insta::assert_snapshot!(run.transcript);
}

#[test]
fn undrained_tasks_are_never_killed_and_the_stop_names_lb_server_and_sessions() {
    let mut world = World::new();
    world.lbs = vec!["http://lb1:9090", "http://lb2:9090"];
    world.running("blue", 10000, 3, 0);
    world.sessions.insert("web-blue.31001".into(), 1000);
    let mut m = Machine::new(config(Mode::Deploy(user_app())));
    let run = run(&mut m, &mut world, never);
    let Some(Outcome::Stopped {
        reason, message, ..
    }) = &run.outcome
    else {
        panic!("{}", run.transcript)
    };
    assert!(
        matches!(reason, StopReason::NotDrained { .. }),
        "{reason:?}"
    );
    assert!(
        message.contains(
            "http://lb1:9090: server 10.0.0.1:31001 of task web-blue.31001 is MAINT with"
        ),
        "{message}"
    );
    assert!(
        !run.transcript
            .contains("Kill { app: \"/web-blue\", tasks: [\"web-blue.31001\"]")
    );
    assert!(app_ids(&world).contains(&("/web-blue".to_string(), 3)));
}

#[test]
fn an_lb_that_stops_answering_blocks_kills_and_stops_with_code_5() {
    let mut world = World::new();
    world.lbs = vec!["http://lb1:9090", "http://lb2:9090"];
    world.dead_lbs = vec!["http://lb2:9090"];
    world.running("blue", 10000, 3, 0);
    let mut m = Machine::new(config(Mode::Deploy(user_app())));
    let run = run(&mut m, &mut world, never);
    let Some(Outcome::Stopped {
        reason, message, ..
    }) = &run.outcome
    else {
        panic!("{}", run.transcript)
    };
    assert!(matches!(reason, StopReason::LbUnreachable), "{reason:?}");
    assert!(
        message.contains("http://lb2:9090 (connection refused)"),
        "{message}"
    );
    assert!(!run.transcript.contains("< Kill"));
}

#[test]
fn a_reloading_haproxy_defers_the_kill_and_pids_are_read_once_per_decision() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    world.pids = vec![3, 3];
    let run = run_to_done(config(Mode::Deploy(user_app())), &mut world);
    let reads = run.transcript.matches("< ReadLbPids").count();
    let kills =
        run.transcript.matches("< Kill").count() + run.transcript.matches("< Delete").count();
    assert_eq!(
        reads,
        kills + 2,
        "one pid read per kill decision, two deferred"
    );
}

#[test]
fn a_failing_pre_kill_hook_stops_resumable_with_exit_2() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    world.hook_fails = true;
    let mut cfg = config(Mode::Deploy(user_app()));
    cfg.pre_kill_hook = true;
    let mut m = Machine::new(cfg);
    let run = run(&mut m, &mut world, never);
    let Some(Outcome::Stopped { reason, .. }) = run.outcome else {
        panic!()
    };
    assert!(matches!(reason, StopReason::HookFailed), "{reason:?}");
    assert!(!run.transcript.contains("< Kill"));
}

/// Ctrl-C before each kind of action, then `--resume` finishes the deploy
/// and `--complete-prev` returns to blue.
#[test]
fn ctrl_c_at_every_phase_then_resume_or_rollback() {
    let mut transcripts = String::new();
    for (phase, nth) in [
        ("Create", 1),
        ("Scale", 1),
        ("ReadLbStats", 2),
        ("Kill", 1),
        ("ReadLbPids", 2),
        ("Delete", 1),
    ] {
        for resume in [true, false] {
            let mut world = World::new();
            world.running("blue", 10000, 3, 0);
            let mut seen = 0;
            let mut m = Machine::new(config(Mode::Deploy(user_app())));
            let first = run(&mut m, &mut world, |action, _| {
                let name = action_line(action);
                if name.starts_with(phase) {
                    seen += 1;
                }
                name.starts_with(phase) && seen == nth
            });
            let Some(Outcome::Stopped { reason, .. }) = first.outcome else {
                panic!("{phase}: {}", first.transcript)
            };
            assert!(matches!(reason, StopReason::Interrupted), "{reason:?}");
            let state = group_line(&world.apps);
            let mode = if resume {
                Mode::Resume
            } else {
                Mode::CompletePrevious
            };
            let mut m = Machine::new(config(mode.clone()));
            let second = run(&mut m, &mut world, never);
            let expected = match (phase, resume) {
                ("Create", _) => "/web-blue",
                ("Delete", true) => "/web-green",
                (_, true) => "/web-green",
                (_, false) => "/web-blue",
            };
            let result = group_line(&world.apps);
            assert_eq!(
                app_ids(&world),
                [(expected.to_string(), 3)],
                "{phase}#{nth} {mode:?}: {}",
                second.transcript
            );
            let _ = writeln!(
                transcripts,
                "Ctrl-C before {phase} #{nth}: {state}; {mode:?} -> {result}"
            );
        }
    }
    insta::assert_snapshot!(transcripts);
}

#[test]
fn split_then_move_then_promote() {
    let mut world = World::new();
    world.running("blue", 10000, 4, 0);
    world
        .app_mut("/web-blue")
        .labels
        .insert(labels::DEPLOYMENT_TARGET_INSTANCES.into(), json!("4"));
    let mut cfg = config(Mode::Deploy(user_app()));
    cfg.build.new_instances = 2;
    let mut m = Machine::new(cfg);
    let split = run(&mut m, &mut world, never);
    assert!(
        matches!(split.outcome, Some(Outcome::Done(_))),
        "{}",
        split.transcript
    );
    assert_eq!(
        app_ids(&world),
        [("/web-blue".into(), 2), ("/web-green".into(), 2)]
    );
    let labels_before = world.app_mut("/web-green").labels.clone();
    let mut m = Machine::new(config(Mode::MoveSplit(3)));
    let moved = run(&mut m, &mut world, never);
    assert_eq!(
        app_ids(&world),
        [("/web-blue".into(), 1), ("/web-green".into(), 3)],
        "{}",
        moved.transcript
    );
    assert_eq!(
        world.app_mut("/web-green").labels,
        labels_before,
        "labels untouched"
    );
    let mut m = Machine::new(config(Mode::MoveSplit(1)));
    let back = run(&mut m, &mut world, never);
    assert_eq!(
        app_ids(&world),
        [("/web-blue".into(), 3), ("/web-green".into(), 1)],
        "{}",
        back.transcript
    );
    let mut m = Machine::new(config(Mode::CompleteCurrent));
    let promote = run(&mut m, &mut world, never);
    assert_eq!(
        app_ids(&world),
        [("/web-green".into(), 4)],
        "{}",
        promote.transcript
    );
    insta::assert_snapshot!(format!(
        "{}\n---- move to 3\n{}\n---- move to 1\n{}\n---- promote\n{}",
        split.transcript, moved.transcript, back.transcript, promote.transcript
    ));
}

#[test]
fn complete_flags_need_a_hybrid_group() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    let mut m = Machine::new(config(Mode::CompleteCurrent));
    let run = run(&mut m, &mut world, never);
    let Some(Outcome::Stopped { reason, .. }) = run.outcome else {
        panic!()
    };
    assert!(matches!(reason, StopReason::WrongGroupState), "{reason:?}");
}

#[test]
fn a_second_deploy_during_one_in_progress_is_refused() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    world.running("green", 10001, 1, 0);
    let mut m = Machine::new(config(Mode::Deploy(user_app())));
    let run = run(&mut m, &mut world, never);
    let Some(Outcome::Stopped {
        reason, message, ..
    }) = run.outcome
    else {
        panic!()
    };
    assert!(matches!(reason, StopReason::AlreadyDeploying), "{reason:?}");
    assert!(message.contains("existing deployment in progress"));
}

/// A `--drain-metric-gauge pending` on each task's `/metrics`: the test
/// world answers `pending 1` while it holds a task busy.
fn pending_gauge() -> DrainMetric {
    DrainMetric {
        url: "http://{host}:{port}/metrics".into(),
        reader: crate::deploy::metric::MetricReader::Gauge("pending".into()),
    }
}

/// The drain metric holds a task busy: it is neither killed nor deleted
/// with its app until it reads 0; the other drained tasks go meanwhile.
#[test]
fn a_busy_drain_metric_defers_the_kill_and_the_delete_of_that_task_only() {
    for held in ["web-blue.31001", "web-blue.31003"] {
        let mut world = World::new();
        world.running("blue", 10000, 3, 0);
        world.metric_busy.insert(held.into(), 6);
        let mut cfg = config(Mode::Deploy(user_app()));
        cfg.drain_metric = Some(pending_gauge());
        let run = run_to_done(cfg, &mut world);
        assert_eq!(app_ids(&world), [("/web-green".to_string(), 3)]);
        let busy_reads = run
            .transcript
            .lines()
            .filter(|l| l.starts_with("> MetricBodies") && l.contains(&format!("{held}=pending 1")))
            .count();
        assert_eq!(busy_reads, 5, "{}", run.transcript);
        assert!(run.transcript.contains(&format!(
            "waiting for the drain metric of 1 task(s) of /web-blue to read 0: {held}"
        )));
        let gone = |line: &&str| {
            line.starts_with("< Delete") || (line.starts_with("< Kill") && line.contains(held))
        };
        let lines: Vec<&str> = run.transcript.lines().collect();
        let last_wait = lines
            .iter()
            .rposition(|l| l.contains("waiting for the drain metric"))
            .unwrap();
        let first_gone = lines.iter().position(gone).unwrap();
        assert!(
            first_gone > last_wait,
            "{held} went while busy:\n{}",
            run.transcript
        );
    }
}

#[test]
fn a_drain_metric_that_stays_busy_stops_resumable_after_max_wait() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    world
        .metric_busy
        .insert("web-blue.31001".into(), usize::MAX);
    let mut cfg = config(Mode::Deploy(user_app()));
    cfg.drain_metric = Some(pending_gauge());
    let mut m = Machine::new(cfg);
    let run = run(&mut m, &mut world, never);
    let Some(Outcome::Stopped {
        reason, message, ..
    }) = &run.outcome
    else {
        panic!("{}", run.transcript)
    };
    assert!(
        matches!(reason, StopReason::DrainMetricBusy { .. }),
        "{reason:?}"
    );
    assert!(
        message.contains("web-blue.31001 of /web-blue still report pending work"),
        "{message}"
    );
    assert!(!run.transcript.contains("< Kill"), "{}", run.transcript);
    assert!(app_ids(&world).contains(&("/web-blue".to_string(), 3)));
}

/// An old HAProxy worker that never exits (a connection it still serves)
/// holds every kill; the wait is reported and ends at `--max-wait`,
/// resumable, with nothing killed.
#[test]
fn an_old_haproxy_worker_that_never_exits_stops_resumable_at_max_wait() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    world.pids = vec![3; 10_000];
    let mut m = Machine::new(config(Mode::Deploy(user_app())));
    let run = run(&mut m, &mut world, never);
    let Some(Outcome::Stopped {
        reason,
        message,
        hint,
    }) = &run.outcome
    else {
        panic!("{}", run.transcript)
    };
    assert!(
        matches!(reason, StopReason::OldHaproxyRunning),
        "{reason:?}"
    );
    assert_eq!(
        message,
        "old HAProxy processes did not exit within --max-wait (30 s); no task was killed: \
         http://lb1:9090 has 3 HAProxy processes (master and workers: 1 older worker(s) still \
         serve connections opened before a reload)"
    );
    assert!(hint.as_deref().is_some_and(|r| r.contains("--resume")));
    assert!(
        run.transcript.contains(
            "waiting for old HAProxy processes to exit before killing: http://lb1:9090 has 3"
        ),
        "{}",
        run.transcript
    );
    assert!(!run.transcript.contains("< Kill"), "{}", run.transcript);
    assert!(app_ids(&world).contains(&("/web-blue".to_string(), 3)));
}

/// Marathon answers every create with 409 because the id belongs to an app
/// outside the group: one create, then a stop that names the app (before,
/// the machine created again after every listing, without end).
#[test]
fn a_create_conflict_with_an_app_outside_the_group_stops_after_one_try() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    for n in 1..=100 {
        world.faults.push((
            "create",
            n,
            Failure {
                kind: FailureKind::Status(409),
                message: "An app with id [/web-green] already exists.".into(),
            },
        ));
    }
    let mut m = Machine::new(config(Mode::Deploy(user_app())));
    let run = run(&mut m, &mut world, never);
    let Some(Outcome::Stopped {
        reason,
        message,
        hint,
    }) = &run.outcome
    else {
        panic!("{}", run.transcript)
    };
    assert!(matches!(reason, StopReason::CreateConflict), "{reason:?}");
    assert_eq!(
        message,
        "Marathon already has an app /web-green outside deployment group web \
         (An app with id [/web-green] already exists.); nothing was changed"
    );
    assert!(
        hint.as_deref()
            .is_some_and(|h| h.contains("dcos lb app remove /web-green")),
        "{hint:?}"
    );
    assert_eq!(
        run.transcript.matches("< Create").count(),
        1,
        "{}",
        run.transcript
    );
}

/// A Marathon that cannot be reached at the first look stops the run at
/// once (exit 6), not after --max-wait of retries.
#[test]
fn an_unreachable_marathon_at_the_first_look_stops_at_once() {
    let mut world = World::new();
    world.faults.push((
        "list",
        1,
        Failure {
            kind: FailureKind::NoAnswer,
            message: "Marathon at http://m:8080 is unreachable (connection refused)".into(),
        },
    ));
    let mut m = Machine::new(config(Mode::Deploy(user_app())));
    let run = run(&mut m, &mut world, never);
    let Some(Outcome::Stopped {
        reason,
        message,
        hint,
    }) = &run.outcome
    else {
        panic!("{}", run.transcript)
    };
    assert!(
        matches!(reason, StopReason::MarathonUnreachable),
        "{reason:?}"
    );
    assert!(
        message.ends_with("(connection refused); nothing was changed"),
        "{message}"
    );
    assert!(hint.is_none());
    assert_eq!(
        run.transcript.matches("< ListGroup").count(),
        1,
        "{}",
        run.transcript
    );
}

/// The running config of the world's LB, as marathon-lb writes it, with
/// timeouts short enough for a test: one request's phases end within
/// 1 + 2 + 1 × 1 + 3 = 7 s.
const HORIZON_CONFIG: &str = "global\n  maxconn 50000\ndefaults\n  retries 0\n  timeout connect 1s\n  \
    timeout client 30s\n  timeout server 3s\n  timeout http-keep-alive 1s\n  timeout http-request 2s\n\
    backend web_10000\n  balance roundrobin\n  mode http\n  server a 10.0.0.1:31001 check\n";

/// A world whose one LB runs 2 HAProxy threads, whose serving worker
/// always started just now, with this running config.
fn threaded_world(config: &str) -> World {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    world.worker = Some(Worker {
        pid: 42,
        threads: 2,
        uptime: Duration::ZERO,
    });
    world.lb_config = config.into();
    world
}

fn config_with(proof: ProofChoice) -> Config {
    let mut cfg = config(Mode::Deploy(user_app()));
    cfg.drain_proof = proof;
    cfg.step_delay = Duration::from_secs(1);
    cfg
}

/// How a run that must stop ended: its reason, message and hint.
fn stopped(run: &Run) -> (&StopReason, &str, Option<&str>) {
    match &run.outcome {
        Some(Outcome::Stopped {
            reason,
            message,
            hint,
        }) => (reason, message, hint.as_deref()),
        _ => panic!("the run did not stop:\n{}", run.transcript),
    }
}

/// Seconds since the start at each transcript line (from its timer lines).
fn timed_lines(transcript: &str) -> Vec<(u64, &str)> {
    let mut at = 0;
    transcript
        .lines()
        .map(|line| {
            if let Some(s) = line.strip_prefix("> Timer +") {
                at = s.trim_end_matches('s').parse().unwrap();
            }
            (at, line)
        })
        .collect()
}

/// With the reload horizon, a drained task is killed only once the reload
/// that took it out of service (here: every look shows a worker started
/// just now) is older than the horizon, and /_haproxy_getpids is never
/// asked.
#[test]
fn the_horizon_holds_each_kill_until_no_older_worker_can_send_to_the_task() {
    let mut world = threaded_world(HORIZON_CONFIG);
    let run = run_to_done(config_with(ProofChoice::Auto), &mut world);
    assert_eq!(app_ids(&world), [("/web-green".to_string(), 3)]);
    assert!(!run.transcript.contains("ReadLbPids"), "{}", run.transcript);
    assert!(run.transcript.contains(
        "drain proof: horizon — marathon-lb at http://lb1:9090 runs 2 HAProxy threads: not calling /_haproxy_getpids"
    ));
    assert!(run.transcript.contains(
        "reload horizon on http://lb1:9090: 7 s (timeout http-keep-alive 1 s + http-request 2 s + 1 × connect 1 s + server 3 s = 7 s)"
    ));
    assert!(
        run.transcript
            .contains("waiting out the reload horizon before killing")
    );
    let lines = timed_lines(&run.transcript);
    for task in ["web-blue.31001", "web-blue.31002", "web-blue.31003"] {
        let server = &task[task.len() - 5..];
        let first_maint = lines
            .iter()
            .find(|(_, l)| l.starts_with("> Lb") && l.contains(&format!("{server}=MAINT")))
            .map(|(at, _)| *at)
            .unwrap_or_else(|| panic!("{task} never drained:\n{}", run.transcript));
        let gone = lines
            .iter()
            .find(|(_, l)| {
                (l.starts_with("< Kill") && l.contains(task)) || l.starts_with("< Delete")
            })
            .map(|(at, _)| *at)
            .unwrap();
        assert!(
            gone >= first_maint + 7,
            "{task}: MAINT at +{first_maint}s, killed at +{gone}s:\n{}",
            run.transcript
        );
    }
    insta::assert_snapshot!(run.transcript);
}

/// A worker that has run longer than the horizon proves at once that no
/// older one can send to the task (a resumed deploy does not wait again).
#[test]
fn a_worker_older_than_the_horizon_lets_the_kill_go_at_once() {
    let mut world = threaded_world(HORIZON_CONFIG);
    world.worker.as_mut().unwrap().uptime = Duration::from_secs(600);
    let run = run_to_done(config_with(ProofChoice::Horizon), &mut world);
    assert_eq!(app_ids(&world), [("/web-green".to_string(), 3)]);
    assert!(
        !run.transcript.contains("waiting out the reload horizon"),
        "{}",
        run.transcript
    );
}

/// An LB whose stats page cannot be read proves nothing: its drained
/// tasks wait, and the deploy stops resumable at --max-wait.
#[test]
fn without_the_serving_worker_the_horizon_never_lets_a_kill_go() {
    let mut world = threaded_world(HORIZON_CONFIG);
    world.stats_page_down = true;
    let mut m = Machine::new(config_with(ProofChoice::Horizon));
    let run = run(&mut m, &mut world, never);
    assert!(run.transcript.contains("=MAINT"), "{}", run.transcript);
    assert!(!run.transcript.contains("< Kill"), "{}", run.transcript);
    assert!(
        matches!(stopped(&run).0, StopReason::NotDrained { .. }),
        "{:?}",
        stopped(&run).0
    );
}

/// `mode tcp` has no horizon: asked for explicitly, the deploy stops before
/// its first write; chosen by `auto`, it falls back to zdd.py's pids and
/// says why and how to avoid it.
#[test]
fn a_tcp_backend_has_no_horizon() {
    let tcp = HORIZON_CONFIG.replace("mode http", "mode tcp");
    let mut world = threaded_world(&tcp);
    let mut m = Machine::new(config_with(ProofChoice::Horizon));
    let run = run(&mut m, &mut world, never);
    let (reason, message, hint) = stopped(&run);
    assert!(matches!(reason, StopReason::ProofUnavailable), "{reason:?}");
    assert!(
        message.contains("backend web_10000 is mode tcp")
            && message.contains("nothing was changed"),
        "{message}"
    );
    assert!(hint.unwrap_or("").contains("hard-stop-after"), "{hint:?}");
    assert!(
        hint.unwrap_or("")
            .contains("give the app a --drain-metric, or run HAProxy with nbthread 1"),
        "{hint:?}"
    );
    assert!(!run.transcript.contains("< Create"), "{}", run.transcript);

    let mut world = threaded_world(&tcp);
    let run = run_to_done(config_with(ProofChoice::Auto), &mut world);
    assert_eq!(app_ids(&world), [("/web-green".to_string(), 3)]);
    assert!(
        run.transcript.contains("< ReadLbPids"),
        "{}",
        run.transcript
    );
    assert!(
        run.transcript.contains("drain proof: pids — no reload horizon exists (http://lb1:9090: backend web_10000 is mode tcp"),
        "{}",
        run.transcript
    );
    assert!(
        run.transcript
            .contains("asking /_haproxy_getpids once per kill as zdd.py does"),
        "{}",
        run.transcript
    );
}

/// The metric proof asks no pids: the app's gauge is the proof.
#[test]
fn the_metric_proof_never_asks_for_pids() {
    let mut world = threaded_world(HORIZON_CONFIG);
    world.metric_busy.insert("web-blue.31002".into(), 3);
    let mut cfg = config_with(ProofChoice::Auto);
    cfg.drain_metric = Some(pending_gauge());
    let run = run_to_done(cfg, &mut world);
    assert_eq!(app_ids(&world), [("/web-green".to_string(), 3)]);
    assert!(!run.transcript.contains("ReadLbPids"), "{}", run.transcript);
    assert!(
        run.transcript
            .lines()
            .any(|l| l.starts_with("> MetricBodies") && l.contains("web-blue.31002=pending 1")),
        "{}",
        run.transcript
    );
}

/// Two deploys of one group at once: both read the group before either
/// wrote, the other one's create reached Marathon first. This one's create
/// meets 409, and the app it finds carries the other run's start mark, so
/// it stops having changed nothing, and says who holds the group.
#[test]
fn a_concurrent_deployer_that_created_first_stops_this_run() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    let mut rival = user_app();
    rival["id"] = json!("/web-green");
    rival["labels"]["HAPROXY_DEPLOYMENT_GROUP"] = json!("web");
    rival["labels"]["HAPROXY_DEPLOYMENT_STARTED_AT"] = json!("2024-06-01T00:00:00.5");
    rival["labels"]["HAPROXY_DEPLOYMENT_COLOUR"] = json!("green");
    world.rival = Some(rival);
    let mut m = Machine::new(config(Mode::Deploy(user_app())));
    let run = run(&mut m, &mut world, never);
    let (reason, message, hint) = stopped(&run);
    assert!(
        matches!(reason, StopReason::CreateConflict),
        "{}",
        run.transcript
    );
    assert!(
        message.starts_with(
            "another deploy of group web created /web-green while this one was starting"
        ) && message.contains("HAPROXY_DEPLOYMENT_STARTED_AT=2024-06-01T00:00:00.5"),
        "{message}"
    );
    assert!(
        hint.is_some_and(|h| h.contains("dcos lb status web")),
        "{hint:?}"
    );
    let writes = run
        .transcript
        .lines()
        .filter(|l| {
            ["< Scale", "< Kill", "< Delete"]
                .iter()
                .any(|w| l.starts_with(w))
        })
        .count();
    assert_eq!(writes, 0, "{}", run.transcript);
}

/// A run stopped before its create changed nothing: Ctrl-C at the
/// "Continue with deployment?" prompt offers no `--resume` or rollback.
#[test]
fn a_stop_before_the_create_offers_no_resume() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    let mut cfg = config(Mode::Deploy(user_app()));
    cfg.force = false;
    let mut m = Machine::new(cfg);
    let run = run(&mut m, &mut world, |action, _| {
        matches!(action, Action::Confirm(_))
    });
    let (reason, _, hint) = stopped(&run);
    assert!(
        matches!(reason, StopReason::Interrupted),
        "{}",
        run.transcript
    );
    assert_eq!(hint, None, "{}", run.transcript);
    assert!(!run.transcript.contains("< Create"));
}

/// Rolling back a deploy interrupted early (green started with 1 task and
/// was scaled last, blue still at its size): marathon-lb drains blue, so
/// the only way to make blue the app it calls new is to kill blue's
/// drained task with scale and start it again. The plan says so before it
/// happens, and the backend never has fewer than the target UP.
#[test]
fn an_early_rollback_says_why_it_restarts_a_drained_task_of_the_app_it_restores() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    world.running("green", 10001, 1, 0);
    let run = run_to_done(config(Mode::CompletePrevious), &mut world);
    assert_eq!(app_ids(&world), [("/web-blue".to_string(), 3)]);
    let lines: Vec<&str> = run.transcript.lines().collect();
    let note = lines
        .iter()
        .position(|l| {
            l.starts_with("< Notify first step: marathon-lb takes /web-green for the new app because it was scaled last")
        })
        .unwrap_or_else(|| panic!("{}", run.transcript));
    let first_kill = lines.iter().position(|l| l.starts_with("< Kill")).unwrap();
    assert!(note < first_kill, "{}", run.transcript);
    assert!(lines[first_kill].contains("web-blue"), "{}", run.transcript);
    for lb in lines.iter().filter(|l| l.starts_with("> Lb ")) {
        let up = lb.matches("=UP").count();
        assert!(
            up >= 3,
            "fewer than the target UP: {lb}\n{}",
            run.transcript
        );
    }
}

/// A first deploy of 0 instances with an LB that does not answer is not
/// "UP on 1 marathon-lb instance(s)": nothing proves that LB lists it, so
/// the run stops at --max-wait naming the LB.
#[test]
fn an_unreachable_lb_is_never_counted_as_listing_the_new_app() {
    let mut world = World::new();
    world.dead_lbs = vec!["http://lb1:9090"];
    let mut app = user_app();
    app["instances"] = json!(0);
    let mut m = Machine::new(config(Mode::Deploy(app)));
    let run = run(&mut m, &mut world, never);
    assert!(!run.transcript.contains(" UP on "), "{}", run.transcript);
    let (reason, message, _) = stopped(&run);
    assert!(
        matches!(reason, StopReason::LbUnreachable),
        "{}",
        run.transcript
    );
    assert!(
        message.contains("http://lb1:9090 (connection refused)"),
        "{message}"
    );
}

/// With the growing app at its size, a delete that waits for one busy task
/// kills none of the idle ones meanwhile: a kill with scale would make the
/// old app the one marathon-lb calls new and drain healthy new tasks.
#[test]
fn a_delete_waiting_for_a_busy_task_kills_no_task_meanwhile() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    world.metric_busy.insert("web-blue.31003".into(), 6);
    let mut cfg = config(Mode::Deploy(user_app()));
    cfg.drain_metric = Some(pending_gauge());
    cfg.surge = true;
    cfg.build.surge = true;
    let run = run_to_done(cfg, &mut world);
    assert_eq!(app_ids(&world), [("/web-green".to_string(), 3)]);
    assert!(run.transcript.contains("< Delete"), "{}", run.transcript);
    assert!(!run.transcript.contains("< Kill"), "{}", run.transcript);
}

/// The machine, not the driver, reads the metric: a body it cannot read
/// as a clear 0 (an error, another gauge, a non-zero value) holds the task.
#[test]
fn only_a_clear_zero_lets_a_task_go() {
    let mut cfg = config(Mode::Deploy(user_app()));
    cfg.drain_metric = Some(pending_gauge());
    let m = Machine::new(cfg);
    let bodies = vec![
        ("a".to_string(), Ok("pending 0\n".to_string())),
        ("b".to_string(), Ok("pending 0.5\n".to_string())),
        ("c".to_string(), Ok("other 0\n".to_string())),
        ("d".to_string(), Err("connection refused".to_string())),
    ];
    assert_eq!(m.busy_tasks(&bodies), ["b", "c", "d"]);
}
