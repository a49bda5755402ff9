//! Transcripts of the step-plan machine against a small world: a canary
//! whose servers answer with a given error share and response time, and
//! marathon-lb reloads that reset the counters.

use std::fmt::Write as _;

use super::*;
use crate::lb::stats::ServerCounters;

const NEW: &str = "10.0.0.1:31001";
const OLD: &str = "10.0.0.1:31002";

/// What the canary and the stable app do per look interval.
struct World {
    /// Responses per interval to each side.
    per_look: u64,
    /// Of the canary's, this many are 5xx.
    canary_errors: u64,
    canary_ms: u64,
    stable_ms: u64,
    /// The worker pid; a reload bumps it and zeroes the counters.
    worker: u32,
    /// Looks after which marathon-lb reloads.
    reload_at: Vec<u32>,
    looks: u32,
    new: ServerCounters,
    old: ServerCounters,
    /// A move fails with this exit code.
    move_fails: Option<u8>,
    /// The analysis hook fails from this look on.
    hook_fails_at: Option<u32>,
}

impl World {
    fn new(per_look: u64) -> Self {
        let server = |addr: &str| ServerCounters {
            addr: Some(addr.into()),
            status: "UP".into(),
            ..ServerCounters::default()
        };
        Self {
            per_look,
            canary_errors: 0,
            canary_ms: 10,
            stable_ms: 10,
            worker: 100,
            reload_at: Vec::new(),
            looks: 0,
            new: server(NEW),
            old: server(OLD),
            move_fails: None,
            hook_fails_at: None,
        }
    }

    fn look(&mut self) -> Input {
        self.looks += 1;
        if self.reload_at.contains(&self.looks) {
            self.worker += 1;
            self.new.hrsp = [0; 6];
            self.old.hrsp = [0; 6];
            self.new.lbtot = 0;
            self.old.lbtot = 0;
        }
        self.new.hrsp[1] += self.per_look - self.canary_errors.min(self.per_look);
        self.new.hrsp[4] += self.canary_errors.min(self.per_look);
        self.new.lbtot += self.per_look;
        self.new.rtime_ms = self.canary_ms;
        self.old.hrsp[1] += self.per_look * 3;
        self.old.lbtot += self.per_look * 3;
        self.old.rtime_ms = self.stable_ms;
        Input::Looked {
            looks: vec![Look {
                lb: "http://lb1:9090".into(),
                worker: Some(self.worker),
                servers: Ok(vec![self.new.clone(), self.old.clone()]),
            }],
            sides: vec![(NEW.into(), Side::New), (OLD.into(), Side::Old)],
            health: CanaryHealth::default(),
            hook_failure: self
                .hook_fails_at
                .filter(|at| self.looks >= *at)
                .map(|_| "exited with status 1".into()),
        }
    }
}

fn plan() -> Plan {
    Plan {
        steps: vec![1, 2],
        target: 4,
        pause: Pause::For(Duration::from_secs(30)),
        thresholds: Thresholds {
            max_error_rate: 0.01,
            max_latency_ratio: 2.0,
            max_latency_ms: 1000.0,
            min_requests: 20,
        },
        interval: Duration::from_secs(10),
        failure_limit: 0,
        consecutive_successes: 1,
        max_inconclusive: Duration::from_secs(30),
        rollback: true,
    }
}

fn line(action: &Action) -> String {
    match action {
        Action::Notify(Event::Analysis {
            step,
            new,
            old,
            resets,
            verdict,
            ..
        }) => format!(
            "Analysis step {step}: new {} req {} 5xx, old {} req, {resets} reset(s): {verdict:?}",
            new.requests, new.errors_5xx, old.requests
        ),
        other => format!("{other:?}"),
    }
}

/// Runs the plan from `start`; returns the transcript and the outcome.
fn run(plan: Plan, world: &mut World, start: usize) -> (String, Outcome) {
    let t0 = Instant::now();
    let mut now = t0;
    let mut machine = Rollout::new(plan);
    let mut out = String::new();
    let mut queue = machine.handle(Input::Start(start), now);
    for _ in 0..200 {
        let mut next = Vec::new();
        for action in queue.drain(..) {
            let _ = writeln!(out, "< {}", line(&action));
            let input = match action {
                Action::Finish(outcome) => return (out, outcome),
                Action::Step(_) | Action::Promote | Action::RollBack => {
                    Input::Moved(world.move_fails.take())
                }
                Action::Look => world.look(),
                Action::Notify(_) => continue,
            };
            next.extend(machine.handle(input, now));
        }
        if next.is_empty() {
            let deadline = machine
                .poll_timeout()
                .expect("a waiting machine has a deadline");
            now = now.max(deadline);
            let _ = writeln!(out, "> Timer +{}s", now.duration_since(t0).as_secs());
            next = machine.handle(Input::Timer, now);
        }
        queue = next;
    }
    panic!("the plan did not finish:\n{out}");
}

#[test]
fn a_good_canary_walks_every_step_to_the_promotion() {
    let mut world = World::new(50);
    let (transcript, outcome) = run(plan(), &mut world, 0);
    assert_eq!(outcome, Outcome::Promoted, "{transcript}");
    insta::assert_snapshot!(transcript);
}

#[test]
fn a_canary_answering_errors_is_rolled_back_at_its_first_look() {
    let mut world = World::new(50);
    world.canary_errors = 10;
    let (transcript, outcome) = run(plan(), &mut world, 0);
    assert_eq!(
        outcome,
        Outcome::RolledBack {
            step: 1,
            rule: "error rate 20% > --max-error-rate 1% (10 5xx and 0 transport error(s) of 50 request(s))".into(),
            canary_requests: 50,
        },
        "{transcript}"
    );
    assert!(!transcript.contains("Step(2)"), "{transcript}");
    insta::assert_snapshot!(transcript);
}

#[test]
fn a_slow_canary_is_caught_by_the_latency_ratio() {
    let mut world = World::new(50);
    world.canary_ms = 50;
    let (transcript, outcome) = run(plan(), &mut world, 0);
    assert!(
        matches!(&outcome, Outcome::RolledBack { rule, .. } if rule.contains("--max-latency-ratio")),
        "{transcript}"
    );
}

#[test]
fn too_little_traffic_is_inconclusive_and_stops_resumable_not_passed() {
    let mut world = World::new(2);
    let (transcript, outcome) = run(plan(), &mut world, 0);
    assert!(
        matches!(&outcome, Outcome::Stopped { step: 1, code: None, why } if why.contains("--min-requests")),
        "{outcome:?}\n{transcript}"
    );
    assert!(!transcript.contains("Step(2)") && !transcript.contains("Promote"));
    insta::assert_snapshot!(transcript);
}

#[test]
fn counter_resets_between_looks_are_stitched_not_failed() {
    let mut world = World::new(50);
    world.reload_at = vec![3, 4];
    let (transcript, outcome) = run(plan(), &mut world, 0);
    assert_eq!(outcome, Outcome::Promoted, "{transcript}");
    assert!(
        transcript.contains("1 reset(s)") && transcript.contains("2 reset(s)"),
        "{transcript}"
    );
    insta::assert_snapshot!(transcript);
}

#[test]
fn failure_limit_tolerates_that_many_failed_looks() {
    let mut p = plan();
    p.failure_limit = 1;
    p.steps = vec![1];
    let mut world = World::new(50);
    world.canary_errors = 10;
    let (transcript, outcome) = run(p, &mut world, 0);
    let failures = transcript.matches("Fail(").count();
    assert_eq!(
        failures, 2,
        "the second failed look rolls back: {transcript}"
    );
    assert!(matches!(outcome, Outcome::RolledBack { .. }));
}

#[test]
fn no_rollback_stops_with_the_split_left_as_it_is() {
    let mut p = plan();
    p.rollback = false;
    let mut world = World::new(50);
    world.canary_errors = 25;
    let (transcript, outcome) = run(p, &mut world, 0);
    assert!(
        matches!(outcome, Outcome::Failed { step: 1, .. }),
        "{transcript}"
    );
    assert!(!transcript.contains("RollBack"), "{transcript}");
}

#[test]
fn a_manual_gate_ends_the_run_once_the_step_passes_and_resume_goes_on() {
    let mut p = plan();
    p.pause = Pause::Manual;
    let mut world = World::new(50);
    let (_, outcome) = run(p.clone(), &mut world, 0);
    assert_eq!(outcome, Outcome::Paused { step: 1 });
    let (transcript, outcome) = run(p.clone(), &mut world, 1);
    assert_eq!(outcome, Outcome::Paused { step: 2 }, "{transcript}");
    assert!(
        transcript.starts_with("< Step(2)"),
        "resume starts at the step reached: {transcript}"
    );
    let (_, outcome) = run(p, &mut world, 2);
    assert_eq!(outcome, Outcome::Promoted);
}

#[test]
fn a_move_that_stops_stops_the_plan_with_its_code() {
    let mut world = World::new(50);
    world.move_fails = Some(10);
    let (_, outcome) = run(plan(), &mut world, 0);
    assert!(
        matches!(
            outcome,
            Outcome::Stopped {
                step: 1,
                code: Some(10),
                ..
            }
        ),
        "{outcome:?}"
    );
}

#[test]
fn a_failing_analysis_hook_fails_the_step_like_a_rule() {
    let mut world = World::new(50);
    world.hook_fails_at = Some(3);
    let (transcript, outcome) = run(plan(), &mut world, 0);
    assert_eq!(
        outcome,
        Outcome::RolledBack {
            step: 1,
            rule: "--analysis-hook: exited with status 1".into(),
            canary_requests: 100,
        },
        "{transcript}"
    );
}
