use super::*;

const NEW: &str = "10.0.0.1:31001";
const OLD: &str = "10.0.0.1:31002";

fn side(addr: &str) -> Option<Side> {
    match addr {
        NEW => Some(Side::New),
        OLD => Some(Side::Old),
        _ => None,
    }
}

/// A server with `ok` 2xx and `bad` 5xx responses, `lbtot` = both.
fn server(addr: &str, ok: u64, bad: u64, rtime_ms: u64) -> ServerCounters {
    ServerCounters {
        pxname: "web_10080".into(),
        svname: addr.replace(['.', ':'], "_"),
        addr: Some(addr.into()),
        status: "UP".into(),
        check_status: "L7OK".into(),
        hrsp: [0, ok, 0, 0, bad, 0],
        lbtot: ok + bad,
        rtime_ms,
        ..ServerCounters::default()
    }
}

fn look(worker: u32, servers: Vec<ServerCounters>) -> Look {
    Look {
        lb: "http://lb1:9090".into(),
        worker: Some(worker),
        servers: Ok(servers),
    }
}

fn thresholds() -> Thresholds {
    Thresholds {
        max_error_rate: 0.01,
        max_latency_ratio: 2.0,
        max_latency_ms: 500.0,
        min_requests: 20,
    }
}

#[test]
fn the_first_look_is_the_baseline_and_later_ones_add_deltas() {
    let mut w = Window::default();
    w.observe(
        &[look(
            7,
            vec![server(NEW, 100, 0, 5), server(OLD, 300, 0, 5)],
        )],
        side,
    );
    assert_eq!(
        w.new.requests, 0,
        "counters from before the step do not count"
    );
    w.observe(
        &[look(
            7,
            vec![server(NEW, 130, 1, 5), server(OLD, 390, 0, 5)],
        )],
        side,
    );
    assert_eq!((w.new.requests, w.new.errors_5xx), (31, 1));
    assert_eq!(w.old.requests, 90);
    assert_eq!(w.new_share(), Some(31.0 / 121.0));
    assert_eq!(w.resets, 0);
}

#[test]
fn a_reload_between_two_looks_counts_the_new_workers_counters_whole() {
    let mut w = Window::default();
    w.observe(
        &[look(
            7,
            vec![server(NEW, 100, 0, 5), server(OLD, 300, 0, 5)],
        )],
        side,
    );
    w.observe(
        &[look(
            7,
            vec![server(NEW, 120, 0, 5), server(OLD, 360, 0, 5)],
        )],
        side,
    );
    // marathon-lb reloaded: worker 8 started from zero.
    w.observe(
        &[look(8, vec![server(NEW, 15, 0, 5), server(OLD, 45, 0, 5)])],
        side,
    );
    assert_eq!(w.new.requests, 20 + 15);
    assert_eq!(w.old.requests, 60 + 45);
    assert_eq!(w.resets, 1);
    w.observe(
        &[look(8, vec![server(NEW, 25, 0, 5), server(OLD, 75, 0, 5)])],
        side,
    );
    assert_eq!(w.new.requests, 45, "then deltas within the new worker");
}

#[test]
fn counters_that_go_backwards_in_the_same_worker_are_a_reset_too() {
    let mut w = Window::default();
    w.observe(&[look(7, vec![server(NEW, 100, 0, 5)])], side);
    w.observe(&[look(7, vec![server(NEW, 10, 2, 5)])], side);
    assert_eq!((w.new.requests, w.new.errors_5xx, w.resets), (12, 2, 1));
}

#[test]
fn every_lb_counts_and_an_unread_one_leaves_the_step_inconclusive() {
    let mut w = Window::default();
    let at = |lb: &str, worker, new_ok| Look {
        lb: lb.into(),
        worker: Some(worker),
        servers: Ok(vec![
            server(NEW, new_ok, 0, 5),
            server(OLD, new_ok * 2, 0, 5),
        ]),
    };
    w.observe(&[at("lb1", 1, 0), at("lb2", 2, 0)], side);
    w.observe(&[at("lb1", 1, 20), at("lb2", 2, 30)], side);
    assert_eq!(w.new.requests, 50);
    assert!(matches!(
        judge(&w, &CanaryHealth::default(), &thresholds()),
        Verdict::Pass(_)
    ));
    w.observe(
        &[
            at("lb1", 1, 40),
            Look {
                lb: "lb2".into(),
                worker: None,
                servers: Err("connection refused".into()),
            },
        ],
        side,
    );
    let verdict = judge(&w, &CanaryHealth::default(), &thresholds());
    assert!(
        matches!(&verdict, Verdict::Inconclusive(rule) if rule.contains("lb2")),
        "{verdict:?}"
    );
}

/// The window after one step in which the canary served `ok` + `bad` at
/// `new_ms` and the stable app `old_ok` at `old_ms`.
fn window(ok: u64, bad: u64, new_ms: u64, old_ok: u64, old_ms: u64) -> Window {
    let mut w = Window::default();
    w.observe(
        &[look(1, vec![server(NEW, 0, 0, 0), server(OLD, 0, 0, 0)])],
        side,
    );
    w.observe(
        &[look(
            1,
            vec![server(NEW, ok, bad, new_ms), server(OLD, old_ok, 0, old_ms)],
        )],
        side,
    );
    w
}

#[test]
fn each_rule_decides_with_its_own_words() {
    let healthy = CanaryHealth::default();
    let t = thresholds();
    let cases = [
        (window(100, 0, 10, 300, 10), &healthy, "pass"),
        (
            window(90, 10, 10, 300, 10),
            &healthy,
            "error rate 10% > --max-error-rate 1%",
        ),
        (
            window(100, 0, 800, 300, 700),
            &healthy,
            "> --max-latency 500 ms",
        ),
        (
            window(100, 0, 90, 300, 30),
            &healthy,
            "3.0× the stable app's 30 ms > --max-latency-ratio 2",
        ),
        (window(100, 0, 1, 300, 0), &healthy, "pass"),
        (
            window(5, 0, 10, 300, 10),
            &healthy,
            "fewer than --min-requests 20",
        ),
        (
            window(100, 0, 10, 300, 10),
            &CanaryHealth {
                lost_tasks: 1,
                failing: 0,
            },
            "1 canary task(s) failed or were killed unhealthy",
        ),
    ];
    for (w, health, expected) in cases {
        let verdict = judge(&w, health, &t);
        let (kind, rule) = match &verdict {
            Verdict::Pass(r) => ("pass", r),
            Verdict::Fail(r) => ("fail", r),
            Verdict::Inconclusive(r) => ("inconclusive", r),
        };
        assert!(
            (expected == "pass" && kind == "pass") || (kind != "pass" && rule.contains(expected)),
            "{expected}: {verdict:?}"
        );
    }
}

#[test]
fn a_down_canary_server_fails_the_step() {
    let mut w = window(100, 0, 10, 300, 10);
    let mut rising = server(NEW, 100, 0, 10);
    rising.status = "DOWN 1/2".into();
    w.observe(
        &[look(1, vec![rising.clone(), server(OLD, 300, 0, 10)])],
        side,
    );
    assert!(
        matches!(
            judge(&w, &CanaryHealth::default(), &thresholds()),
            Verdict::Pass(_)
        ),
        "a server rising after a reload, its last check passed, is not down"
    );
    let mut down = rising;
    down.status = "DOWN".into();
    down.check_status = "L7STS".into();
    w.observe(&[look(1, vec![down, server(OLD, 300, 0, 10)])], side);
    let verdict = judge(&w, &CanaryHealth::default(), &thresholds());
    assert!(
        matches!(&verdict, Verdict::Fail(rule) if rule.contains("1 server(s) DOWN")),
        "{verdict:?}"
    );
}

#[test]
fn a_tcp_backend_says_why_it_cannot_judge() {
    let mut w = Window::default();
    let tcp = |n: u64| ServerCounters {
        lbtot: n,
        ..server(NEW, 0, 0, 0)
    };
    w.observe(&[look(1, vec![tcp(0)])], side);
    w.observe(&[look(1, vec![tcp(40)])], side);
    let verdict = judge(&w, &CanaryHealth::default(), &thresholds());
    assert!(
        matches!(&verdict, Verdict::Inconclusive(rule) if rule.contains("mode tcp")),
        "{verdict:?}"
    );
}

#[test]
fn since_reload_counts_what_the_serving_worker_counted() {
    let w = Window::since_reload(
        &[look(9, vec![server(NEW, 40, 2, 5), server(OLD, 120, 0, 5)])],
        side,
    );
    assert_eq!(
        (w.new.requests, w.new.errors_5xx, w.old.requests),
        (42, 2, 120)
    );
    assert_eq!(w.resets, 0);
}
