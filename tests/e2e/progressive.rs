//! Step plans with canary analysis, end to end: `split --steps` under load
//! through a real HAProxy, with tasks that answer errors or slowly on
//! request (the sandbox task's SANDBOX_* settings).

#![allow(clippy::print_stderr)]

use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::harness::{Harness, owned, report};

/// The bound of one plan run: two or three moves of a few seconds each
/// (as a deploy, tests/e2e/deploy.rs) plus each step's pause of 3 s, or a
/// rollback; room for a loaded 2-core machine.
const LIMIT: Duration = Duration::from_secs(120);

/// Short steps for tests: a 3 s pause, a look every second, 10 requests
/// decide.
const FAST: [&str; 6] = [
    "--pause",
    "3s",
    "--analysis-interval",
    "1s",
    "--min-requests",
    "10",
];

/// The harness's app in HTTP mode, where HAProxy counts responses by
/// status (what the analysis reads); mode tcp counts connections only.
fn http_app(h: &Harness, version: &str, env: serde_json::Value) -> std::path::PathBuf {
    let path = h.app_file(version, 4, env);
    let mut app: serde_json::Value = serde_json::from_slice(&fs_err::read(&path).unwrap()).unwrap();
    app["labels"]["HAPROXY_0_MODE"] = json!("http");
    fs_err::write(&path, app.to_string()).unwrap();
    path
}

/// One LB and the group at rest on v1, 4 instances in HTTP mode: where
/// every plan here starts.
fn running_v1() -> Harness {
    let h = Harness::new(1);
    let v1 = http_app(&h, "v1", json!({}));
    assert_eq!(
        h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0,
        0,
        "deploy v1"
    );
    h
}

fn plan_args<'a>(app: &'a str, steps: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["split", app, "--steps", steps];
    args.extend(FAST);
    args.extend(extra);
    args
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn a_good_canary_walks_its_steps_to_promotion_with_no_failed_request() {
    let h = running_v1();
    let v2 = http_app(&h, "v2", json!({}));
    let dry = h.output(&[
        "split",
        v2.to_str().unwrap(),
        "--steps",
        "25%,50%",
        "--dry-run",
    ]);
    let table = String::from_utf8_lossy(&dry.stdout);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(
        table.contains("analyse for 120 s (error rate ≤ 1%") && table.contains("promote"),
        "{table}"
    );
    assert!(
        String::from_utf8_lossy(&dry.stderr).contains("25% → 1, 50% → 2"),
        "the rounding is said"
    );
    assert_eq!(
        h.apps(),
        owned(&[("/web-blue", 4)]),
        "a dry run changes nothing"
    );
    let load = h.load();
    let (code, stderr) = h.run(&plan_args(v2.to_str().unwrap(), "1,2", &[]), LIMIT);
    let counts = load.stop();
    report("good canary, steps 1,2", &counts);
    assert_eq!(code, 0, "{stderr}");
    for step in ["step 1 analysis", "step 2 analysis"] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(step) && l.contains(": pass: ")),
            "{step} passed: {stderr}"
        );
    }
    assert_eq!(h.apps(), owned(&[("/web-green", 4)]));
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn a_canary_that_answers_500s_is_rolled_back_at_its_first_step() {
    let h = running_v1();
    let load = h.load();
    let bad = http_app(&h, "v2", json!({"SANDBOX_FAIL_PERCENT": "30"}));
    let (code, stderr) = h.run(&plan_args(bad.to_str().unwrap(), "1,2", &[]), LIMIT);
    let counts = load.stop();
    report("canary failing 30%", &counts);
    assert_eq!(code, 12, "rolled back by analysis: {stderr}");
    assert!(
        stderr.contains("rolled back by analysis at step 1: error rate")
            && stderr.contains("request(s) reached the new version (counted from"),
        "{stderr}"
    );
    assert!(!stderr.contains("Step 2 of"), "it never went on: {stderr}");
    assert_eq!(
        h.apps(),
        owned(&[("/web-blue", 4)]),
        "the old app ends at full target"
    );
    assert!(
        counts.failed > 0,
        "the canary really failed requests: {counts:?}"
    );
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn a_canary_that_is_only_slow_is_caught_by_the_latency_rule() {
    let h = running_v1();
    let load = h.load();
    let slow = http_app(&h, "v2", json!({"SANDBOX_LATENCY_MS": "150"}));
    let (code, stderr) = h.run(
        &plan_args(slow.to_str().unwrap(), "1,2", &["--max-latency", "100"]),
        LIMIT,
    );
    let counts = load.stop();
    report("slow canary", &counts);
    assert_eq!(code, 12, "{stderr}");
    assert!(stderr.contains("average response time"), "{stderr}");
    assert_eq!(h.apps(), owned(&[("/web-blue", 4)]));
    assert_eq!(counts.failed, 0, "slow is not failed: {counts:?}");
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn a_step_with_too_little_traffic_is_inconclusive_not_passed() {
    let h = running_v1();
    let v2 = http_app(&h, "v2", json!({}));
    let (code, stderr) = h.run(
        &plan_args(v2.to_str().unwrap(), "1,2", &["--max-inconclusive", "2s"]),
        LIMIT,
    );
    assert_eq!(code, 10, "stopped resumable: {stderr}");
    assert!(
        stderr.contains("inconclusive") && stderr.contains("--min-requests 10"),
        "{stderr}"
    );
    assert_eq!(
        h.apps(),
        owned(&[("/web-blue", 3), ("/web-green", 1)]),
        "left at step 1"
    );
    let output = h.output(&["status", &h.group, "--json"]);
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let plan = &status[0]["plan"];
    assert_eq!(plan["steps"], json!([1, 2]), "{status}");
    assert_eq!(
        (plan["step"].as_u64(), plan["target"].as_u64()),
        (Some(1), Some(4)),
        "{status}"
    );
    assert!(
        plan["next"]
            .as_str()
            .is_some_and(|n| n.contains("--resume") && n.contains("step 1")),
        "{status}"
    );
    assert_eq!(
        plan["analysis"]["verdict"], "inconclusive",
        "with no traffic the last analysis decides nothing: {status}"
    );
    let human = h.output(&["status", &h.group]);
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert!(
        stderr.contains("step plan 1, 2 → 4 (pause 3 s), at step 1 of 2"),
        "{stderr}"
    );
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn ctrl_c_in_a_pause_then_resume_from_a_clean_home_continues_at_that_step() {
    let h = running_v1();
    let load = h.load();
    let v2 = http_app(&h, "v2", json!({}));
    let v2 = v2.to_str().unwrap();
    let mut args = vec!["split", v2, "--steps", "1,2", "--pause", "8s"];
    args.extend(&FAST[2..]);
    let running = h.spawn(&args);
    let started = Instant::now();
    while !running.stderr().contains("step 1 analysis") {
        assert!(
            started.elapsed() < LIMIT,
            "no analysis of step 1 within {LIMIT:?}:\n{}",
            running.stderr()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    running.interrupt();
    let (code, stderr) = running.wait(LIMIT);
    assert_eq!(code, 130, "{stderr}");
    assert_eq!(h.apps(), owned(&[("/web-blue", 3), ("/web-green", 1)]));

    let clean = tempfile::tempdir().unwrap();
    let mut resume = h.command(&["split", "--group", &h.group, "--resume"]);
    resume
        .env("HOME", clean.path())
        .env("DCOS_DIR", clean.path().join(".dcos"));
    let output = assert_cmd::Command::from_std(resume)
        .timeout(LIMIT * 2)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("$ dcos-lb split --resume\n{stderr}");
    let counts = load.stop();
    report("interrupted then resumed", &counts);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("at step 1 of 2")
            && stderr
                .lines()
                .any(|l| l.starts_with("step 2 analysis") && l.contains(": pass: ")),
        "{stderr}"
    );
    assert_eq!(h.apps(), owned(&[("/web-green", 4)]));
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn an_analysis_hook_gets_group_step_and_both_apps_and_its_failure_rolls_back() {
    use std::os::unix::fs::PermissionsExt as _;
    let h = running_v1();
    let load = h.load();
    let log = h.home().join("hook.log");
    let hook = h.home().join("hook.sh");
    fs_err::write(
        &hook,
        format!(
            "#!/bin/sh\nprintf '%s %s\\n' \"$1\" \"$2\" >> '{}'\n\
             case \"$3\" in *'\"/web-green\"'*) ;; *) exit 3;; esac\n\
             case \"$4\" in *'\"/web-blue\"'*) ;; *) exit 4;; esac\n\
             echo 'p99 too high' >&2; exit 1\n",
            log.display()
        ),
    )
    .unwrap();
    fs_err::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let v2 = http_app(&h, "v2", json!({}));
    let (code, stderr) = h.run(
        &plan_args(
            v2.to_str().unwrap(),
            "1,2",
            &["--analysis-hook", hook.to_str().unwrap()],
        ),
        LIMIT,
    );
    let counts = load.stop();
    report("analysis hook fails", &counts);
    assert_eq!(code, 12, "{stderr}");
    assert!(
        stderr.contains("--analysis-hook: exited with status 1: p99 too high"),
        "{stderr}"
    );
    let calls = fs_err::read_to_string(&log).unwrap();
    assert_eq!(
        calls.lines().next(),
        Some(format!("{} 1", h.group).as_str()),
        "{calls}"
    );
    assert_eq!(h.apps(), owned(&[("/web-blue", 4)]));
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn a_manual_gate_holds_the_split_until_promote() {
    let h = running_v1();
    let load = h.load();
    let v2 = http_app(&h, "v2", json!({}));
    let mut args = vec!["split", v2.to_str().unwrap(), "--steps", "1", "--pause"];
    args.extend(&FAST[2..]);
    let (code, stderr) = h.run(&args, LIMIT);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("Paused step 1 passed its analysis") && stderr.contains("dcos lb promote"),
        "{stderr}"
    );
    assert_eq!(
        h.apps(),
        owned(&[("/web-blue", 3), ("/web-green", 1)]),
        "the gate holds the split"
    );
    assert_eq!(h.run(&["promote", &h.group], LIMIT).0, 0);
    let counts = load.stop();
    report("manual gate, then promote", &counts);
    assert_eq!(h.apps(), owned(&[("/web-green", 4)]));
    assert_eq!(counts.failed, 0, "{counts:?}");
}
