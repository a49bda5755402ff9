//! The simulated scheduler: apps, tasks (real processes), deployments and the
//! reconciliation loop that moves deployments forward.
//!
//! A deployment locks its app until its target is reached: for a start or
//! scale, `instances` tasks running (and healthy when the app has health
//! checks) with no task still dying; for a restart, all tasks on the new
//! configuration, started before old ones are killed as far as
//! `upgradeStrategy` (`minimumHealthCapacity`, `maximumOverCapacity`) allows;
//! for a stop, no task left. Without a deployment the loop still replaces
//! tasks that died or were killed, as Marathon's launch queue does.

use super::app::{self, HealthCheck};
use super::clock::{self, iso};
use super::events::EventBus;
use super::process;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Child;
use std::time::{Duration, Instant};

/// Marathon's message for a write to an app with a deployment in progress.
pub fn locked_message(deployment_id: &str) -> String {
    format!(
        "App is locked by one or more deployments. Override with the option '?force=true'. \
         View details at '/v2/deployments/{deployment_id}'."
    )
}

/// An HTTP error answer: status and JSON body.
#[derive(Debug)]
pub struct ApiError {
    pub status: u16,
    pub body: Value,
}

impl ApiError {
    /// `{"message": …}` with `status`.
    pub fn message(status: u16, message: &str) -> Self {
        Self {
            status,
            body: json!({ "message": message }),
        }
    }

    /// 409 for an app locked by `deployment_id`.
    pub fn locked(deployment_id: &str) -> Self {
        Self {
            status: 409,
            body: json!({ "message": locked_message(deployment_id), "deployments": [{ "id": deployment_id }] }),
        }
    }

    /// 422 "Object is not valid" with Marathon's `details`.
    pub fn invalid(violations: Vec<app::Violation>) -> Self {
        let details: Vec<Value> = violations
            .into_iter()
            .map(|(path, error)| json!({ "path": path, "errors": [error] }))
            .collect();
        Self {
            status: 422,
            body: json!({ "message": "Object is not valid", "details": details }),
        }
    }

    fn app_not_found(app_id: &str) -> Self {
        Self::message(404, &format!("App '{app_id}' does not exist"))
    }
}

/// What never changes while the simulator runs.
pub struct Ctx {
    /// Factor applied to every duration from app definitions.
    pub time_scale: f64,
    /// Default `TASK_START_DELAY_MS` for task processes.
    pub task_start_delay: Duration,
    pub task_binary: PathBuf,
    /// Run each app's own `cmd` or `args` ([`SimConfig::run_commands`]).
    pub run_commands: bool,
    /// Directory of the health/pending-operations flag files read by task servers.
    pub flag_dir: PathBuf,
    pub events: EventBus,
}

impl Ctx {
    /// `seconds` from an app definition, scaled.
    pub fn scaled(&self, seconds: f64) -> Duration {
        Duration::from_secs_f64((seconds * self.time_scale).max(0.0))
    }

    /// The flag file that makes all tasks of `app_id` report unhealthy.
    pub fn app_health_file(&self, app_id: &str) -> PathBuf {
        self.flag_dir
            .join(format!("app-{}.health", app::id_for_task(app_id)))
    }

    /// The flag file that makes one task report unhealthy.
    pub fn task_health_file(&self, task_id: &str) -> PathBuf {
        self.flag_dir.join(format!("{task_id}.health"))
    }

    /// The file holding a task's `pending_operations` gauge.
    pub fn pending_file(&self, task_id: &str) -> PathBuf {
        self.flag_dir.join(format!("{task_id}.pending"))
    }
}

/// A stored app.
pub struct App {
    /// The definition with Marathon's defaults, without the fields Marathon computes.
    pub def: Value,
    pub version: u64,
    pub last_config_change: u64,
    pub last_scaling: u64,
    /// Every version of the definition, oldest first.
    pub versions: Vec<(u64, Value)>,
    /// No launches before this (backoff after a task failed).
    next_launch: Instant,
}

impl App {
    /// A new app whose first version is `version`.
    fn new(def: Value, version: u64) -> Self {
        Self {
            def: def.clone(),
            version,
            last_config_change: version,
            last_scaling: version,
            versions: vec![(version, def)],
            next_launch: Instant::now(),
        }
    }
}

/// Mesos task states the simulator uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    Staging,
    Running,
    Killing,
}

impl TaskState {
    fn name(self) -> &'static str {
        match self {
            Self::Staging => "TASK_STAGING",
            Self::Running => "TASK_RUNNING",
            Self::Killing => "TASK_KILLING",
        }
    }
}

/// The result of one health check of one task, as in `healthCheckResults`.
#[derive(Clone, Debug, Default)]
pub struct HealthResult {
    pub alive: bool,
    pub consecutive_failures: u64,
    pub first_success: Option<u64>,
    pub last_success: Option<u64>,
    pub last_failure: Option<u64>,
    pub last_failure_cause: Option<String>,
}

/// A task: one running `dcos-lb sandbox-task` process.
pub struct Task {
    pub id: String,
    pub instance_id: String,
    pub app_id: String,
    /// App version the task was launched with.
    pub version: u64,
    /// `lastConfigChangeAt` the task was launched with; differs after a restart.
    config_version: u64,
    pub ports: Vec<u16>,
    service_ports: Vec<u64>,
    /// The port the process listens on (`PORT0`; private when the app has no ports).
    pub listen_port: u16,
    pub state: TaskState,
    staged_at: u64,
    started_at: Option<u64>,
    pub running_since: Option<Instant>,
    kill_deadline: Option<Instant>,
    seq: u64,
    child: Child,
    /// The app's own command runs, not the built-in task server: the task
    /// is TASK_RUNNING once started, as Mesos reports a command task.
    own_command: bool,
    pub checks: Vec<HealthCheck>,
    pub health: Vec<Option<HealthResult>>,
    pub next_probe: Vec<Instant>,
}

impl Task {
    /// Running and, when the app has health checks, alive on all of them.
    fn ready(&self) -> bool {
        self.state == TaskState::Running
            && self
                .health
                .iter()
                .all(|h| h.as_ref().is_some_and(|r| r.alive))
    }

    fn healthy(&self) -> bool {
        !self.checks.is_empty() && self.ready()
    }

    fn unhealthy(&self) -> bool {
        self.health.iter().flatten().any(|r| !r.alive)
    }
}

/// Marathon deployment actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Start,
    Scale,
    Restart,
    Stop,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Self::Start => "StartApplication",
            Self::Scale => "ScaleApplication",
            Self::Restart => "RestartApplication",
            Self::Stop => "StopApplication",
        }
    }
}

/// A deployment plan for one app.
pub struct Deployment {
    pub id: String,
    pub version: u64,
    pub app_id: String,
    steps: Vec<Action>,
    current: usize,
    /// The app definition before the change (`None` when the plan created the app), for rollback.
    original: Option<Value>,
}

impl Deployment {
    fn action(&self) -> Action {
        self.steps[self.current]
    }
}

/// What `POST /v2/tasks/delete` did.
pub enum Killed {
    /// `scale=true`: the deployment that lowers `instances`.
    Scaled { deployment_id: String, version: u64 },
    /// `scale=false`: the tasks being killed (Marathon replaces them).
    Tasks(Vec<Value>),
}

/// All simulated state.
#[derive(Default)]
pub struct State {
    pub apps: BTreeMap<String, App>,
    pub tasks: BTreeMap<String, Task>,
    pub deployments: Vec<Deployment>,
    last_version: u64,
    launch_seq: u64,
}

impl State {
    /// A new version time stamp, strictly increasing.
    fn next_version(&mut self) -> u64 {
        self.last_version = clock::now_millis().max(self.last_version + 1);
        self.last_version
    }

    /// The deployment holding `app_id`, if any.
    pub fn lock_of(&self, app_id: &str) -> Option<&Deployment> {
        self.deployments.iter().find(|d| d.app_id == app_id)
    }

    /// Fails with 409 if `app_id` is locked, or cancels the lock when `force`.
    fn take_lock(&mut self, ctx: &Ctx, app_id: &str, force: bool) -> Result<(), ApiError> {
        let Some(id) = self.lock_of(app_id).map(|d| d.id.clone()) else {
            return Ok(());
        };
        if !force {
            return Err(ApiError::locked(&id));
        }
        self.remove_deployment(ctx, &id);
        Ok(())
    }

    /// Validates, fills defaults and assigns service ports to a definition for `app_id`.
    fn prepare(&self, mut def: Value, app_id: &str) -> Result<Value, ApiError> {
        let violations = app::validate(&def);
        if !violations.is_empty() {
            return Err(ApiError::invalid(violations));
        }
        app::apply_defaults(&mut def);
        let mut used: BTreeSet<u64> = self
            .apps
            .iter()
            .filter(|(id, _)| id.as_str() != app_id)
            .flat_map(|(_, a)| app::port_specs(&a.def).into_iter().map(|p| p.service_port))
            .collect();
        app::assign_service_ports(&mut def, &mut used);
        Ok(def)
    }

    /// `POST /v2/apps`: stores the app and starts a deployment. Returns the deployment and app ids.
    pub fn create_app(&mut self, ctx: &Ctx, def: Value) -> Result<(String, String), ApiError> {
        let app_id = def
            .get("id")
            .and_then(Value::as_str)
            .map(app::normalize_id)
            .unwrap_or_default();
        if self.apps.contains_key(&app_id) {
            return Err(ApiError::message(
                409,
                &format!("An app with id [{app_id}] already exists."),
            ));
        }
        if let Some(lock) = self.lock_of(&app_id) {
            return Err(ApiError::locked(&lock.id));
        }
        let def = self.prepare(def, &app_id)?;
        let version = self.next_version();
        self.apps.insert(app_id.clone(), App::new(def, version));
        let deployment = self.start_deployment(
            ctx,
            &app_id,
            vec![Action::Start, Action::Scale],
            version,
            None,
        );
        Ok((deployment, app_id))
    }

    /// `PUT`/`PATCH /v2/apps/{id}`: a scale when only `instances` changes, else a
    /// restart. Creates the app when missing. Returns deployment id, version and
    /// whether the app was created.
    pub fn update_app(
        &mut self,
        ctx: &Ctx,
        app_id: &str,
        body: Value,
        partial: bool,
        force: bool,
    ) -> Result<(String, u64, bool), ApiError> {
        let Some(current) = self.apps.get(app_id).map(|a| a.def.clone()) else {
            let mut def = body;
            if let Some(obj) = def.as_object_mut() {
                obj.insert("id".to_owned(), json!(app_id));
            }
            let (deployment, _) = self.create_app(ctx, def)?;
            return Ok((deployment, self.last_version, true));
        };
        self.take_lock(ctx, app_id, force)?;
        let mut def = if partial { current.clone() } else { json!({}) };
        if let (Some(target), Some(changes)) = (def.as_object_mut(), body.as_object()) {
            for (key, value) in changes {
                target.insert(key.clone(), value.clone());
            }
        }
        if let Some(obj) = def.as_object_mut() {
            obj.insert("id".to_owned(), json!(app_id));
        }
        let def = self.prepare(def, app_id)?;
        let (deployment, version) = self.apply_definition(ctx, app_id, def, Some(current));
        Ok((deployment, version, false))
    }

    /// Stores `def` as the app's new version and starts the scale or restart it needs.
    fn apply_definition(
        &mut self,
        ctx: &Ctx,
        app_id: &str,
        def: Value,
        original: Option<Value>,
    ) -> (String, u64) {
        let version = self.next_version();
        let app = self.apps.get_mut(app_id).expect("app exists");
        let config_changed = without_instances(&app.def) != without_instances(&def);
        app.version = version;
        app.last_scaling = version;
        if config_changed {
            app.last_config_change = version;
        }
        app.versions.push((version, def.clone()));
        app.def = def;
        let action = if config_changed {
            Action::Restart
        } else {
            Action::Scale
        };
        (
            self.start_deployment(ctx, app_id, vec![action], version, original),
            version,
        )
    }

    /// `POST /v2/apps/{id}/restart`: a new configuration version, so every task is replaced.
    pub fn restart_app(
        &mut self,
        ctx: &Ctx,
        app_id: &str,
        force: bool,
    ) -> Result<(String, u64), ApiError> {
        let Some(original) = self.apps.get(app_id).map(|a| a.def.clone()) else {
            return Err(ApiError::app_not_found(app_id));
        };
        self.take_lock(ctx, app_id, force)?;
        let version = self.next_version();
        let app = self.apps.get_mut(app_id).expect("app exists");
        app.version = version;
        app.last_config_change = version;
        app.versions.push((version, original.clone()));
        Ok((
            self.start_deployment(ctx, app_id, vec![Action::Restart], version, Some(original)),
            version,
        ))
    }

    /// `DELETE /v2/apps/{id}`: removes the app at once and stops its tasks in a deployment.
    pub fn delete_app(
        &mut self,
        ctx: &Ctx,
        app_id: &str,
        force: bool,
    ) -> Result<(String, u64), ApiError> {
        if !self.apps.contains_key(app_id) {
            return Err(ApiError::app_not_found(app_id));
        }
        self.take_lock(ctx, app_id, force)?;
        let removed = self.apps.remove(app_id).map(|a| a.def);
        let version = self.next_version();
        Ok((
            self.start_deployment(ctx, app_id, vec![Action::Stop], version, removed),
            version,
        ))
    }

    /// `POST /v2/tasks/delete` and `DELETE /v2/apps/{id}/tasks…`.
    pub fn kill_tasks(
        &mut self,
        ctx: &Ctx,
        ids: &[String],
        scale: bool,
        force: bool,
    ) -> Result<Killed, ApiError> {
        if let Some(unknown) = ids.iter().find(|id| !self.tasks.contains_key(*id)) {
            return Err(ApiError::message(
                400,
                &format!("Invalid task id {unknown}"),
            ));
        }
        if !scale {
            let mut killed = Vec::new();
            for id in ids {
                self.kill(ctx, id);
                killed.push(self.render_task(&self.tasks[id]));
            }
            return Ok(Killed::Tasks(killed));
        }
        let mut per_app: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for id in ids {
            per_app
                .entry(self.tasks[id].app_id.clone())
                .or_default()
                .push(id.clone());
        }
        for app_id in per_app.keys() {
            if !self.apps.contains_key(app_id) {
                return Err(ApiError::app_not_found(app_id));
            }
            if !force && let Some(lock) = self.lock_of(app_id) {
                return Err(ApiError::locked(&lock.id));
            }
        }
        let mut last = (String::new(), 0);
        for (app_id, task_ids) in per_app {
            self.take_lock(ctx, &app_id, force)?;
            for id in &task_ids {
                self.kill(ctx, id);
            }
            let current = self.apps[&app_id].def.clone();
            let mut def = current.clone();
            let instances = app::instances(&def).saturating_sub(task_ids.len());
            def["instances"] = json!(instances);
            last = self.apply_definition(ctx, &app_id, def, Some(current));
        }
        Ok(Killed::Scaled {
            deployment_id: last.0,
            version: last.1,
        })
    }

    /// `DELETE /v2/deployments/{id}`: with `force` just cancels (`Ok(None)`),
    /// else cancels and starts a deployment back to the original state.
    pub fn cancel_deployment(
        &mut self,
        ctx: &Ctx,
        id: &str,
        force: bool,
    ) -> Result<Option<(String, u64)>, ApiError> {
        let Some(plan) = self.remove_deployment(ctx, id) else {
            return Err(ApiError::message(
                404,
                &format!("DeploymentPlan {id} does not exist"),
            ));
        };
        if force {
            return Ok(None);
        }
        let app_id = plan.app_id;
        let rollback = match plan.original {
            None => {
                self.apps.remove(&app_id);
                let version = self.next_version();
                (
                    self.start_deployment(ctx, &app_id, vec![Action::Stop], version, None),
                    version,
                )
            }
            Some(original) if !self.apps.contains_key(&app_id) => {
                let version = self.next_version();
                self.apps
                    .insert(app_id.clone(), App::new(original, version));
                (
                    self.start_deployment(ctx, &app_id, vec![Action::Scale], version, None),
                    version,
                )
            }
            Some(original) => {
                let current = self.apps[&app_id].def.clone();
                self.apply_definition(ctx, &app_id, original, Some(current))
            }
        };
        Ok(Some(rollback))
    }

    fn start_deployment(
        &mut self,
        ctx: &Ctx,
        app_id: &str,
        steps: Vec<Action>,
        version: u64,
        original: Option<Value>,
    ) -> String {
        let plan = Deployment {
            id: clock::uuid(),
            version,
            app_id: app_id.to_owned(),
            steps,
            current: 0,
            original,
        };
        ctx.events.publish(
            "deployment_info",
            json!({ "plan": plan_json(&plan), "currentStep": step_json(&plan) }),
        );
        let id = plan.id.clone();
        self.deployments.push(plan);
        id
    }

    /// Removes a deployment that did not finish, with `deployment_failed`.
    fn remove_deployment(&mut self, ctx: &Ctx, id: &str) -> Option<Deployment> {
        let index = self.deployments.iter().position(|d| d.id == id)?;
        let plan = self.deployments.remove(index);
        ctx.events.publish(
            "deployment_failed",
            json!({ "id": plan.id, "plan": plan_json(&plan) }),
        );
        Some(plan)
    }

    /// One step of the simulation: task state changes, reconciliation, finished deployments.
    pub fn tick(&mut self, ctx: &Ctx) {
        self.advance_tasks(ctx);
        let app_ids: BTreeSet<String> = self
            .apps
            .keys()
            .cloned()
            .chain(self.deployments.iter().map(|d| d.app_id.clone()))
            .chain(self.tasks.values().map(|t| t.app_id.clone()))
            .collect();
        for app_id in &app_ids {
            self.reconcile(ctx, app_id);
        }
        self.finish_deployments(ctx);
    }

    /// Reaps exited processes, marks tasks running once their port answers,
    /// and SIGKILLs tasks whose kill grace period is over.
    fn advance_tasks(&mut self, ctx: &Ctx) {
        let now = Instant::now();
        let mut exited = Vec::new();
        let mut changed = Vec::new();
        for task in self.tasks.values_mut() {
            if task.child.try_wait().ok().flatten().is_some() {
                exited.push(task.id.clone());
                continue;
            }
            match task.state {
                TaskState::Staging if task.own_command || process::accepts(task.listen_port) => {
                    task.state = TaskState::Running;
                    task.started_at = Some(clock::now_millis());
                    task.running_since = Some(now);
                    task.next_probe = vec![now; task.checks.len()];
                    changed.push(task.id.clone());
                }
                TaskState::Killing if task.kill_deadline.is_some_and(|d| now >= d) => {
                    process::kill(&mut task.child);
                }
                _ => {}
            }
        }
        for id in changed {
            self.publish_status(ctx, &self.tasks[&id], "TASK_RUNNING");
        }
        for id in exited {
            let Some(mut task) = self.tasks.remove(&id) else {
                continue;
            };
            task.child.wait().ok();
            let status = if task.state == TaskState::Killing {
                "TASK_KILLED"
            } else {
                "TASK_FAILED"
            };
            self.publish_status(ctx, &task, status);
            if status == "TASK_FAILED"
                && let Some(app) = self.apps.get_mut(&task.app_id)
            {
                let backoff = app
                    .def
                    .get("backoffSeconds")
                    .and_then(Value::as_f64)
                    .unwrap_or(1.0);
                app.next_launch = now + ctx.scaled(backoff);
            }
        }
    }

    /// Launches and kills tasks of one app towards its deployment's target.
    fn reconcile(&mut self, ctx: &Ctx, app_id: &str) {
        let action = self.lock_of(app_id).map(Deployment::action);
        let live: Vec<&Task> = {
            let mut live: Vec<&Task> = self
                .tasks
                .values()
                .filter(|t| t.app_id == app_id && t.state != TaskState::Killing)
                .collect();
            live.sort_by_key(|t| t.seq);
            live
        };
        let Some(app) = self.apps.get(app_id) else {
            let ids: Vec<String> = live.iter().map(|t| t.id.clone()).collect();
            for id in ids {
                self.kill(ctx, &id);
            }
            return;
        };
        let wanted = app::instances(&app.def);
        let may_launch = Instant::now() >= app.next_launch;
        let youngest_first =
            app.def.get("killSelection").and_then(Value::as_str) != Some("OLDEST_FIRST");
        let (old, new): (Vec<&Task>, Vec<&Task>) = live
            .iter()
            .partition(|t| t.config_version != app.last_config_change);
        let mut to_kill: Vec<String> = Vec::new();
        let mut launches = 0;
        match action {
            Some(Action::Start | Action::Stop) => {}
            None | Some(Action::Scale) => {
                if live.len() < wanted {
                    launches = wanted - live.len();
                } else if action.is_some() {
                    let mut candidates: Vec<&Task> = new.clone();
                    if youngest_first {
                        candidates.reverse();
                    }
                    let order = old.iter().chain(candidates.iter());
                    to_kill = order
                        .take(live.len() - wanted)
                        .map(|t| t.id.clone())
                        .collect();
                }
            }
            Some(Action::Restart) => {
                let (min_health, over_capacity) = app::upgrade_strategy(&app.def);
                let wanted_f = wanted as f64;
                let min_healthy = (wanted_f * min_health).ceil() as usize;
                let mut max_capacity = (wanted_f * (1.0 + over_capacity)).floor() as usize;
                if min_healthy >= wanted && !old.is_empty() {
                    max_capacity = max_capacity.max(wanted + 1);
                }
                let ready_new = new.iter().filter(|t| t.ready()).count();
                let surplus = (old.len() + ready_new)
                    .saturating_sub(min_healthy)
                    .min(old.len());
                to_kill = old.iter().take(surplus).map(|t| t.id.clone()).collect();
                let old_left = old.len() - surplus;
                if new.len() > wanted {
                    to_kill.extend(
                        new.iter()
                            .rev()
                            .take(new.len() - wanted)
                            .map(|t| t.id.clone()),
                    );
                }
                launches = wanted
                    .saturating_sub(new.len())
                    .min(max_capacity.saturating_sub(old_left + new.len()));
            }
        }
        for id in to_kill {
            self.kill(ctx, &id);
        }
        if may_launch {
            for _ in 0..launches {
                self.launch(ctx, app_id);
            }
        }
    }

    /// Finishes steps (and plans) whose target state is reached.
    fn finish_deployments(&mut self, ctx: &Ctx) {
        let mut index = 0;
        while index < self.deployments.len() {
            let plan = &self.deployments[index];
            if !self.step_done(plan) {
                index += 1;
                continue;
            }
            ctx.events.publish(
                "deployment_step_success",
                json!({ "plan": plan_json(plan), "currentStep": step_json(plan) }),
            );
            if plan.current + 1 < plan.steps.len() {
                let plan = &mut self.deployments[index];
                plan.current += 1;
                let plan = &self.deployments[index];
                ctx.events.publish(
                    "deployment_info",
                    json!({ "plan": plan_json(plan), "currentStep": step_json(plan) }),
                );
                continue;
            }
            let plan = self.deployments.remove(index);
            ctx.events.publish(
                "deployment_success",
                json!({ "id": plan.id, "plan": plan_json(&plan) }),
            );
            if plan.action() == Action::Stop {
                ctx.events
                    .publish("app_terminated_event", json!({ "appId": plan.app_id }));
            }
        }
    }

    fn step_done(&self, plan: &Deployment) -> bool {
        let tasks: Vec<&Task> = self
            .tasks
            .values()
            .filter(|t| t.app_id == plan.app_id)
            .collect();
        let Some(app) = self.apps.get(&plan.app_id) else {
            return tasks.is_empty();
        };
        match plan.action() {
            Action::Start => true,
            Action::Stop => tasks.is_empty(),
            Action::Scale | Action::Restart => {
                let current_config = plan.action() == Action::Scale
                    || tasks
                        .iter()
                        .all(|t| t.config_version == app.last_config_change);
                tasks.len() == app::instances(&app.def)
                    && current_config
                    && tasks.iter().all(|t| t.ready())
            }
        }
    }

    /// Starts one task of `app_id` as a `dcos-lb sandbox-task` process.
    fn launch(&mut self, ctx: &Ctx, app_id: &str) {
        let app = &self.apps[app_id];
        let specs = app::port_specs(&app.def);
        let mut taken: BTreeSet<u16> = self
            .tasks
            .values()
            .flat_map(|t| t.ports.iter().copied().chain([t.listen_port]))
            .collect();
        let mut fresh_port = || loop {
            let port = process::free_port();
            if taken.insert(port) {
                break port;
            }
        };
        let ports: Vec<u16> = specs.iter().map(|_| fresh_port()).collect();
        let listen_port = ports.first().copied().unwrap_or_else(fresh_port);
        let instance_id = format!("{}.instance-{}", app::id_for_task(app_id), clock::uuid());
        let id = format!("{instance_id}._app.1");
        let mut env = vec![(
            "TASK_START_DELAY_MS".to_owned(),
            ctx.task_start_delay.as_millis().to_string(),
        )];
        env.extend(task_env(app_id, app, &specs, &ports, listen_port, &id));
        let health_files = [ctx.app_health_file(app_id), ctx.task_health_file(&id)];
        let joined: Vec<String> = health_files
            .iter()
            .map(|f| f.display().to_string())
            .collect();
        env.push(("TASK_HEALTH_FILES".to_owned(), joined.join(":")));
        env.push((
            "TASK_PENDING_FILE".to_owned(),
            ctx.pending_file(&id).display().to_string(),
        ));
        let own = ctx.run_commands.then(|| own_command(&app.def)).flatten();
        let child = match &own {
            Some(command) => {
                let sandbox = ctx.flag_dir.join("sandboxes").join(&id);
                fs_err::create_dir_all(&sandbox).expect("a sandbox folder for the task");
                env.push(("MESOS_SANDBOX".to_owned(), sandbox.display().to_string()));
                // A command that cannot start is a task that fails, as on
                // an agent: its sandbox's stderr says why.
                process::spawn_own(command, &env, &sandbox).or_else(|e| {
                    fs_err::write(sandbox.join("stderr"), format!("{e}\n")).ok();
                    process::spawn_own(
                        &process::OwnCommand::Exec(vec!["false".into()]),
                        &env,
                        &sandbox,
                    )
                })
            }
            None => process::spawn(&ctx.task_binary, &env),
        }
        .expect("start a sandbox task");
        let checks = app::health_checks(&app.def);
        self.launch_seq += 1;
        let task = Task {
            id: id.clone(),
            instance_id,
            app_id: app_id.to_owned(),
            version: app.version,
            config_version: app.last_config_change,
            ports,
            service_ports: specs.iter().map(|s| s.service_port).collect(),
            listen_port,
            state: TaskState::Staging,
            staged_at: clock::now_millis(),
            started_at: None,
            running_since: None,
            kill_deadline: None,
            seq: self.launch_seq,
            child,
            own_command: own.is_some(),
            health: vec![None; checks.len()],
            next_probe: Vec::new(),
            checks,
        };
        self.publish_status(ctx, &task, "TASK_STAGING");
        self.tasks.insert(id, task);
    }

    /// Starts killing a task: SIGTERM now, SIGKILL after `taskKillGracePeriodSeconds` (default 3).
    pub fn kill(&mut self, ctx: &Ctx, task_id: &str) {
        let grace = self
            .tasks
            .get(task_id)
            .and_then(|t| self.apps.get(&t.app_id))
            .and_then(|a| a.def.get("taskKillGracePeriodSeconds"))
            .and_then(Value::as_f64)
            .unwrap_or(3.0);
        let Some(task) = self.tasks.get_mut(task_id) else {
            return;
        };
        if task.state == TaskState::Killing {
            return;
        }
        task.state = TaskState::Killing;
        task.kill_deadline = Some(Instant::now() + ctx.scaled(grace));
        process::terminate(&mut task.child);
        self.publish_status(ctx, &self.tasks[task_id], "TASK_KILLING");
    }

    /// Kills every process at once (simulator shutdown).
    pub fn kill_all(&mut self) {
        for task in self.tasks.values_mut() {
            process::kill(&mut task.child);
            task.child.wait().ok();
        }
        self.tasks.clear();
    }

    fn publish_status(&self, ctx: &Ctx, task: &Task, status: &str) {
        let version = iso(task.version);
        ctx.events.publish(
            "status_update_event",
            json!({
                "slaveId": AGENT_ID, "taskId": task.id, "taskStatus": status, "message": "",
                "appId": task.app_id, "host": HOST, "ipAddresses": ip_addresses(),
                "ports": task.ports, "version": version,
            }),
        );
        ctx.events.publish(
            "instance_changed_event",
            json!({
                "instanceId": task.instance_id, "condition": condition(status), "runSpecId": task.app_id,
                "agentId": AGENT_ID, "host": HOST, "runSpecVersion": version,
            }),
        );
    }

    /// The app as `GET /v2/apps/{id}` shows it; tasks only with `embed_tasks`.
    pub fn render_app(&self, app_id: &str, embed_tasks: bool) -> Option<Value> {
        let app = self.apps.get(app_id)?;
        let mut out = app.def.clone();
        let tasks: Vec<&Task> = self.tasks.values().filter(|t| t.app_id == app_id).collect();
        let count = |f: fn(&Task) -> bool| tasks.iter().filter(|t| f(t)).count();
        let obj = out.as_object_mut()?;
        obj.insert("version".to_owned(), json!(iso(app.version)));
        obj.insert(
            "versionInfo".to_owned(),
            json!({ "lastScalingAt": iso(app.last_scaling), "lastConfigChangeAt": iso(app.last_config_change) }),
        );
        obj.insert(
            "tasksStaged".to_owned(),
            json!(count(|t| t.state == TaskState::Staging)),
        );
        obj.insert(
            "tasksRunning".to_owned(),
            json!(count(|t| t.state == TaskState::Running)),
        );
        obj.insert("tasksHealthy".to_owned(), json!(count(Task::healthy)));
        obj.insert("tasksUnhealthy".to_owned(), json!(count(Task::unhealthy)));
        let deployments: Vec<Value> = self
            .deployments
            .iter()
            .filter(|d| d.app_id == app_id)
            .map(|d| json!({ "id": d.id }))
            .collect();
        obj.insert("deployments".to_owned(), json!(deployments));
        if embed_tasks {
            let rendered: Vec<Value> = tasks.iter().map(|t| self.render_task(t)).collect();
            obj.insert("tasks".to_owned(), json!(rendered));
        }
        Some(out)
    }

    /// A task as in `GET /v2/tasks`.
    pub fn render_task(&self, task: &Task) -> Value {
        let mut out = json!({
            "id": task.id, "appId": task.app_id, "host": HOST, "slaveId": AGENT_ID,
            "state": task.state.name(), "stagedAt": iso(task.staged_at),
            "startedAt": task.started_at.map(iso), "version": iso(task.version),
            "ports": task.ports, "servicePorts": task.service_ports,
            "ipAddresses": ip_addresses(), "localVolumes": [], "role": "*",
        });
        let results: Vec<Value> = task
            .health
            .iter()
            .flatten()
            .map(|r| {
                json!({
                    "alive": r.alive, "consecutiveFailures": r.consecutive_failures,
                    "firstSuccess": r.first_success.map(iso), "lastSuccess": r.last_success.map(iso),
                    "lastFailure": r.last_failure.map(iso), "lastFailureCause": r.last_failure_cause,
                    "taskId": task.id, "instanceId": task.instance_id,
                })
            })
            .collect();
        if !results.is_empty() {
            out["healthCheckResults"] = json!(results);
        }
        out
    }

    /// A deployment as in `GET /v2/deployments`.
    pub fn render_deployment(plan: &Deployment) -> Value {
        let steps: Vec<Value> = plan
            .steps
            .iter()
            .map(|a| json!({ "actions": [{ "action": a.name(), "app": plan.app_id }] }))
            .collect();
        json!({
            "id": plan.id, "version": iso(plan.version),
            "affectedApps": [plan.app_id], "affectedPods": [],
            "steps": steps,
            "currentActions": [{ "action": plan.action().name(), "app": plan.app_id, "readinessCheckResults": [] }],
            "currentStep": plan.current + 1, "totalSteps": plan.steps.len(),
        })
    }

    /// The app definition at a version, as `GET /v2/apps/{id}/versions/{version}` shows it.
    pub fn render_version(&self, app_id: &str, version: &str) -> Option<Value> {
        let app = self.apps.get(app_id)?;
        let (at, def) = app.versions.iter().find(|(v, _)| iso(*v) == version)?;
        let mut out = def.clone();
        out["version"] = json!(iso(*at));
        Some(out)
    }
}

/// The agent every task runs on.
const AGENT_ID: &str = "sim-agent-0-S0";
/// Host of every task.
pub const HOST: &str = "127.0.0.1";

fn ip_addresses() -> Value {
    json!([{ "ipAddress": HOST, "protocol": "IPv4" }])
}

/// Instance condition for a Mesos task status.
fn condition(status: &str) -> &'static str {
    match status {
        "TASK_STAGING" => "Staging",
        "TASK_RUNNING" => "Running",
        "TASK_KILLING" => "Killing",
        "TASK_KILLED" => "Killed",
        _ => "Failed",
    }
}

/// The definition without `instances`: equal means only a scale.
fn without_instances(def: &Value) -> Value {
    let mut def = def.clone();
    if let Some(obj) = def.as_object_mut() {
        obj.remove("instances");
    }
    def
}

/// A light plan as in deployment events.
fn plan_json(plan: &Deployment) -> Value {
    let steps: Vec<Value> = plan
        .steps
        .iter()
        .map(|a| json!({ "actions": [{ "action": a.name(), "app": plan.app_id }] }))
        .collect();
    json!({ "id": plan.id, "steps": steps, "version": iso(plan.version) })
}

fn step_json(plan: &Deployment) -> Value {
    json!({ "actions": [{ "action": plan.action().name(), "app": plan.app_id }] })
}

/// Marathon's task environment: ports, host, app and task ids, labels, and the app's `env`.
/// The command an app runs itself: `cmd`, else `args`, for an app without
/// a container (a container image is not run here; the built-in task
/// server stands in for it).
fn own_command(def: &Value) -> Option<process::OwnCommand> {
    if def.get("container").is_some_and(|c| !c.is_null()) {
        return None;
    }
    if let Some(cmd) = def.get("cmd").and_then(Value::as_str) {
        return Some(process::OwnCommand::Shell(cmd.to_owned()));
    }
    let args: Vec<String> = def
        .get("args")?
        .as_array()?
        .iter()
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect();
    (!args.is_empty()).then_some(process::OwnCommand::Exec(args))
}

fn task_env(
    app_id: &str,
    app: &App,
    specs: &[app::PortSpec],
    ports: &[u16],
    listen_port: u16,
    task_id: &str,
) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = Vec::new();
    let mut set = |k: String, v: String| env.push((k, v));
    for (i, (spec, port)) in specs.iter().zip(ports).enumerate() {
        set(format!("PORT{i}"), port.to_string());
        if spec.service_port != 0 {
            set(format!("PORT_{}", spec.service_port), port.to_string());
        }
        if let Some(name) = &spec.name {
            set(format!("PORT_{}", env_name(name)), port.to_string());
        }
    }
    if ports.is_empty() {
        set("PORT0".to_owned(), listen_port.to_string());
    } else {
        set("PORT".to_owned(), ports[0].to_string());
        let list: Vec<String> = ports.iter().map(u16::to_string).collect();
        set("PORTS".to_owned(), list.join(","));
    }
    set("HOST".to_owned(), HOST.to_owned());
    set("MARATHON_APP_ID".to_owned(), app_id.to_owned());
    set("MARATHON_APP_VERSION".to_owned(), iso(app.version));
    set("MESOS_TASK_ID".to_owned(), task_id.to_owned());
    let empty = Map::new();
    let labels = app
        .def
        .get("labels")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let names: Vec<String> = labels.keys().map(|k| env_name(k)).collect();
    set("MARATHON_APP_LABELS".to_owned(), names.join(" "));
    for (key, value) in labels {
        if let Some(value) = value.as_str() {
            set(
                format!("MARATHON_APP_LABEL_{}", env_name(key)),
                value.to_owned(),
            );
        }
    }
    for key in ["cpus", "mem", "disk", "gpus"] {
        if let Some(value) = app.def.get(key) {
            set(
                format!("MARATHON_APP_RESOURCE_{}", key.to_ascii_uppercase()),
                value.to_string(),
            );
        }
    }
    for (key, value) in app
        .def
        .get("env")
        .and_then(Value::as_object)
        .unwrap_or(&empty)
    {
        if let Some(value) = value.as_str() {
            set(key.clone(), value.to_owned());
        }
    }
    env
}

/// Upper case with every character other than letters and digits as `_`.
fn env_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}
