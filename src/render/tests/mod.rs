//! Unit tests of the whole render: labels, template overrides, networking
//! modes, deployment groups and every error path. Pure: no I/O. This file
//! holds the helpers; each child one concern.

mod labels;
mod numbers;
mod services;

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use serde_json::{Value, json};

use super::*;

pub(super) fn hosts() -> BTreeMap<String, Ipv4Addr> {
    [("agent1", [10, 0, 0, 1]), ("agent2", [10, 0, 0, 2])]
        .into_iter()
        .map(|(h, ip)| (h.to_string(), Ipv4Addr::from(ip)))
        .collect()
}

pub(super) fn all_groups() -> RenderOptions {
    RenderOptions {
        groups: vec!["*".into()],
        ..RenderOptions::default()
    }
}

/// A host-networking app with one task per host on `agentN:3100N`.
pub(super) fn host_app(id: &str, labels: Value, ports: &[i64]) -> Value {
    json!({
        "id": id,
        "labels": labels,
        "instances": 1,
        "portDefinitions": ports.iter().map(|p| json!({"port": p})).collect::<Vec<_>>(),
        "tasks": [{"id": format!("{id}.t1"), "host": "agent1", "ports": [31001, 31002]}],
    })
}

pub(super) fn render_with(
    apps: Vec<Value>,
    opts: &RenderOptions,
    templates: &Templates,
) -> Result<Rendered, RenderError> {
    let doc = json!({ "apps": apps });
    let apps = Apps::from_value(&doc)?;
    render(&apps, opts, templates, &hosts())
}

pub(super) fn cfg(apps: Vec<Value>) -> String {
    render_with(apps, &all_groups(), &Templates::default())
        .expect("render")
        .haproxy_cfg
}

pub(super) fn err(apps: Vec<Value>) -> RenderError {
    render_with(apps, &all_groups(), &Templates::default()).expect_err("must fail")
}

pub(super) fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The text after the default HEAD (which is long and tested elsewhere).
pub(super) fn body(cfg: &str) -> &str {
    let head = Templates::default();
    &cfg[head.get(super::defaults::Tpl::Head).text().len()..]
}

pub(super) fn zdd_app(
    id: &str,
    started: &str,
    tasks: Value,
    instances: i64,
    extra_labels: Value,
) -> Value {
    let mut labels = json!({
        "HAPROXY_DEPLOYMENT_GROUP": "nginx",
        "HAPROXY_DEPLOYMENT_STARTED_AT": started,
        "HAPROXY_0_PORT": "10000",
    });
    for (k, v) in extra_labels.as_object().into_iter().flatten() {
        labels[k] = v.clone();
    }
    json!({"id": id, "labels": labels, "instances": instances, "portDefinitions": [{"port": 10001}],
           "versionInfo": {"lastScalingAt": started}, "tasks": tasks})
}
