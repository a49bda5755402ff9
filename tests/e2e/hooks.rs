//! The deploy's hooks into the user's world, end to end under load:
//! `--drain-metric` (a task's own Prometheus gauge holds its kill) and
//! `--pre-kill-hook` (zdd.py's three arguments; a failing hook stops the
//! deploy with exit 2, resumable).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::harness::{Harness, owned, report};
use crate::support::marathon_sim::Recorded;

/// The bound of one run: as for deploy (tests/e2e/deploy.rs), ≈ 25 s of
/// steps at most, with room for a loaded 2-core machine.
const LIMIT: Duration = Duration::from_secs(90);

/// The task ids of an app in the simulator, sorted.
fn task_ids(h: &Harness, app: &str) -> Vec<String> {
    let mut ids: Vec<String> = h
        .sim
        .tasks(app)
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

/// The task ids of every `POST /v2/tasks/delete` so far, one list per request.
fn kills(requests: &[Recorded]) -> Vec<Vec<String>> {
    requests
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/v2/tasks/delete"))
        .map(|r| {
            let body: Value = serde_json::from_str(&r.body).unwrap();
            body["ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| id.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

fn deletes(requests: &[Recorded], app: &str) -> usize {
    requests
        .iter()
        .filter(|r| r.method == "DELETE" && r.path.ends_with(&format!("/v2/apps{app}")))
        .count()
}

/// An executable shell script under the test's HOME.
fn script(h: &Harness, name: &str, body: &str) -> PathBuf {
    let path = h.home().join(name);
    fs_err::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    fs_err::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Marathon-lb drains the old tasks in id order, so the last one is the
/// last to go: holding it busy holds the old app's delete too, and once the
/// new app is at its size the idle old tasks wait for that delete rather
/// than being killed one by one (each such kill would make the old app the
/// one marathon-lb calls new).
#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn a_busy_drain_metric_holds_the_kill_until_it_reads_zero() {
    let mut h = Harness::new(1);
    let metric = "http://{host}:{port}/metrics";
    h.drain_by(&[
        "--drain-metric",
        metric,
        "--drain-metric-gauge",
        "pending_operations",
    ]);
    let v1 = h.app_file("v1", 3, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let blue = task_ids(&h, "/web-blue");
    let held = blue.last().unwrap().clone();
    h.sim.set_pending_operations(&held, 2);
    let load = h.load();
    let v2 = h.app_file("v2", 3, json!({}));
    let running = h.spawn(&["deploy", v2.to_str().unwrap(), "-w", "60"]);
    let deadline = Instant::now() + LIMIT;
    while !running.stderr().contains("waiting for the drain metric") {
        assert!(
            Instant::now() < deadline,
            "the deploy never waited for the metric:\n{}",
            running.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // What must not happen has a window to happen in: several rounds of
    // the deploy (-s 0.5, LB polls every 0.5 s) while the gauge reads 2.
    std::thread::sleep(Duration::from_secs(3));
    let requests = h.sim.requests();
    assert!(
        !kills(&requests).concat().contains(&held),
        "{held} was killed while busy"
    );
    assert_eq!(
        deletes(&requests, "/web-blue"),
        0,
        "blue deleted while busy"
    );
    assert!(task_ids(&h, "/web-blue").contains(&held));
    assert!(
        running
            .stderr()
            .contains(&format!("of /web-blue to read 0: {held}")),
        "{}",
        running.stderr()
    );
    h.sim.set_pending_operations(&held, 0);
    let (code, stderr) = running.wait(LIMIT);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(h.apps(), owned(&[("/web-green", 3)]));
    assert_eq!(deletes(&h.sim.requests(), "/web-blue"), 1);
    let killed = kills(&h.sim.requests()).concat();
    assert!(
        !killed.iter().any(|t| t.starts_with("web-green")),
        "{killed:?}"
    );
    let counts = load.stop();
    report("drain metric", &counts);
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn the_pre_kill_hook_gets_zdds_arguments_and_a_failing_one_stops_resumable() {
    let h = Harness::new(1);
    let v1 = h.app_file("v1", 3, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let blue = task_ids(&h, "/web-blue");
    let load = h.load();
    let failing = script(&h, "failing-hook", "exit 1");
    let v2 = h.app_file("v2", 3, json!({}));
    let v2 = v2.to_str().unwrap();
    h.sim.clear_requests();
    let (code, stderr) = h.run(
        &["deploy", v2, "--pre-kill-hook", failing.to_str().unwrap()],
        LIMIT,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the pre-kill hook failed") && stderr.contains("--resume"),
        "{stderr}"
    );
    assert!(
        kills(&h.sim.requests()).is_empty(),
        "a kill after the hook failed"
    );
    assert_eq!(task_ids(&h, "/web-blue"), blue);
    assert_eq!(h.apps(), owned(&[("/web-blue", 3), ("/web-green", 1)]));

    let calls = h.home().join("calls");
    let recording = script(
        &h,
        "recording-hook",
        &format!(
            "[ $# -eq 3 ] || exit 9\nprintf '%s\\n%s\\n%s\\n' \"$1\" \"$2\" \"$3\" >> '{}'",
            calls.display()
        ),
    );
    h.sim.clear_requests();
    let (code, stderr) = h.run(
        &[
            "deploy",
            v2,
            "--resume",
            "--pre-kill-hook",
            recording.to_str().unwrap(),
        ],
        LIMIT,
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(h.apps(), owned(&[("/web-green", 3)]));
    let recorded = fs_err::read_to_string(&calls).unwrap();
    let lines: Vec<Value> = recorded
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kills = kills(&h.sim.requests());
    assert_eq!(
        lines.len(),
        3 * kills.len(),
        "one call per kill: {recorded}"
    );
    assert!(!kills.is_empty());
    for (call, killed) in lines.chunks(3).zip(&kills) {
        let [old, tasks, new] = call else {
            unreachable!()
        };
        assert_eq!(old["id"], "/web-blue", "{old}");
        assert_eq!(old["labels"]["HAPROXY_DEPLOYMENT_COLOUR"], "blue");
        assert!(
            old["instances"].is_u64() && old["tasks"].is_array(),
            "{old}"
        );
        assert_eq!(new["id"], "/web-green", "{new}");
        assert_eq!(new["labels"]["HAPROXY_DEPLOYMENT_COLOUR"], "green");
        assert_eq!(new["labels"]["HAPROXY_DEPLOYMENT_TARGET_INSTANCES"], "3");
        let ids: Vec<String> = tasks
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect();
        assert_eq!(&ids, killed, "the hook names exactly the tasks then killed");
        assert!(ids.iter().all(|id| blue.contains(id)), "{ids:?}");
    }
    let counts = load.stop();
    report("failing hook, then --resume", &counts);
    assert_eq!(counts.failed, 0, "{counts:?}");
}
