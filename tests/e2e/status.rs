//! `dcos lb status` end to end: the table and the JSON of every deployment
//! group (apps, colours, running/healthy instances, split, phase, and each
//! real HAProxy's servers with their state and sessions) in the steady,
//! hybrid and stuck phases, and a bounded `--watch`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::harness::{Harness, owned};
use crate::support::marathon_sim::wait_until;

/// The bound of one run: as for deploy (tests/e2e/deploy.rs), ≈ 25 s of
/// steps at most, with room for a loaded 2-core machine.
const LIMIT: Duration = Duration::from_secs(90);

/// `dcos-lb status ARGS`: must succeed; returns stdout.
fn status(h: &Harness, args: &[&str]) -> String {
    let mut full = vec!["status"];
    full.extend_from_slice(args);
    let output = h.output(&full);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "status {args:?}: {stderr}");
    String::from_utf8(output.stdout).unwrap()
}

fn status_json(h: &Harness, args: &[&str]) -> Value {
    let mut full = args.to_vec();
    full.push("--json");
    serde_json::from_str(&status(h, &full)).unwrap()
}

/// Waits until every LB lists `up` servers UP and `maint` MAINT in the group.
fn wait_for_servers(h: &Harness, up: usize, maint: usize) -> Value {
    let mut last = Value::Null;
    let settled = wait_until(Duration::from_secs(30), || {
        last = status_json(h, &[&h.group]);
        last[0]["lbs"].as_array().unwrap().iter().all(|lb| {
            let count = |s: &str| {
                lb["servers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|x| x["status"] == s)
                    .count()
            };
            count("UP") == up && count("MAINT") == maint
        })
    });
    assert!(
        settled,
        "servers never became {up} UP {maint} MAINT: {last}"
    );
    last
}

/// The app entries of a group's JSON, without the ids' run-specific parts.
fn apps(group: &Value) -> Vec<Value> {
    group["apps"].as_array().unwrap().clone()
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn status_in_steady_and_hybrid_phases_with_two_real_haproxies() {
    let h = Harness::new(2);
    let v1 = h.app_file("v1", 4, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    h.sim.create_app(json!({
        "id": "/other-blue", "cmd": "./task_server", "instances": 1,
        "labels": {"HAPROXY_DEPLOYMENT_GROUP": "other", "HAPROXY_DEPLOYMENT_COLOUR": "blue"}
    }));
    h.sim.await_deployments(Duration::from_secs(30));

    let steady = wait_for_servers(&h, 4, 0);
    let group = &steady[0];
    assert_eq!(steady.as_array().unwrap().len(), 1, "only GROUP: {steady}");
    assert_eq!(group["group"], json!(h.group));
    assert_eq!(group["phase"], "steady");
    assert_eq!(group["target"], 4);
    assert_eq!(
        apps(group),
        [
            json!({"id": "/web-blue", "colour": "blue", "instances": 4, "running": 4,
            "healthy": 4, "splitPercent": 100})
        ]
    );
    let lbs = group["lbs"].as_array().unwrap();
    assert_eq!(lbs.len(), 2);
    for (lb, standin) in lbs.iter().zip(&h.lbs) {
        assert_eq!(lb["lb"], json!(standin.url()));
        assert_eq!(lb["backend"], json!(format!("{}_{}", h.group, h.port)));
        assert!(lb.get("error").is_none(), "{lb}");
        let mut servers: Vec<String> = lb["servers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                assert_eq!(s["sessions"].as_u64(), Some(0), "{s}");
                s["server"].as_str().unwrap().to_string()
            })
            .collect();
        servers.sort();
        let mut tasks: Vec<String> = h
            .sim
            .tasks("/web-blue")
            .iter()
            .map(|t| format!("127_0_0_1_{}", t["ports"][0]))
            .collect();
        tasks.sort();
        assert_eq!(servers, tasks, "marathon-lb's names of the tasks' servers");
    }

    let every = status_json(&h, &[]);
    let groups: Vec<&str> = every
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["other", h.group.as_str()], "sorted by name");

    let table = status(&h, &[&h.group]);
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "GROUP",
            "PHASE",
            "APP",
            "COLOUR",
            "INSTANCES",
            "HEALTHY",
            "SPLIT",
            "LBS"
        ]
    );
    let row = lines.next().unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells[..7],
        [
            h.group.as_str(),
            "steady",
            "/web-blue",
            "blue",
            "4/4",
            "4",
            "100%"
        ],
        "{table}"
    );
    for lb in &h.lbs {
        assert!(
            row.contains(&format!("{}: 4 UP 0 MAINT 0 DOWN 0 sessions", lb.url())),
            "{table}"
        );
    }
    assert!(lines.next().is_none(), "{table}");

    let v2 = h.app_file("v2", 4, json!({}));
    assert_eq!(
        h.run(&["split", v2.to_str().unwrap(), "-n", "1"], LIMIT).0,
        0
    );
    assert_eq!(h.apps(), owned(&[("/web-blue", 3), ("/web-green", 1)]));
    let hybrid = wait_for_servers(&h, 4, 0);
    let group = &hybrid[0];
    assert_eq!(group["phase"], "hybrid", "{group}");
    assert_eq!(group["target"], 4);
    assert_eq!(
        apps(group),
        [
            json!({"id": "/web-blue", "colour": "blue", "instances": 3, "running": 3,
                "healthy": 3, "splitPercent": 75}),
            json!({"id": "/web-green", "colour": "green", "instances": 1, "running": 1,
                "healthy": 1, "splitPercent": 25})
        ]
    );
    let table = status(&h, &[&h.group]);
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 2, "{table}");
    assert_eq!(
        rows[0][..7],
        [
            h.group.as_str(),
            "hybrid",
            "/web-blue",
            "blue",
            "3/3",
            "3",
            "75%"
        ]
    );
    assert_eq!(
        rows[1],
        ["/web-green", "green", "1/1", "1", "25%"],
        "{table}"
    );
}

/// A deploy stopped by its pre-kill hook leaves a drained old task: the
/// group is stuck, and every LB shows that server MAINT with no session.
#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn status_of_a_stuck_group_shows_the_drained_server_and_watch_is_bounded() {
    let h = Harness::new(1);
    let v1 = h.app_file("v1", 3, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let v2 = h.app_file("v2", 3, json!({}));
    let (code, stderr) = h.run(
        &[
            "deploy",
            v2.to_str().unwrap(),
            "--pre-kill-hook",
            "/bin/false",
        ],
        LIMIT,
    );
    assert_eq!(code, 2, "{stderr}");
    let stuck = wait_for_servers(&h, 3, 1);
    let group = &stuck[0];
    assert_eq!(group["phase"], "stuck", "{group}");
    assert_eq!(group["target"], 3);
    let split: Vec<(&str, u64)> = group["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap(),
                a["splitPercent"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(split, [("/web-blue", 75), ("/web-green", 25)]);
    let maint: Vec<&Value> = group["lbs"][0]["servers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "MAINT")
        .collect();
    assert_eq!(maint[0]["sessions"], 0, "{group}");

    let table = status(&h, &[&h.group]);
    assert!(
        table.contains(&format!(
            "{}: 3 UP 1 MAINT 0 DOWN 0 sessions",
            h.lbs[0].url()
        )),
        "{table}"
    );
    assert!(table.lines().nth(1).unwrap().contains("stuck"), "{table}");

    let started = Instant::now();
    let watched = status(&h, &[&h.group, "--watch", "--count", "2", "--json"]);
    let elapsed = started.elapsed();
    let lines: Vec<Value> = watched
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{watched}");
    assert!(lines.iter().all(|l| l[0]["phase"] == "stuck"), "{watched}");
    assert!(
        elapsed >= Duration::from_secs(2) && elapsed < Duration::from_secs(20),
        "{elapsed:?}"
    );
    let table = status(&h, &[&h.group, "--watch", "--count", "2"]);
    assert_eq!(table.matches("GROUP").count(), 2, "{table}");
    let refused = h.output(&["status", "--count", "2"]);
    assert_eq!(refused.status.code(), Some(2), "--count needs --watch");
}

/// A group no app belongs to is an error that says so (a typo must not look
/// like an empty, healthy group).
#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn status_of_a_group_no_app_has_fails_and_names_it() {
    let h = Harness::new(1);
    let output = h.output(&["status", "no-such-group"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no app in Marathon has HAPROXY_DEPLOYMENT_GROUP=no-such-group"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}
