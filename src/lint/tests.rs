//! One clean and one failing case per offline check.

use serde_json::{Value, json};

use super::*;

fn clean() -> Value {
    json!({
        "id": "/web", "instances": 2, "cmd": "serve",
        "labels": {
            "HAPROXY_DEPLOYMENT_GROUP": "web",
            "HAPROXY_DEPLOYMENT_ALT_PORT": "10001",
            "HAPROXY_GROUP": "external"
        },
        "portDefinitions": [{"port": 10000}],
        "healthChecks": [{
            "protocol": "MESOS_HTTP", "path": "/health", "portIndex": 0,
            "gracePeriodSeconds": 10, "intervalSeconds": 2, "maxConsecutiveFailures": 3,
            "timeoutSeconds": 2
        }]
    })
}

fn with(pointer: &str, value: Value) -> Value {
    let mut app = clean();
    *app.pointer_mut(pointer).expect("pointer exists") = value;
    app
}

fn without_label(key: &str) -> Value {
    let mut app = clean();
    app["labels"].as_object_mut().unwrap().remove(key);
    app
}

fn message(finding: Option<Finding>) -> String {
    finding.expect("a finding").message
}

#[test]
fn a_clean_app_has_no_error_or_warning() {
    let findings = offline(&clean(), &Options { max_wait: 300 });
    assert!(
        findings.iter().all(|f| f.severity == Severity::Note),
        "{findings:#?}"
    );
    assert!(
        findings.iter().any(|f| f.check == "render"),
        "{findings:#?}"
    );
}

#[test]
fn deployment_group_must_be_named() {
    assert_eq!(deployment_group(&clean()), None);
    let missing = deployment_group(&without_label("HAPROXY_DEPLOYMENT_GROUP")).unwrap();
    assert_eq!(missing.severity, Severity::Error);
    assert!(
        missing
            .message
            .contains("HAPROXY_DEPLOYMENT_GROUP is missing")
    );
    assert!(
        message(deployment_group(&with(
            "/labels/HAPROXY_DEPLOYMENT_GROUP",
            json!("/")
        )))
        .contains("not a group name")
    );
}

#[test]
fn alt_port_must_be_a_string_port_other_than_the_service_port() {
    assert_eq!(alt_port(&clean()), None);
    assert!(message(alt_port(&without_label("HAPROXY_DEPLOYMENT_ALT_PORT"))).contains("missing"));
    let number = alt_port(&with("/labels/HAPROXY_DEPLOYMENT_ALT_PORT", json!(10001))).unwrap();
    assert!(number.message.contains("only strings"), "{number:?}");
    assert!(number.fix.contains("\"10001\""), "{number:?}");
    assert!(
        message(alt_port(&with(
            "/labels/HAPROXY_DEPLOYMENT_ALT_PORT",
            json!("70000")
        )))
        .contains("1 to 65535")
    );
    assert!(
        message(alt_port(&with(
            "/labels/HAPROXY_DEPLOYMENT_ALT_PORT",
            json!("10000")
        )))
        .contains("is the service port")
    );
}

#[test]
fn haproxy_group_is_warned_about_when_missing() {
    assert_eq!(haproxy_group(&clean()), None);
    let missing = haproxy_group(&without_label("HAPROXY_GROUP")).unwrap();
    assert_eq!(missing.severity, Severity::Warning);
}

#[test]
fn exactly_one_fixed_service_port() {
    assert_eq!(service_ports(&clean()), None);
    let two = with(
        "/portDefinitions",
        json!([{"port": 10000}, {"port": 10002}]),
    );
    assert!(message(service_ports(&two)).contains("2 service ports"));
    let none = with("/portDefinitions", json!([]));
    assert!(message(service_ports(&none)).contains("no service port"));
    let zero = service_ports(&with("/portDefinitions", json!([{"port": 0}]))).unwrap();
    assert_eq!(zero.severity, Severity::Warning);
    let unset = service_ports(&with("/portDefinitions", json!([{"name": "http"}]))).unwrap();
    assert_eq!(unset.severity, Severity::Warning);
    assert_eq!(
        render_check(&with("/portDefinitions", json!([{"name": "http"}]))),
        None
    );
}

#[test]
fn a_health_check_marathon_lb_uses_is_needed() {
    assert_eq!(health_checks(&clean()).unwrap().severity, Severity::Note);
    let none = health_checks(&with("/healthChecks", json!([]))).unwrap();
    assert_eq!(none.severity, Severity::Error);
    let command = with(
        "/healthChecks",
        json!([{"protocol": "COMMAND", "command": {"value": "true"}}]),
    );
    let unused = health_checks(&command).unwrap();
    assert_eq!(unused.severity, Severity::Warning);
    assert!(unused.message.contains("port index 0"), "{unused:?}");
    let http = with(
        "/healthChecks",
        json!([{"protocol": "HTTP", "path": "/ok"}]),
    );
    assert!(message(health_checks(&http)).contains("GET /ok"));
}

#[test]
fn slow_health_checks_are_weighed_against_max_wait() {
    assert!(health_timing(&clean(), 300).is_empty());
    let defaults = with("/healthChecks", json!([{"protocol": "MESOS_HTTP"}]));
    let slow = health_timing(&defaults, 300);
    assert_eq!(slow.len(), 1);
    assert!(slow[0].message.contains("480 s"), "{slow:?}");
    assert!(slow[0].fix.contains("--max-wait 480"), "{slow:?}");
    assert!(health_timing(&defaults, 480).is_empty());
}

#[test]
fn names_that_haproxy_or_dns_refuse() {
    assert!(names(&clean()).is_empty());
    let bad = names(&with("/labels/HAPROXY_DEPLOYMENT_GROUP", json!("web shop")));
    assert_eq!(bad[0].severity, Severity::Error);
    assert!(bad[0].message.contains("\" \""), "{bad:?}");
    let nested = names(&with(
        "/labels/HAPROXY_DEPLOYMENT_GROUP",
        json!("/prod/web"),
    ));
    assert!(
        nested[0].message.contains("backend prod_web_10000"),
        "{nested:?}"
    );
    let long = names(&with("/id", json!(format!("/{}", "a".repeat(60)))));
    assert_eq!(long[0].severity, Severity::Warning);
    assert!(message(names(&with("/id", json!("/"))).into_iter().next()).contains("no id"));
}

#[test]
fn the_render_names_the_backend_or_fails() {
    let ok = render_check(&clean()).unwrap();
    assert_eq!(ok.severity, Severity::Note);
    assert!(ok.message.contains("backend web_10000"), "{ok:?}");
    let sparse = with(
        "/healthChecks",
        json!([{"protocol": "HTTP", "path": "/health"}]),
    );
    let defaults = render_check(&sparse).unwrap();
    assert_eq!(
        defaults.severity,
        Severity::Note,
        "Marathon fills the timing fields: {defaults:?}"
    );
    let mut bad = clean();
    bad["labels"]["HAPROXY_0_BACKEND_WEIGHT"] = json!("heavy");
    let failed = render_check(&bad).unwrap();
    assert_eq!(failed.severity, Severity::Error, "{failed:?}");
}
