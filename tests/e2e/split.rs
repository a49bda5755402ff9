//! `dcos lb split`, `promote`, `rollback` and `status` end to end, under
//! load through a real HAProxy fed by our render.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::harness::{Harness, owned, report};

/// The bound of one run: as for deploy (tests/e2e/deploy.rs), ≈ 25 s of
/// steps at most, with room for a loaded 2-core machine.
const LIMIT: Duration = Duration::from_secs(90);

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn split_two_then_three_then_promote_under_load() {
    let h = Harness::new(1);
    let v1 = h.app_file("v1", 4, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let load = h.load();
    let v2 = h.app_file("v2", 4, json!({}));
    assert_eq!(
        h.run(
            &["split", v2.to_str().unwrap(), "--new-instances", "2"],
            LIMIT
        )
        .0,
        0
    );
    assert_eq!(h.apps(), owned(&[("/web-blue", 2), ("/web-green", 2)]));
    let output = h.output(&["status", &h.group, "--json"]);
    let status: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(status[0]["phase"], "hybrid", "{status}");
    assert_eq!(status[0]["apps"][1]["splitPercent"], 50, "{status}");
    assert_eq!(
        h.run(
            &["split", "--group", &h.group, "--new-instances", "3"],
            LIMIT
        )
        .0,
        0
    );
    assert_eq!(h.apps(), owned(&[("/web-blue", 1), ("/web-green", 3)]));
    assert_eq!(h.run(&["promote", &h.group], LIMIT).0, 0);
    assert_eq!(h.apps(), owned(&[("/web-green", 4)]));
    let counts = load.stop();
    report("split 2 → 3 → promote", &counts);
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn split_then_rollback_under_load() {
    let h = Harness::new(1);
    let v1 = h.app_file("v1", 3, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let load = h.load();
    let v2 = h.app_file("v2", 3, json!({}));
    assert_eq!(
        h.run(&["split", v2.to_str().unwrap(), "-n", "1"], LIMIT).0,
        0
    );
    assert_eq!(h.apps(), owned(&[("/web-blue", 2), ("/web-green", 1)]));
    assert_eq!(h.run(&["rollback", &h.group], LIMIT).0, 0);
    assert_eq!(h.apps(), owned(&[("/web-blue", 3)]));
    let counts = load.stop();
    report("split → rollback", &counts);
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn split_finished_with_zdd_spelling_complete_cur_under_load() {
    let h = Harness::new(1);
    let v1 = h.app_file("v1", 3, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let load = h.load();
    let v2 = h.app_file("v2", 3, json!({}));
    let v2 = v2.to_str().unwrap();
    assert_eq!(h.run(&["split", v2, "-n", "2"], LIMIT).0, 0);
    assert_eq!(h.apps(), owned(&[("/web-blue", 1), ("/web-green", 2)]));
    assert_ne!(
        h.run(&["split", v2, "--complete-cur", "--complete-prev"], LIMIT)
            .0,
        0,
        "the two finishing directions exclude each other"
    );
    assert_eq!(h.run(&["split", v2, "--complete-cur"], LIMIT).0, 0);
    assert_eq!(h.apps(), owned(&[("/web-green", 3)]));
    let counts = load.stop();
    report("split → split --complete-cur", &counts);
    assert_eq!(counts.failed, 0, "{counts:?}");
}
