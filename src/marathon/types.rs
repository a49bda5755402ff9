//! Typed views of Marathon's REST responses (pure: no I/O).
//!
//! These structs only *read* API responses; unknown fields are ignored and
//! every field Marathon may omit has a default. A user's app definition is
//! never round-tripped through them: it stays a `serde_json::Value`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An app as `GET /v2/apps` or `GET /v2/apps/{id}` returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct App {
    /// The app id, with its leading `/`.
    pub id: String,
    /// Target instance count.
    pub instances: u32,
    /// Tasks in TASK_STAGING.
    pub tasks_staged: u32,
    /// Tasks in TASK_RUNNING.
    pub tasks_running: u32,
    /// Running tasks whose health checks all pass.
    pub tasks_healthy: u32,
    /// Running tasks with a failing health check.
    pub tasks_unhealthy: u32,
    /// The app's labels, in their original order.
    pub labels: serde_json::Map<String, Value>,
    /// Deployments that currently involve this app.
    pub deployments: Vec<DeploymentRef>,
    /// Health checks defined on the app.
    pub health_checks: Vec<Value>,
    /// Embedded tasks (`embed=apps.tasks`, always on `GET /v2/apps/{id}`).
    pub tasks: Vec<Task>,
    /// When the app's config and scale last changed.
    pub version_info: VersionInfo,
    /// The app version (an ISO-8601 timestamp).
    pub version: String,
    /// CPUs per task.
    pub cpus: f64,
    /// Memory per task, MiB.
    pub mem: f64,
    /// The command line, if any.
    pub cmd: Option<String>,
    /// The container definition, if any.
    pub container: Option<Value>,
    /// Legacy service ports.
    pub ports: Vec<u32>,
    /// Host-networking port definitions.
    pub port_definitions: Vec<Value>,
    /// The Mesos role.
    pub role: Option<String>,
}

impl App {
    /// A label's value, when it is a string.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels.get(key).and_then(Value::as_str)
    }
}

/// `{"id": …}` entries in an app's `deployments`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeploymentRef {
    /// The deployment id.
    pub id: String,
}

/// `versionInfo` of an app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VersionInfo {
    /// When instances last changed.
    pub last_scaling_at: Option<String>,
    /// When anything else last changed.
    pub last_config_change_at: Option<String>,
}

/// A task as Marathon reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Task {
    /// The task id.
    pub id: String,
    /// The app the task belongs to.
    pub app_id: String,
    /// The agent's host name or address.
    pub host: String,
    /// Host ports.
    pub ports: Vec<u32>,
    /// Service ports.
    pub service_ports: Vec<u32>,
    /// IP-per-task addresses.
    pub ip_addresses: Vec<IpAddress>,
    /// `TASK_RUNNING`, `TASK_STAGING`, …
    pub state: Option<String>,
    /// When the task started.
    pub started_at: Option<String>,
    /// When the task was staged.
    pub staged_at: Option<String>,
    /// The app version the task runs.
    pub version: Option<String>,
    /// One result per health check, absent until the first check ran.
    pub health_check_results: Vec<HealthCheckResult>,
    /// The agent id.
    pub slave_id: Option<String>,
    /// The Mesos role.
    pub role: Option<String>,
}

impl Task {
    /// Whether every health-check result is alive (vacuously true when none).
    pub fn all_alive(&self) -> bool {
        self.health_check_results.iter().all(|r| r.alive)
    }

    /// Whether the task is in TASK_RUNNING (or Marathon omitted the state).
    pub fn is_running(&self) -> bool {
        self.state.as_deref().is_none_or(|s| s == "TASK_RUNNING")
    }
}

/// An IP-per-task address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IpAddress {
    /// The address.
    pub ip_address: String,
    /// `IPv4` or `IPv6`.
    pub protocol: String,
}

/// One health-check result of a task.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HealthCheckResult {
    /// Whether the last check passed.
    pub alive: bool,
    /// Failures in a row.
    pub consecutive_failures: u32,
    /// When the first check passed.
    pub first_success: Option<String>,
    /// When a check last passed.
    pub last_success: Option<String>,
    /// When a check last failed.
    pub last_failure: Option<String>,
    /// Why the last check failed.
    pub last_failure_cause: Option<String>,
}

/// A deployment from `GET /v2/deployments`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Deployment {
    /// The deployment id.
    pub id: String,
    /// The target version.
    pub version: String,
    /// Apps it touches.
    pub affected_apps: Vec<String>,
    /// Pods it touches.
    pub affected_pods: Vec<String>,
    /// Every step of the plan.
    pub steps: Vec<DeploymentStep>,
    /// What runs now.
    pub current_actions: Vec<DeploymentAction>,
    /// 1-based index of the current step.
    pub current_step: u32,
    /// Number of steps.
    pub total_steps: u32,
}

/// One step of a deployment plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeploymentStep {
    /// The actions of the step.
    pub actions: Vec<DeploymentAction>,
}

/// One action of a deployment step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeploymentAction {
    /// `StartApplication`, `ScaleApplication`, …
    pub action: String,
    /// The app, for app actions.
    pub app: Option<String>,
    /// The pod, for pod actions.
    pub pod: Option<String>,
}

/// The answer to writes that start a deployment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeploymentResult {
    /// The deployment started.
    pub deployment_id: String,
    /// The new app version.
    pub version: String,
}

/// `GET /v2/info`, the parts we use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MarathonInfo {
    /// Marathon's version.
    pub version: String,
    /// The framework name.
    pub name: String,
    /// The current leader.
    pub leader: Option<String>,
}
