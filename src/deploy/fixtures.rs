//! Test-only builders of the apps and tasks that the deploy modules' tests
//! share: a running app of one colour, a task with an optional health
//! result.

use serde_json::json;

use crate::marathon::labels;
use crate::marathon::types::{App, HealthCheckResult, Task};

pub(crate) fn running(id: &str, colour: &str, port: u32, instances: u32) -> App {
    let mut app = App {
        id: id.into(),
        instances,
        ports: vec![port],
        ..App::default()
    };
    for (k, v) in [
        (labels::DEPLOYMENT_COLOUR, colour.to_string()),
        (labels::PORT_0, "10000".to_string()),
        (labels::DEPLOYMENT_TARGET_INSTANCES, instances.to_string()),
        (
            labels::DEPLOYMENT_STARTED_AT,
            "2024-01-01T00:00:00".to_string(),
        ),
    ] {
        app.labels.insert(k.into(), json!(v));
    }
    app
}

pub(crate) fn task(id: &str, port: u32, alive: Option<bool>) -> Task {
    Task {
        id: id.into(),
        host: "agent1".into(),
        ports: vec![port],
        state: Some("TASK_RUNNING".into()),
        health_check_results: alive
            .map(|a| HealthCheckResult {
                alive: a,
                ..Default::default()
            })
            .into_iter()
            .collect(),
        ..Task::default()
    }
}
