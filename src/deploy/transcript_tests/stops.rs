//! Transcript tests of the ways a run stops without losing anything: busy
//! drain metrics, old workers, conflicts, unreachable peers.

use serde_json::json;

use super::world::*;
use crate::deploy::machine::*;
use crate::deploy::stop::{Hint, StopReason};

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
    let (reason, message, _) = stopped(&run);
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
    let (reason, message, hint) = stopped(&run);
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
    assert!(
        matches!(hint, Some(Hint::ResumeOrRollBack { group }) if group == "web"),
        "{hint:?}"
    );
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
    let (reason, message, hint) = stopped(&run);
    assert!(matches!(reason, StopReason::CreateConflict), "{reason:?}");
    assert_eq!(
        message,
        "Marathon already has an app /web-green outside deployment group web \
         (An app with id [/web-green] already exists.); nothing was changed"
    );
    assert_eq!(
        hint,
        Some(&Hint::RemoveOrRename {
            app: "/web-green".into()
        })
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
    let (reason, message, hint) = stopped(&run);
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
        matches!(hint, Some(Hint::LetOtherFinish { group }) if group == "web"),
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

/// A Marathon that ignores the label selector lists every app: the
/// machine counts only its group's own, and never touches another group.
#[test]
fn apps_of_another_group_in_the_list_are_not_the_deploys() {
    let mut world = World::new();
    world.running("blue", 10000, 3, 0);
    let mut other = world.apps[0].clone();
    other.id = "/other-blue".into();
    other
        .labels
        .insert("HAPROXY_DEPLOYMENT_GROUP".into(), json!("other"));
    world.apps.push(other);
    let run = run_to_done(config(Mode::Deploy(user_app())), &mut world);
    assert_eq!(
        app_ids(&world),
        [
            ("/other-blue".to_string(), 3),
            ("/web-green".to_string(), 3)
        ]
    );
    assert!(
        !run.transcript
            .lines()
            .any(|l| l.starts_with('<') && l.contains("/other-blue")),
        "{}",
        run.transcript
    );
}
