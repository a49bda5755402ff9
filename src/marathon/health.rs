//! When is a task or an app healthy (pure: no I/O). One task rule, which
//! the deploy and `dcos lb health` share; the strict default of `dcos lb
//! health` and the Marathon blue/green doc's weaker "no failing check".

use serde::Serialize;

use crate::marathon::types::{App, Task};

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

/// One task's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskHealth {
    /// Not in TASK_RUNNING.
    NotRunning,
    /// Running, but some health check of the app has no result yet.
    Unchecked,
    /// Running with a result for every check, some of them not alive.
    Failing,
    /// Running, and every health check of the app (if any) is alive.
    Healthy,
}

/// A task is healthy when it runs and, when the app has health checks, it
/// has a result for each of them and every result is alive.
pub fn task_health(app: &App, task: &Task) -> TaskHealth {
    if !task.is_running() {
        TaskHealth::NotRunning
    } else if app.health_checks.is_empty() {
        TaskHealth::Healthy
    } else if task.health_check_results.len() < app.health_checks.len() {
        TaskHealth::Unchecked
    } else if task.all_alive() {
        TaskHealth::Healthy
    } else {
        TaskHealth::Failing
    }
}

/// Whether [`task_health`] is [`TaskHealth::Healthy`].
pub fn task_healthy(app: &App, task: &Task) -> bool {
    task_health(app, task) == TaskHealth::Healthy
}

/// Whether a task of an app with health checks never passed one: no result
/// has an `alive` or a `lastSuccess`. marathon-lb with `--health-check` (as
/// the DC/OS package runs it) lists a task only once a result is alive, so
/// such a task was never a server in any of its configs.
pub fn never_passed(app: &App, task: &Task) -> bool {
    !app.health_checks.is_empty()
        && task
            .health_check_results
            .iter()
            .all(|r| !r.alive && r.last_success.is_none() && r.first_success.is_none())
}

/// Healthy tasks of an app.
pub fn healthy_count(app: &App) -> u32 {
    app.tasks.iter().filter(|t| task_healthy(app, t)).count() as u32
}

/// Why an app's tasks are not healthy, from their last health-check failure.
pub fn unhealthy_reason(app: &App) -> Option<String> {
    app.tasks
        .iter()
        .filter(|t| !task_healthy(app, t))
        .map(|t| {
            let cause = t
                .health_check_results
                .iter()
                .find_map(|r| r.last_failure_cause.clone());
            match cause {
                Some(cause) => format!("task {} fails its health check: {cause}", t.id),
                None if t.is_running() => {
                    format!("task {} has not passed a health check yet", t.id)
                }
                None => format!(
                    "task {} is {}",
                    t.id,
                    t.state.as_deref().unwrap_or("not running")
                ),
            }
        })
        .next()
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
    let running = app.tasks.iter().map(|t| task_health(app, t));
    let unchecked = running
        .clone()
        .filter(|h| *h == TaskHealth::Unchecked)
        .count();
    let failing = running.filter(|h| *h == TaskHealth::Failing).count();
    if unchecked > 0 {
        reasons.push(format!("{unchecked} task(s) not health-checked yet"));
    }
    if failing > 0 {
        reasons.push(format!("{failing} task(s) failing health checks"));
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
    fn never_passed_means_no_result_was_ever_alive() {
        let checked = |results| {
            app(json!({
                "id": "/a", "instances": 1,
                "healthChecks": [{"protocol": "HTTP"}],
                "tasks": [task(results)]
            }))
        };
        let fresh = checked(json!([]));
        assert!(never_passed(&fresh, &fresh.tasks[0]));
        let failing = checked(json!([{"alive": false, "lastFailureCause": "HTTP 503"}]));
        assert!(never_passed(&failing, &failing.tasks[0]));
        let once_healthy =
            checked(json!([{"alive": false, "lastSuccess": "2024-01-01T00:00:00Z"}]));
        assert!(!never_passed(&once_healthy, &once_healthy.tasks[0]));
        let alive = checked(json!([{"alive": true}]));
        assert!(!never_passed(&alive, &alive.tasks[0]));
        let unchecked_app = app(json!({"id": "/a", "tasks": [task(json!([]))]}));
        assert!(
            !never_passed(&unchecked_app, &unchecked_app.tasks[0]),
            "without health checks marathon-lb lists a task at once"
        );
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

    #[test]
    fn a_task_needs_a_live_result_for_every_check() {
        let two_checks = app(json!({
            "id": "/web-green", "instances": 1, "tasksRunning": 1,
            "healthChecks": [{"protocol": "HTTP"}, {"protocol": "TCP"}],
            "tasks": [task(json!([{"alive": true}]))]
        }));
        // The deploy's old copy called this task healthy: one result, alive.
        assert_eq!(
            task_health(&two_checks, &two_checks.tasks[0]),
            TaskHealth::Unchecked
        );
        assert_eq!(healthy_count(&two_checks), 0);
        assert_eq!(
            strict(&two_checks).reasons,
            ["1 task(s) not health-checked yet"]
        );
    }

    #[test]
    fn unhealthy_reason_names_the_task_and_cause() {
        let failing = app(json!({
            "id": "/web-green", "instances": 1,
            "healthChecks": [{}],
            "tasks": [{"id": "g1", "state": "TASK_RUNNING",
                "healthCheckResults": [{"alive": false, "lastFailureCause": "HTTP 500"}]}]
        }));
        assert_eq!(healthy_count(&failing), 0);
        assert_eq!(
            unhealthy_reason(&failing).unwrap(),
            "task g1 fails its health check: HTTP 500"
        );
        let staging = app(json!({
            "id": "/web-green", "instances": 1,
            "tasks": [{"id": "g2", "state": "TASK_STAGING"}]
        }));
        assert_eq!(
            unhealthy_reason(&staging).unwrap(),
            "task g2 is TASK_STAGING"
        );
    }
}
