//! Transcript tests of the drain proofs against threaded HAProxy: the
//! reload horizon, TCP backends, the metric proof.

use std::time::Duration;

use super::world::*;
use crate::deploy::machine::*;
use crate::deploy::stop::{Hint, StopReason};
use crate::lb::worker::Worker;

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
    let Some(Hint::Text(hint)) = hint else {
        panic!("{hint:?}")
    };
    assert!(hint.contains("hard-stop-after"), "{hint}");
    assert!(
        hint.contains("give the app a --drain-metric, or run HAProxy with nbthread 1"),
        "{hint}"
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
