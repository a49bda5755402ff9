//! One case per cluster check, on answers as Marathon and marathon-lb give
//! them: `fixtures/apps.json` is a `GET /v2/apps?embed=apps.tasks` body,
//! `fixtures/deployments.json` a `GET /v2/deployments` body, and
//! `fixtures/haproxy_external.cfg` the `/_haproxy_getconfig` of a
//! marathon-lb run with `--group external` over those apps (its default
//! `HAPROXY_HEAD`, as `dcos lb render --apps fixtures/apps.json --group
//! external` writes it).

use std::time::Duration;

use serde_json::{Value, json};

use super::*;
use crate::lb::worker::Worker;

fn raw_apps() -> Vec<Value> {
    let body: Value =
        serde_json::from_str(include_str!("../fixtures/apps.json")).expect("apps fixture");
    body["apps"].as_array().expect("apps").clone()
}

fn apps() -> Vec<App> {
    typed(&raw_apps())
}

fn typed(raw: &[Value]) -> Vec<App> {
    serde_json::from_value(Value::Array(raw.to_vec())).expect("apps")
}

fn deployments() -> Vec<Deployment> {
    serde_json::from_str(include_str!("../fixtures/deployments.json")).expect("deployments")
}

const CONFIG: &str = include_str!("../fixtures/haproxy_external.cfg");

fn lb(config: &str, threads: u32) -> LbProfile {
    LbProfile {
        url: "http://10.0.0.9:9090".into(),
        worker: Ok(Worker {
            pid: 4242,
            threads,
            uptime: Duration::from_secs(600),
        }),
        config: Ok(config.into()),
    }
}

/// The next colour of the fixture's group `web`.
fn web() -> Value {
    json!({
        "id": "/web", "instances": 2, "cpus": 0.5, "mem": 256, "cmd": "./serve",
        "labels": {
            "HAPROXY_DEPLOYMENT_GROUP": "web",
            "HAPROXY_DEPLOYMENT_ALT_PORT": "10081",
            "HAPROXY_GROUP": "external"
        },
        "portDefinitions": [{"port": 10080}],
        "healthChecks": [{"protocol": "MESOS_HTTP", "path": "/health", "portIndex": 0}]
    })
}

fn with_label(key: &str, value: &str) -> Value {
    let mut app = web();
    app["labels"][key] = json!(value);
    app
}

fn messages(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{}: {}", f.severity.as_str(), f.message))
        .collect()
}

#[test]
fn the_fixture_group_deploys_cleanly() {
    let cluster = Cluster {
        apps: Ok(apps()),
        raw_apps: raw_apps(),
        deployments: Ok(Vec::new()),
        lbs: Ok(vec![lb(CONFIG, 1)]),
    };
    let found = super::cluster(&web(), &cluster, Intent::default());
    assert_eq!(
        messages(&found),
        [
            "note: with Marathon's 1 other app(s), marathon-lb --group external renders \
             frontends web_10080 and backends web_10080",
            "note: drain proof: pids — every marathon-lb runs 1 HAProxy thread, so /_haproxy_getpids \
             (which forks) is safe to ask once per kill",
            "warning: marathon-lb at http://10.0.0.9:9090 keeps WebSocket and other upgraded \
             connections for timeout tunnel 3600s; no hard-stop-after ends an old worker sooner",
            "note: HAPROXY_GROUP external is served by marathon-lb at http://10.0.0.9:9090",
        ]
    );
}

#[test]
fn an_alt_port_held_by_another_app_is_an_error() {
    assert!(ports_in_use(&web(), &apps()).is_empty());
    let found = ports_in_use(&with_label("HAPROXY_DEPLOYMENT_ALT_PORT", "10100"), &apps());
    assert_eq!(
        messages(&found),
        ["error: HAPROXY_DEPLOYMENT_ALT_PORT 10100 is a service port of /api in Marathon"]
    );
    let found = ports_in_use(&with_label("HAPROXY_DEPLOYMENT_ALT_PORT", "10101"), &apps());
    assert_eq!(
        messages(&found),
        [
            "error: HAPROXY_DEPLOYMENT_ALT_PORT 10101 is the HAPROXY_DEPLOYMENT_ALT_PORT of /api in Marathon"
        ]
    );
}

#[test]
fn a_service_port_held_by_another_group_is_an_error() {
    let mut app = web();
    app["portDefinitions"] = json!([{"port": 10100}]);
    let found = ports_in_use(&app, &apps());
    assert_eq!(
        messages(&found),
        ["error: the service port 10100 is a service port of /api in Marathon"]
    );
}

#[test]
fn a_marathon_deployment_on_the_group_is_a_warning() {
    let found = deployment_in_progress(&web(), &apps(), &deployments());
    assert_eq!(
        messages(&found),
        [
            "warning: Marathon deployment 97c136bf-5a28-4821-9d94-480d9fbb01c8 is in progress for /web-blue"
        ]
    );
    let other = with_label("HAPROXY_DEPLOYMENT_GROUP", "shop");
    assert!(deployment_in_progress(&other, &apps(), &deployments()).is_empty());
}

#[test]
fn two_apps_of_the_group_say_which_command_finishes_them() {
    assert_eq!(hybrid(&web(), &apps()), None);
    let mut both = apps();
    let mut green = both[0].clone();
    green.id = "/web-green".into();
    both.push(green.clone());
    let found = hybrid(&web(), &both).expect("hybrid");
    assert_eq!(found.severity, Severity::Error);
    assert_eq!(
        found.message,
        "group web is in the middle of a deploy: /web-blue and /web-green are both in Marathon"
    );
    assert!(
        found.fix.contains("dcos lb deploy --resume APP.json"),
        "{}",
        found.fix
    );
    green
        .labels
        .insert("HAPROXY_DEPLOYMENT_NEW_INSTANCES".into(), json!("1"));
    *both.last_mut().expect("green") = green;
    let found = hybrid(&web(), &both).expect("hybrid");
    assert!(found.message.contains("a split"), "{}", found.message);
    assert!(found.fix.contains("dcos lb promote web"), "{}", found.fix);
}

#[test]
fn surge_counts_both_colours_at_full_size() {
    let found = surge_capacity(&web(), &apps()).expect("capacity");
    assert_eq!(
        found.message,
        "--surge runs both colours at full size: 2.00 cpus and 1024 MiB at the peak \
         (1.00 cpus, 512 MiB new + 1.00 cpus, 512 MiB old)"
    );
}

#[test]
fn an_lb_that_does_not_answer_is_a_warning() {
    let mut down = lb(CONFIG, 1);
    down.worker = Err("connection refused".into());
    assert!(unreachable(&[lb(CONFIG, 1)]).is_empty());
    assert_eq!(
        messages(&unreachable(&[down])),
        ["warning: marathon-lb at http://10.0.0.9:9090 does not answer: connection refused"]
    );
}

#[test]
fn threads_choose_the_horizon_proof() {
    let found = drain_proof(&[lb(CONFIG, 2)], Intent::default());
    assert_eq!(found.severity, Severity::Note);
    assert!(
        found.message.starts_with("drain proof: horizon"),
        "{}",
        found.message
    );
    let metric = drain_proof(
        &[lb(CONFIG, 2)],
        Intent {
            drain_metric: true,
            ..Intent::default()
        },
    );
    assert!(
        metric.message.starts_with("drain proof: metric"),
        "{}",
        metric.message
    );
}

#[test]
fn hard_stop_after_turns_the_tunnel_warning_into_a_note() {
    let stopped = CONFIG.replacen("global\n", "global\n  hard-stop-after 30s\n", 1);
    let found = long_lived(&[lb(&stopped, 1)]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Note);
    assert!(
        found[0]
            .message
            .ends_with("hard-stop-after 30s ends an old worker and its connections sooner"),
        "{}",
        found[0].message
    );
}

#[test]
fn a_group_no_lb_serves_is_an_error() {
    let found = served(
        &with_label("HAPROXY_GROUP", "internal"),
        &apps(),
        &[lb(CONFIG, 1)],
    )
    .expect("finding");
    assert_eq!(found.severity, Severity::Error);
    assert_eq!(
        found.message,
        "no marathon-lb serves HAPROXY_GROUP internal; they serve external"
    );
    let empty = "global\n  daemon\n";
    let unknown = served(&web(), &apps(), &[lb(empty, 1)]).expect("finding");
    assert_eq!(unknown.severity, Severity::Note);
    assert!(unknown.message.contains("unknown"), "{}", unknown.message);
}

#[test]
fn a_config_missing_a_healthy_task_is_stale() {
    assert!(stale(&web(), &apps(), &[lb(CONFIG, 1)]).is_empty());
    let behind: String = CONFIG
        .lines()
        .filter(|l| !l.contains("10.0.1.6:31002"))
        .map(|l| format!("{l}\n"))
        .collect();
    let found = stale(&web(), &apps(), &[lb(&behind, 1)]);
    assert_eq!(
        messages(&found),
        [
            "warning: marathon-lb at http://10.0.0.9:9090's running config lacks 1 healthy task(s) \
          of group web: web-blue.8d1a2b3d-aa11-11e9-9a4e-0242ac110002"
        ]
    );
}

#[test]
fn unread_sources_are_skipped_with_a_note() {
    let cluster = Cluster {
        apps: Err("connection refused".into()),
        raw_apps: Vec::new(),
        deployments: Err("connection refused".into()),
        lbs: Err("no task of /marathon-lb".into()),
    };
    let found = super::cluster(&web(), &cluster, Intent::default());
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|f| f.severity == Severity::Note));
    assert!(found[0].message.contains("Marathon could not be read"));
    assert!(
        found[1]
            .message
            .contains("marathon-lb instances could not be found")
    );
}

/// An app outside the group, served by `--group external`, with one
/// running task.
fn external_app(id: &str, port: u64, labels: Value) -> Value {
    let mut all = json!({ "HAPROXY_GROUP": "external" });
    all.as_object_mut()
        .expect("labels")
        .extend(labels.as_object().expect("labels").clone());
    json!({
        "id": id, "instances": 1, "labels": all,
        "portDefinitions": [{"port": port}], "ports": [port],
        "tasks": [{
            "id": format!("{}.1", id.trim_start_matches('/')), "host": "10.0.0.7",
            "ports": [31999], "state": "TASK_RUNNING",
            "startedAt": "2026-11-30T10:00:00.000Z"
        }]
    })
}

#[test]
fn the_render_with_marathons_apps_names_what_the_deploy_will_produce() {
    let found = render(&web(), &apps(), &raw_apps());
    assert_eq!(
        messages(&found.into_iter().collect::<Vec<_>>()),
        [
            "note: with Marathon's 1 other app(s), marathon-lb --group external renders \
             frontends web_10080 and backends web_10080"
        ]
    );
}

#[test]
fn a_port_another_apps_frontend_binds_is_a_render_error() {
    let mut raw = raw_apps();
    raw.push(external_app(
        "/legacy",
        10200,
        json!({ "HAPROXY_0_PORT": "10080" }),
    ));
    assert!(
        ports_in_use(&web(), &typed(&raw)).is_empty(),
        "only the render sees a port set by HAPROXY_0_PORT"
    );
    let found = render(&web(), &typed(&raw), &raw).expect("a finding");
    assert_eq!(
        messages(&[found]),
        [
            "error: with Marathon's other apps, the rendered config binds a port twice: \
             port 10080 is bound by legacy_10080 and web_10080"
        ]
    );
}

#[test]
fn an_app_marathon_lb_cannot_render_is_a_render_error() {
    let mut raw = raw_apps();
    let mut broken = external_app("/broken", 10300, json!({}));
    broken["tasks"][0]
        .as_object_mut()
        .expect("task")
        .remove("host");
    raw.push(broken);
    let found = render(&web(), &typed(&raw), &raw).expect("a finding");
    assert_eq!(found.severity, Severity::Error, "{found:#?}");
    assert!(
        found
            .message
            .starts_with("with Marathon's other apps, marathon-lb's render fails:")
            && found.message.contains("host"),
        "{found:#?}"
    );
}

#[test]
fn a_hybrid_group_is_left_to_the_hybrid_check() {
    let mut raw = raw_apps();
    let mut green = raw[0].clone();
    green["id"] = json!("/web-green");
    raw.push(green);
    assert_eq!(render(&web(), &typed(&raw), &raw), None);
}
