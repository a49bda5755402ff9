//! When is an app healthy (pure: no I/O). The strict default of `dcos lb
//! health` and the Marathon blue/green doc's weaker "no failing check".

use serde::Serialize;

use crate::marathon::types::App;

/// The verdict on one app, with the reasons when it is not healthy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthReport {
    /// The app id.
    pub app: String,
    /// Whether the condition holds.
    pub healthy: bool,
    /// Target instances.
    pub instances: u32,
    /// Running tasks.
    pub tasks_running: u32,
    /// Healthy tasks.
    pub tasks_healthy: u32,
    /// Why not, in words.
    pub reasons: Vec<String>,
}

impl HealthReport {
    fn new(app: &App, reasons: Vec<String>) -> Self {
        Self {
            app: app.id.clone(),
            healthy: reasons.is_empty(),
            instances: app.instances,
            tasks_running: app.tasks_running,
            tasks_healthy: app.tasks_healthy,
            reasons,
        }
    }

    /// One line for humans.
    pub fn summary(&self) -> String {
        let counts = format!(
            "{}/{} tasks running, {} healthy",
            self.tasks_running, self.instances, self.tasks_healthy
        );
        if self.healthy {
            format!("{} is healthy ({counts})", self.app)
        } else {
            format!(
                "{} is not healthy ({counts}): {}",
                self.app,
                self.reasons.join("; ")
            )
        }
    }
}

/// Strict health: no deployment in progress, `tasksRunning == instances`,
/// and every running task has a result for every health check, all alive.
pub fn strict(app: &App) -> HealthReport {
    let mut reasons = Vec::new();
    if !app.deployments.is_empty() {
        let ids: Vec<&str> = app.deployments.iter().map(|d| d.id.as_str()).collect();
        reasons.push(format!("deployment {} in progress", ids.join(", ")));
    }
    if app.tasks_running != app.instances {
        reasons.push(format!(
            "{} of {} instances running",
            app.tasks_running, app.instances
        ));
    }
    let checks = app.health_checks.len();
    if checks > 0 {
        let running = app.tasks.iter().filter(|t| t.is_running());
        let mut unchecked = 0;
        let mut failing = 0;
        for task in running {
            if task.health_check_results.len() < checks {
                unchecked += 1;
            } else if !task.all_alive() {
                failing += 1;
            }
        }
        if unchecked > 0 {
            reasons.push(format!("{unchecked} task(s) not health-checked yet"));
        }
        if failing > 0 {
            reasons.push(format!("{failing} task(s) failing health checks"));
        }
    }
    HealthReport::new(app, reasons)
}

/// The Marathon blue/green doc's check: no health-check result with
/// `alive == false` (`.tasks[].healthCheckResults[] | select(.alive == false)`
/// is empty). Passes while tasks are missing or unchecked.
pub fn no_failing_checks(app: &App) -> HealthReport {
    let failing = app
        .tasks
        .iter()
        .filter(|t| t.health_check_results.iter().any(|r| !r.alive))
        .count();
    let reasons = if failing > 0 {
        vec![format!("{failing} task(s) failing health checks")]
    } else {
        Vec::new()
    };
    HealthReport::new(app, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn app(value: serde_json::Value) -> App {
        serde_json::from_value(value).expect("app")
    }

    fn task(results: serde_json::Value) -> serde_json::Value {
        json!({"id": "t", "state": "TASK_RUNNING", "healthCheckResults": results})
    }

    #[test]
    fn strict_needs_every_check_alive_and_no_deployment() {
        let healthy = app(json!({
            "id": "/a", "instances": 2, "tasksRunning": 2, "tasksHealthy": 2,
            "healthChecks": [{"protocol": "HTTP"}],
            "tasks": [task(json!([{"alive": true}])), task(json!([{"alive": true}]))]
        }));
        let report = strict(&healthy);
        assert!(report.healthy, "{report:?}");
        assert_eq!(
            report.summary(),
            "/a is healthy (2/2 tasks running, 2 healthy)"
        );

        let unchecked = app(json!({
            "id": "/a", "instances": 2, "tasksRunning": 2,
            "healthChecks": [{"protocol": "HTTP"}],
            "tasks": [task(json!([])), task(json!([{"alive": true}]))]
        }));
        assert_eq!(
            strict(&unchecked).reasons,
            ["1 task(s) not health-checked yet"]
        );
        assert!(
            no_failing_checks(&unchecked).healthy,
            "the doc's filter passes vacuously"
        );

        let deploying = app(json!({
            "id": "/a", "instances": 3, "tasksRunning": 1,
            "deployments": [{"id": "d1"}],
            "tasks": [task(json!([{"alive": false}]))]
        }));
        let report = strict(&deploying);
        assert_eq!(
            report.reasons,
            ["deployment d1 in progress", "1 of 3 instances running"]
        );
        assert!(!no_failing_checks(&deploying).healthy);
    }
}
