//! `--drain-proof` against the faithful stand-in (marathon-lb's head and
//! threads, a getpids that forks): each way of proving that no HAProxy
//! process still sends to a task, under load, and what it asks of the LB.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::harness::{Harness, owned, report};
use crate::support::load::Counts;

/// A first deploy or a blue/green of 2 instances with pids or the metric:
/// tasks start in about a second at the harness's time scale, health
/// checks are 1 s apart; two minutes are room for a loaded 2-core machine.
const LIMIT: Duration = Duration::from_secs(120);

/// A `--surge` blue/green with the reload horizon: one kill round that
/// waits out marathon-lb's HTTP horizon (58 s: keep-alive 1 + http-request
/// 15 + 4 × connect 3 + server 30) after the last old task left service,
/// plus [`LIMIT`] for the rest.
const HORIZON_LIMIT: Duration = Duration::from_secs(58 + 120);

/// The app of `version` in `mode http`, as apps with a vhost are.
fn http_app(h: &Harness, version: &str, instances: u32) -> PathBuf {
    let path = h.app_file(version, instances, json!({}));
    let mut app: Value = serde_json::from_slice(&fs_err::read(&path).unwrap()).unwrap();
    app["labels"]["HAPROXY_0_MODE"] = json!("http");
    fs_err::write(&path, serde_json::to_vec_pretty(&app).unwrap()).unwrap();
    path
}

/// A first deploy of 2 instances, then blue→green under load; the second
/// deploy's stderr and what the load saw.
fn blue_green_under_load(h: &Harness, what: &str) -> (String, Counts) {
    let v1 = h.app_file("v1", 2, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let load = h.load();
    let v2 = h.app_file("v2", 2, json!({}));
    let (code, stderr) = h.run(&["deploy", v2.to_str().unwrap()], LIMIT);
    let counts = load.stop();
    report(&format!("blue→green, {what}"), &counts);
    assert_eq!(code, 0, "{stderr}");
    (stderr, counts)
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn one_haproxy_thread_makes_auto_ask_pids_and_no_request_fails() {
    let mut h = Harness::with_lb_threads(1, 1);
    h.drain_by(&[]);
    let (stderr, counts) = blue_green_under_load(&h, "pids on 1 thread");
    assert!(
        stderr.contains("drain proof: pids — every marathon-lb runs 1 HAProxy thread"),
        "{stderr}"
    );
    assert!(h.lbs[0].getpids_calls() > 0, "pids were never asked");
    assert_eq!(h.apps(), owned(&[("/web-green", 2)]));
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn threaded_haproxy_makes_auto_wait_out_the_reload_horizon_without_forking() {
    let mut h = Harness::new(1);
    h.drain_by(&[]);
    let v1 = http_app(&h, "v1", 2);
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let load = h.load();
    let v2 = http_app(&h, "v2", 2);
    let (code, stderr) = h.run(&["deploy", v2.to_str().unwrap(), "--surge"], HORIZON_LIMIT);
    let counts = load.stop();
    report("blue→green --surge, horizon", &counts);
    assert_eq!(code, 0, "{stderr}");
    let lb = h.lbs[0].url();
    assert!(
        stderr.contains(&format!("drain proof: horizon — marathon-lb at {lb} runs "))
            && stderr.contains("HAProxy threads: not calling /_haproxy_getpids"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "reload horizon on {lb}: 58 s (timeout http-keep-alive 1 s"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("waiting out the reload horizon before killing"),
        "{stderr}"
    );
    assert_eq!(h.lbs[0].getpids_calls(), 0, "the horizon forked HAProxy");
    assert_eq!(h.apps(), owned(&[("/web-green", 2)]));
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn the_drain_metric_proves_drain_without_forking() {
    let h = Harness::new(1);
    let (stderr, counts) = blue_green_under_load(&h, "metric");
    assert!(stderr.contains("drain proof: metric"), "{stderr}");
    assert_eq!(
        h.lbs[0].getpids_calls(),
        0,
        "the metric proof forked HAProxy"
    );
    assert_eq!(h.apps(), owned(&[("/web-green", 2)]));
    assert_eq!(counts.failed, 0, "{counts:?}");
}

/// A `mode tcp` app on threaded HAProxy has no horizon: `--drain-proof
/// horizon` refuses before anything is written.
#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn an_explicit_horizon_for_a_tcp_backend_changes_nothing() {
    let mut h = Harness::new(1);
    h.drain_by(&["--drain-proof", "horizon"]);
    let v1 = h.app_file("v1", 1, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    h.sim.clear_requests();
    let v2 = h.app_file("v2", 1, json!({}));
    let (code, stderr) = h.run(&["deploy", v2.to_str().unwrap()], LIMIT);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("is mode tcp"), "{stderr}");
    assert!(stderr.contains("hard-stop-after"), "{stderr}");
    h.sim.assert_nothing_written();
}
