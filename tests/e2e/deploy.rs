//! `dcos lb deploy` end to end: the real binary against the Marathon
//! simulator, a real HAProxy fed by our render (the marathon-lb stand-in)
//! and real traffic through the service port. Every scenario ends in the
//! right Marathon state with 0 failed requests.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::harness::{Harness, owned, report};
use crate::support::marathon_sim::Fault;

/// The bound of one deploy run: at most 5 instances, each step a task start
/// (≈ 1 s), a first passing check (1 s) and an HAProxy reload (confirmed by
/// the stand-in within 2 s), about 4 s a step and at most 6 steps, so ≈ 25 s;
/// 90 s leave room for a loaded 2-core machine while a hang still ends.
const LIMIT: Duration = Duration::from_secs(90);

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn deploy_first_then_blue_to_green_and_back_under_load() {
    let h = Harness::new(1);
    let v1 = h.app_file("v1", 3, json!({}));
    let (code, _) = h.run(&["deploy", v1.to_str().unwrap()], LIMIT);
    assert_eq!(code, 0);
    // zdd.py returns from a first deploy before the app is healthy; ours
    // returns once every LB has the new servers UP, so traffic started the
    // moment it returns is served.
    let first = h.requests_now(50);
    report("right after the first deploy", &first);
    assert_eq!((first.ok, first.failed), (200, 0), "{first:?}");
    assert_eq!(first.by_app.get("/web-blue"), Some(&200));
    assert_eq!(h.apps(), owned(&[("/web-blue", 3)]));
    let load = h.load();
    let v2 = h.app_file("v2", 3, json!({}));
    let (code, _) = h.run(&["deploy", "-j", v2.to_str().unwrap()], LIMIT);
    assert_eq!(code, 0);
    assert_eq!(h.apps(), owned(&[("/web-green", 3)]));
    let v3 = h.app_file("v3", 3, json!({}));
    let (code, _) = h.run(&["deploy", v3.to_str().unwrap(), "--surge"], LIMIT);
    assert_eq!(code, 0);
    assert_eq!(h.apps(), owned(&[("/web-blue", 3)]));
    for (version, colour) in [("v4", "/web-green"), ("v5", "/web-blue")] {
        let app = h.app_file(version, 3, json!({}));
        let (code, stderr) = h.run(&["deploy", app.to_str().unwrap()], LIMIT);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(h.apps(), owned(&[(colour, 3)]));
    }
    let counts = load.stop();
    report("blue→green→blue (surge)→green→blue", &counts);
    eprintln!("HAProxy reloads: {}", h.lbs[0].reloads());
    assert!(counts.ok > 100, "{counts:?}");
    assert_eq!(counts.failed, 0, "{counts:?}");
    assert!(counts.by_app.contains_key("/web-green") && counts.by_app.contains_key("/web-blue"));
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn ctrl_c_in_the_middle_then_resume_under_load() {
    let h = Harness::new(1);
    let v1 = h.app_file("v1", 3, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let load = h.load();
    let v2 = h.app_file("v2", 3, json!({}));
    let running = h.spawn(&["deploy", v2.to_str().unwrap()]);
    let deadline = Instant::now() + LIMIT;
    while !h.apps().iter().any(|(id, n)| id == "/web-blue" && *n < 3) {
        assert!(
            Instant::now() < deadline,
            "the deploy never killed a blue task: {:?}",
            h.apps()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    running.interrupt();
    assert_eq!(running.wait(LIMIT).0, 130);
    let middle = h.apps();
    assert_eq!(middle.len(), 2, "{middle:?}");
    let (code, _) = h.run(&["deploy", v2.to_str().unwrap(), "--resume"], LIMIT);
    assert_eq!(code, 0);
    assert_eq!(h.apps(), owned(&[("/web-green", 3)]));
    let counts = load.stop();
    report(&format!("Ctrl-C at {middle:?} then --resume"), &counts);
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn marathon_500s_and_409s_in_the_middle_are_retried() {
    let h = Harness::new(2);
    let v1 = h.app_file("v1", 3, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let load = h.load();
    h.sim
        .inject(Fault::status(500).on("PUT", "/v2/apps").times(2));
    h.sim
        .inject(Fault::locked().on("POST", "/v2/tasks/delete").times(2));
    h.sim
        .inject(Fault::status(503).on("GET", "/v2/apps").times(3));
    let v2 = h.app_file("v2", 3, json!({}));
    let (code, stderr) = h.run(&["deploy", v2.to_str().unwrap()], LIMIT);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("retrying"), "{stderr}");
    assert_eq!(h.apps(), owned(&[("/web-green", 3)]));
    let counts = load.stop();
    report("500s/409s, two LBs", &counts);
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn an_app_that_never_gets_healthy_stops_the_deploy_and_rollback_removes_it() {
    let h = Harness::new(1);
    let v1 = h.app_file("v1", 2, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let load = h.load();
    let bad = h.app_file("bad", 2, json!({"TASK_HEALTH": "fail"}));
    let (code, stderr) = h.run(&["deploy", bad.to_str().unwrap(), "-w", "4"], LIMIT);
    assert_eq!(code, 10, "{stderr}");
    assert!(
        stderr.contains("did not become healthy") && stderr.contains("/web-blue was not touched"),
        "{stderr}"
    );
    assert!(h.apps().contains(&("/web-blue".to_string(), 2)));
    // Marathon's deployment of the bad app never ends; the rollback must
    // not wait for it.
    let (code, stderr) = h.run(&["rollback", &h.group, "-w", "4"], LIMIT);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("deleted /web-green, cancelling its unfinished deployment"),
        "{stderr}"
    );
    assert_eq!(h.apps(), owned(&[("/web-blue", 2)]));
    let counts = load.stop();
    report("never healthy, then rolled back", &counts);
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn an_lb_that_stops_answering_blocks_every_kill() {
    let h = Harness::new(2);
    let v1 = h.app_file("v1", 2, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    h.lbs[1].freeze();
    let v2 = h.app_file("v2", 2, json!({}));
    let (code, stderr) = h.run(&["deploy", v2.to_str().unwrap(), "-w", "4"], LIMIT);
    h.lbs[1].thaw();
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains(&h.lbs[1].url()), "{stderr}");
    assert!(
        h.apps().contains(&("/web-blue".to_string(), 2)),
        "no blue task was killed: {:?}",
        h.apps()
    );
}

/// On a terminal, progress is a panel redrawn in place (phase, both apps,
/// every LB); step lines print above it. `script` provides the terminal.
#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn a_terminal_gets_the_redrawn_progress_panel() {
    let h = Harness::new(1);
    let v1 = h.app_file("v1", 2, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let v2 = h.app_file("v2", 2, json!({}));
    let deploy = h.command(&["deploy", v2.to_str().unwrap()]);
    let quote = |s: &std::ffi::OsStr| format!("'{}'", s.to_str().unwrap());
    let line: Vec<String> = std::iter::once(quote(deploy.get_program()))
        .chain(deploy.get_args().map(quote))
        .collect();
    let mut script = assert_cmd::Command::new("script");
    script.env_clear();
    for (key, value) in deploy.get_envs() {
        if let Some(value) = value {
            script.env(key, value);
        }
    }
    let output = script
        .args(["-qefc", &line.join(" "), "/dev/null"])
        .timeout(LIMIT)
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{screen}");
    for part in [
        "  new green /web-green: ",
        "  old blue  /web-blue: ",
        &format!("  lb  {}: ", h.lbs[0].url()),
        "draining…",
        "F\x1b[0J",
        "killing 1 drained task(s) of /web-blue",
        "Finished",
    ] {
        assert!(screen.contains(part), "{part:?} missing from:\n{screen}");
    }
    assert_eq!(h.apps(), owned(&[("/web-green", 2)]));
}

/// Two deploys of one group started together: exactly one proceeds. The
/// other stops having changed nothing, whether it read the group after the
/// first one's create ("existing deployment in progress", exit 2) or before
/// it (Marathon's 409 on its own create shows the other run's app, exit 7).
#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn two_deploys_of_one_group_at_once_exactly_one_proceeds() {
    let h = Harness::new(1);
    let v1 = h.app_file("v1", 2, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let load = h.load();
    let a = h.app_file("a", 2, json!({}));
    let b = h.app_file("b", 2, json!({}));
    let first = h.spawn(&["deploy", a.to_str().unwrap()]);
    let second = h.spawn(&["deploy", b.to_str().unwrap()]);
    let results = [first.wait(LIMIT), second.wait(LIMIT)];
    let counts = load.stop();
    report("two deploys at once", &counts);
    let winners: Vec<&(i32, String)> = results.iter().filter(|(code, _)| *code == 0).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    let (code, stderr) = results.iter().find(|(code, _)| *code != 0).unwrap();
    assert!(
        (*code == 2 && stderr.contains("existing deployment in progress"))
            || (*code == 7 && stderr.contains("another deploy of group")),
        "{code}: {stderr}"
    );
    assert!(!stderr.contains("--resume APP.json"), "{stderr}");
    assert_eq!(h.apps(), owned(&[("/web-green", 2)]));
    assert_eq!(counts.failed, 0, "{counts:?}");
}

/// Keep-alive clients meet every reload: HAProxy 2.6's old worker closes
/// their idle connections at once (marathon-lb's, not the deploy's), which
/// a client sees as a request to send again. No zero is demanded of those;
/// the test reports them beside the reloads the deploy caused, the figure
/// the deploy keeps low.
#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn keep_alive_clients_and_the_reloads_of_a_deploy_are_reported() {
    let h = Harness::new(1);
    let v1 = h.app_file("v1", 3, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let before = h.lbs[0].reloads();
    let load = h.load();
    let v2 = h.app_file("v2", 3, json!({}));
    let (code, stderr) = h.run(&["deploy", v2.to_str().unwrap()], LIMIT);
    let counts = load.stop();
    let reloads = h.lbs[0].reloads() - before;
    eprintln!(
        "blue→green of 3 under keep-alive and new-connection load: {reloads} HAProxy reloads, \
         {} requests resent after an idle keep-alive close, {} failed of {}",
        counts.retried,
        counts.failed,
        counts.ok + counts.failed
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(h.apps(), owned(&[("/web-green", 3)]));
    assert!(
        reloads >= 2,
        "a blue/green reloads at least for the new and the old servers"
    );
}
