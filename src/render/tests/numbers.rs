//! Python's unbounded `int()` and dateutil's defaults where marathon-lb
//! reads numbers and dates from labels.

use serde_json::json;

use super::*;
use crate::render::*;

/// Python's `int()` has no size limit, and marathon-lb uses the values as
/// they are: `str(int(' 0099999999999999999999 '))` names the backend and
/// the bind, and `sorted()` by (app id, service port) puts it after 10001.
#[test]
fn port_label_beyond_64_bits() {
    let app = host_app(
        "/web",
        json!({"HAPROXY_0_PORT": " 0099999999999999999999 "}),
        &[10000, 10001],
    );
    let out = cfg(vec![app]);
    let pos = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(out.contains(
        "\nfrontend web_99999999999999999999\n  bind *:99999999999999999999\n  mode tcp\n"
    ));
    assert!(pos("\nfrontend web_10001\n") < pos("\nfrontend web_99999999999999999999\n"));
    assert!(pos("\nbackend web_10001\n") < pos("\nbackend web_99999999999999999999\n"));
    let templates = Templates::new(
        &BTreeMap::new(),
        &env(&[(
            "HAPROXY_FRONTEND_HEAD",
            "\nfrontend {backend}\n  # {servicePort:,} {servicePort:#x}\n",
        )]),
    );
    let app = host_app(
        "/web",
        json!({"HAPROXY_0_PORT": "-100000000000000000000"}),
        &[10000],
    );
    let out = render_with(vec![app], &all_groups(), &templates)
        .expect("render")
        .haproxy_cfg;
    // '{p:,}'.format(p=-10**20) and '{p:#x}'.format(p=-10**20).
    assert!(out.contains(
        "\nfrontend web_-100000000000000000000\n  # -100,000,000,000,000,000,000 -0x56bc75e2d63100000\n"
    ));
}

/// `http_frontend_list.sort(key=weight, reverse=True)` over ints of any
/// size: 10**20 before 5 before 1 (PATH) before -10**20; the sort is
/// stable, so equal weights keep their order.
#[test]
fn backend_weight_beyond_64_bits_orders_vhost_blocks() {
    let app = |id: &str, port: i64, weight: &str| {
        host_app(
            id,
            json!({"HAPROXY_0_VHOST": "x.com", "HAPROXY_0_PATH": id, "HAPROXY_0_BACKEND_WEIGHT": weight}),
            &[port],
        )
    };
    let out = cfg(vec![
        app("/a", 10000, "-100000000000000000000"),
        app("/b", 10001, "100000000000000000000"),
        app("/c", 10002, "5"),
        app("/d", 10003, "0"),
        app("/e", 10004, "99999999999999999999"),
    ]);
    let pos = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} missing"));
    let order = ["b_10001", "e_10004", "c_10002", "d_10003", "a_10000"];
    for w in order.windows(2) {
        assert!(
            pos(&format!("use_backend {} if", w[0])) < pos(&format!("use_backend {} if", w[1])),
            "{w:?}"
        );
    }
}

/// `get_backend_port`: `abs(k) > len(apps)` for k = ±10**20, so the
/// server's own port, as for any index past the app's services; no
/// `portIndex` equals it, so no check is borrowed either.
#[test]
fn health_check_port_index_beyond_64_bits() {
    for k in ["100000000000000000000", "-100000000000000000000"] {
        let mut app = host_app(
            "/web",
            json!({"HAPROXY_0_BACKEND_HEALTHCHECK_PORT_INDEX": k}),
            &[10000, 10001],
        );
        app["healthChecks"] = json!([{"protocol": "TCP", "port": 9, "timeoutSeconds": 1,
            "intervalSeconds": 1, "gracePeriodSeconds": 1, "maxConsecutiveFailures": 1}]);
        let out = cfg(vec![app.clone()]);
        assert!(
            out.contains("10.0.0.1:31001 id") && out.contains("fall 2 port 31001\n"),
            "{k}"
        );
        app["healthChecks"][0] = json!({"protocol": "HTTP", "portIndex": 1, "timeoutSeconds": 1,
            "intervalSeconds": 1, "gracePeriodSeconds": 1, "maxConsecutiveFailures": 1});
        let out = cfg(vec![app]);
        assert!(
            !out.contains("\nbackend web_10000\n  balance roundrobin\n  mode http\n"),
            "{k}"
        );
    }
}

/// drain = min(len(old tasks), healthy_new, max(0, healthy_new +
/// old.instances - target)): with target = 10**20 nothing drains, with
/// target = -10**20 one old task (healthy_new = 1) does.
#[test]
fn target_instances_beyond_64_bits() {
    for (target, drained) in [
        ("100000000000000000000", false),
        ("-100000000000000000000", true),
    ] {
        let old = zdd_app(
            "/nginx-blue",
            "2016-02-01T10:00:00",
            json!([{"id": "b1", "host": "agent1", "ports": [1]}, {"id": "b2", "host": "agent1", "ports": [2]}]),
            2,
            json!({}),
        );
        let new = zdd_app(
            "/nginx-green",
            "2016-02-01T11:00:00",
            json!([{"id": "g1", "host": "agent2", "ports": [7]}]),
            1,
            json!({"HAPROXY_DEPLOYMENT_NEW_INSTANCES": "0", "HAPROXY_DEPLOYMENT_TARGET_INSTANCES": target}),
        );
        let out = cfg(vec![old, new]);
        let disabled = out.lines().filter(|l| l.ends_with(" disabled")).count();
        assert_eq!(disabled, usize::from(drained), "{target}");
    }
}

/// `RenderOptions::today` is dateutil's clock: `10:00` alone is today at
/// 10:00, newer than any 2016 date, so the 2016 app is the old one and
/// drains; without a date the render refuses the label.
#[test]
fn deployment_dates_completed_from_today() {
    let tasks = |id: &str, port: i64| json!([{"id": id, "host": "agent1", "ports": [port]}]);
    let old = zdd_app("/x-blue", "Feb 1 2016 10:00", tasks("b1", 1), 1, json!({}));
    let new = zdd_app("/x-green", "10:00", tasks("g1", 2), 1, json!({}));
    let opts = RenderOptions {
        today: Date::new(2026, 12, 2),
        ..all_groups()
    };
    let out = render_with(vec![new.clone(), old.clone()], &opts, &Templates::default())
        .expect("render")
        .haproxy_cfg;
    let disabled: Vec<&str> = out.lines().filter(|l| l.ends_with(" disabled")).collect();
    assert!(
        disabled.len() == 1 && disabled[0].contains(":1 id"),
        "{disabled:?}"
    );
    assert!(matches!(
        err(vec![new, old]),
        RenderError::BadLabel { label, .. } if label == "HAPROXY_DEPLOYMENT_STARTED_AT"
    ));
}
