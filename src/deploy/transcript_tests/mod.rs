//! Transcript tests of the deploy machine: a small model of Marathon and
//! marathon-lb (whose servers come from `render`, the byte-exact renderer,
//! not from the machine's own view of the merge) answers every action,
//! and the `> input` / `< action` lines are compared with insta snapshots.
//!
//! This file holds the flows a user runs (deploy, split, interrupts);
//! `stops` the ways a run stops safely, `horizon` the drain proofs.

mod horizon;
mod stops;
mod world;

use std::fmt::Write as _;

use serde_json::json;

use crate::deploy::machine::*;
use crate::deploy::stop::{Request, StopReason};
use world::*;

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
    let (reason, message, _) = stopped(&run);
    assert!(matches!(reason, StopReason::Unhealthy), "{reason:?}");
    assert!(
        message.contains("HTTP 503") && message.contains("/web-blue was not touched"),
        "{message}"
    );
    assert!(app_ids(&world).contains(&("/web-blue".to_string(), 3)));
    insta::assert_snapshot!(run.transcript);
}

/// A release whose tasks never pass a health check: the deploy stops with
/// Marathon's deployment of it still running (it never ends), and the
/// rollback deletes it with `force=true` — its tasks were never servers of
/// marathon-lb — while the old app keeps its full count throughout.
#[test]
fn a_rollback_removes_a_release_that_never_got_healthy_by_overriding_its_deployment() {
    let mut world = World::new();
    world.health_check_lb = true;
    world.running("blue", 10000, 3, 0);
    world.broken = vec!["/web-green".into()];
    let mut m = Machine::new(config(Mode::Deploy(user_app())));
    let deploy = run(&mut m, &mut world, never);
    assert!(matches!(stopped(&deploy).0, StopReason::Unhealthy));
    assert!(
        group_line(&world.apps).contains("/web-green 0/1 healthy deploying"),
        "{}",
        group_line(&world.apps)
    );
    let rollback = run_to_done(config(Mode::CompletePrevious), &mut world);
    assert_eq!(app_ids(&world), [("/web-blue".to_string(), 3)]);
    assert!(
        rollback
            .transcript
            .contains(r#"< Delete { app: "/web-green", force: true }"#),
        "{}",
        rollback.transcript
    );
    assert!(
        !rollback.transcript.contains("< Scale"),
        "blue was never scaled"
    );
    insta::assert_snapshot!(rollback.transcript);
}

#[test]
fn undrained_tasks_are_never_killed_and_the_stop_names_lb_server_and_sessions() {
    let mut world = World::new();
    world.lbs = vec!["http://lb1:9090", "http://lb2:9090"];
    world.running("blue", 10000, 3, 0);
    world.sessions.insert("web-blue.31001".into(), 1000);
    let mut m = Machine::new(config(Mode::Deploy(user_app())));
    let run = run(&mut m, &mut world, never);
    let (reason, message, _) = stopped(&run);
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
    let (reason, message, _) = stopped(&run);
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
    assert!(matches!(reason, StopReason::NotHybrid), "{reason:?}");
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
