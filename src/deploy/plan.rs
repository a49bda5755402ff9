//! Pure helpers of a zero-downtime deploy (pure: no I/O, no clock).
//!
//! Colour and service-port selection over whichever of `portMappings`,
//! `portDefinitions` or `ports` the app uses; zdd.py's growth rules; the
//! final app JSON (only the fields dcos-lb owns change in the user's
//! `serde_json::Value`); drain detection over every LB's stats; and
//! marathon-lb's deployment-group merge (render-spec §3), used to check each
//! hop before tasks are killed.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::lb::stats::{self, StatsRow};
use crate::marathon::labels;
use crate::marathon::types::{App, Task};
use crate::render::rules;

/// The app JSON or the group's state does not allow the deploy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// A field or label dcos-lb needs is missing.
    #[error("{0}")]
    Missing(String),
    /// The app JSON or a flag is not usable.
    #[error("{0}")]
    Invalid(String),
}

/// One step of a plan: instance counts after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PlanStep {
    /// Instances of the growing app.
    pub new: u32,
    /// Instances of the shrinking app.
    pub old: u32,
}

/// The two colours of a deployment group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// The first deploy's colour.
    Blue,
    /// The other one.
    Green,
}

impl Colour {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Blue => "blue",
            Self::Green => "green",
        }
    }

    /// The colour after `previous` (blue when there is none, as zdd.py).
    pub fn after(previous: Option<&App>) -> Self {
        match previous.and_then(|a| a.label(labels::DEPLOYMENT_COLOUR)) {
            Some("blue") => Self::Green,
            _ => Self::Blue,
        }
    }
}

/// The deployment group of a user's app JSON, after checking the labels
/// zdd.py requires.
pub fn validate(app: &Value) -> Result<String, PlanError> {
    let id = app.get("id").and_then(Value::as_str).unwrap_or("");
    if id.trim_matches('/').is_empty() {
        return Err(PlanError::Missing(
            "App doesn't contain a valid App ID".into(),
        ));
    }
    let labels = app
        .get("labels")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            PlanError::Missing(
                "No labels found. Please define the HAPROXY_DEPLOYMENT_GROUP label".into(),
            )
        })?;
    let group = labels.get(labels::DEPLOYMENT_GROUP).and_then(Value::as_str);
    let group = group
        .filter(|g| !g.trim_matches('/').is_empty())
        .ok_or_else(|| {
            PlanError::Missing("Please define the HAPROXY_DEPLOYMENT_GROUP label".into())
        })?;
    let alt = labels.get(labels::DEPLOYMENT_ALT_PORT).ok_or_else(|| {
        PlanError::Missing("Please define the HAPROXY_DEPLOYMENT_ALT_PORT label".into())
    })?;
    let Value::String(alt_text) = alt else {
        return Err(PlanError::Invalid(format!(
            "HAPROXY_DEPLOYMENT_ALT_PORT is {alt}, but Marathon takes only strings as label values: \
             write \"HAPROXY_DEPLOYMENT_ALT_PORT\": \"{alt}\""
        )));
    };
    match label_number(alt) {
        Some(port @ 1..=65_535) => port,
        _ => {
            return Err(PlanError::Invalid(format!(
                "HAPROXY_DEPLOYMENT_ALT_PORT must be a port number from 1 to 65535, not {alt_text:?}"
            )));
        }
    };
    validate_instances(app)?;
    Ok(group.to_string())
}

/// The largest `instances` Marathon accepts (a 32-bit signed integer).
const MAX_INSTANCES: u64 = i32::MAX as u64;

/// `instances`, when given, is a whole number Marathon accepts: anything
/// else would be refused by Marathon after the deploy began, or read here
/// as some other number.
fn validate_instances(app: &Value) -> Result<(), PlanError> {
    match app.get("instances") {
        None => Ok(()),
        Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n <= MAX_INSTANCES) => Ok(()),
        Some(found) => Err(PlanError::Invalid(format!(
            "\"instances\" must be a whole number from 0 to {MAX_INSTANCES}, not {found}"
        ))),
    }
}

fn label_number(v: &Value) -> Option<u32> {
    match v {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        _ => None,
    }
}

/// A label of an app JSON parsed as a number.
pub fn label_u32_value(app: &Value, key: &str) -> Option<u32> {
    app.get("labels")
        .and_then(|l| l.get(key))
        .and_then(label_number)
}

/// A label parsed as a number.
pub fn label_u32(app: &App, key: &str) -> Option<u32> {
    app.labels.get(key).and_then(label_number)
}

/// Where an app keeps its first service port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PortField {
    ContainerPortMappings,
    DockerPortMappings,
    PortDefinitions,
    Ports,
}

impl PortField {
    fn of(app: &Value) -> Option<Self> {
        let non_empty =
            |v: Option<&Value>| v.and_then(Value::as_array).is_some_and(|a| !a.is_empty());
        let container = app.get("container");
        if non_empty(container.and_then(|c| c.get("portMappings"))) {
            Some(Self::ContainerPortMappings)
        } else if non_empty(
            container
                .and_then(|c| c.get("docker"))
                .and_then(|d| d.get("portMappings")),
        ) {
            Some(Self::DockerPortMappings)
        } else if non_empty(app.get("portDefinitions")) {
            Some(Self::PortDefinitions)
        } else if non_empty(app.get("ports")) {
            Some(Self::Ports)
        } else {
            None
        }
    }

    fn slot(self, app: &mut Value) -> Option<&mut Value> {
        match self {
            Self::ContainerPortMappings => app.pointer_mut("/container/portMappings/0/servicePort"),
            Self::DockerPortMappings => {
                app.pointer_mut("/container/docker/portMappings/0/servicePort")
            }
            Self::PortDefinitions => app.pointer_mut("/portDefinitions/0/port"),
            Self::Ports => app.pointer_mut("/ports/0"),
        }
    }

    fn get(self, app: &Value) -> Option<u32> {
        let pointer = match self {
            Self::ContainerPortMappings => "/container/portMappings/0/servicePort",
            Self::DockerPortMappings => "/container/docker/portMappings/0/servicePort",
            Self::PortDefinitions => "/portDefinitions/0/port",
            Self::Ports => "/ports/0",
        };
        app.pointer(pointer).and_then(label_number)
    }
}

/// How many service ports the app JSON declares in the field it uses.
pub fn service_port_count(app: &Value) -> usize {
    let pointer = match PortField::of(app) {
        None => return 0,
        Some(PortField::ContainerPortMappings) => "/container/portMappings",
        Some(PortField::DockerPortMappings) => "/container/docker/portMappings",
        Some(PortField::PortDefinitions) => "/portDefinitions",
        Some(PortField::Ports) => "/ports",
    };
    app.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

/// The first service port of an app JSON (0 when it asks Marathon to pick).
pub fn service_port(app: &Value) -> Option<u32> {
    PortField::of(app).and_then(|f| f.get(app))
}

/// Sets the first service port in whichever field the app uses.
pub fn set_service_port(app: &mut Value, port: u32) -> Result<(), PlanError> {
    let field = PortField::of(app).ok_or_else(no_service_port)?;
    match field.slot(app) {
        Some(slot) => {
            *slot = json!(port);
            Ok(())
        }
        None => {
            let entry = match field {
                PortField::ContainerPortMappings => app.pointer_mut("/container/portMappings/0"),
                PortField::DockerPortMappings => {
                    app.pointer_mut("/container/docker/portMappings/0")
                }
                PortField::PortDefinitions => app.pointer_mut("/portDefinitions/0"),
                PortField::Ports => None,
            };
            let object = entry
                .and_then(Value::as_object_mut)
                .ok_or_else(no_service_port)?;
            let key = if field == PortField::PortDefinitions {
                "port"
            } else {
                "servicePort"
            };
            object.insert(key.to_string(), json!(port));
            Ok(())
        }
    }
}

fn no_service_port() -> PlanError {
    PlanError::Missing(
        "App doesn't contain a service port (container.portMappings, portDefinitions or ports)"
            .into(),
    )
}

/// The service port a running app listens on, as Marathon reports it.
pub fn running_service_port(app: &App) -> Option<u32> {
    let value = serde_json::to_value(app).ok()?;
    service_port(&value)
}

/// A group's apps, oldest deployment first ([`start_order`]).
pub fn by_start(apps: &[App]) -> Vec<&App> {
    let mut sorted: Vec<&App> = apps.iter().collect();
    sorted.sort_by(|a, b| start_order(a, b));
    sorted
}

/// The order of two apps of a group by deployment start
/// ([`rules::deployment_order`]).
pub fn start_order(a: &App, b: &App) -> std::cmp::Ordering {
    rules::deployment_order(
        (a.label(labels::DEPLOYMENT_STARTED_AT), &a.id),
        (b.label(labels::DEPLOYMENT_STARTED_AT), &b.id),
    )
}

/// The next size of the growing app: zdd.py's +50 % (`floor(n + (n+1)/2)`,
/// straight to the target once it reaches the shrinking app's size), or
/// `linear` more per step; never above `want`.
pub fn grow(current: u32, want: u32, shrinking: u32, linear: Option<u32>) -> u32 {
    let next = match linear.filter(|k| *k > 0) {
        Some(k) => current + k,
        None => {
            let next = current + current.div_ceil(2);
            if next >= shrinking {
                want
            } else {
                next.max(current + 1)
            }
        }
    };
    next.min(want)
}

/// The instance counts (growing/shrinking) after each step of a deploy:
/// marathon-lb drains what the healthy new tasks cover, those tasks are
/// killed, then the growing app takes its next step.
pub fn steps(
    start: u32,
    want_grower: u32,
    shrink_from: u32,
    want_shrinker: u32,
    target: u32,
    linear: Option<u32>,
    surge: bool,
) -> Vec<PlanStep> {
    let (mut new, mut old) = (start, shrink_from);
    let mut out = vec![PlanStep { new, old }];
    for _ in 0..target.max(4) * 2 {
        if new >= want_grower && old <= want_shrinker {
            break;
        }
        if new + old > target || new >= want_grower {
            old = target.saturating_sub(new).max(want_shrinker).min(old);
        }
        if new < want_grower {
            new = if surge {
                want_grower
            } else {
                grow(new, want_grower, old, linear)
            };
        }
        out.push(PlanStep { new, old });
    }
    out
}

/// The group's target when `previous` is its only app: its instances, or
/// while scaled to 0 the target it was deployed with.
fn previous_target(previous: &App) -> u32 {
    match previous.instances {
        0 => label_u32(previous, labels::DEPLOYMENT_TARGET_INSTANCES).unwrap_or(1),
        n => n,
    }
}

/// The instance count a split of the group's `apps` aims at, which caps
/// `--new-instances` (as zdd.py caps it): a split group's target label,
/// else its one app's target; `None` for an empty group.
pub fn split_target(apps: &[App]) -> Option<u32> {
    match by_start(apps).as_slice() {
        [] => None,
        [only] => Some(previous_target(only)),
        [.., newest] => {
            Some(label_u32(newest, labels::DEPLOYMENT_TARGET_INSTANCES).unwrap_or(newest.instances))
        }
    }
}

/// Options that shape the new app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildOptions {
    /// `--initial-instances`.
    pub initial_instances: u32,
    /// `--new-instances` (hybrid), 0 for a full deploy.
    pub new_instances: u32,
    /// `--surge`: start every new instance at once.
    pub surge: bool,
    /// The `HAPROXY_DEPLOYMENT_STARTED_AT` value (ISO 8601).
    pub started_at: String,
}

/// The app dcos-lb creates, and the instance count the group ends at.
#[derive(Debug, Clone, PartialEq)]
pub struct NewApp {
    /// The final app JSON, the user's with only our fields changed.
    pub json: Value,
    /// Its id, `<id>-<colour>`.
    pub id: String,
    /// The group's target instance count.
    pub target: u32,
    /// The group's new instance count when hybrid (0 otherwise).
    pub new_instances: u32,
}

/// Builds the new colour of `user` given the group's newest running app
/// (`previous`, none on a first deploy).
pub fn build_new_app(
    user: &Value,
    previous: Option<&App>,
    options: &BuildOptions,
) -> Result<NewApp, PlanError> {
    validate(user)?;
    let mut app = user.clone();
    drop_nulls(&mut app);
    let user_port = service_port(&app).ok_or_else(no_service_port)?;
    let original_port = match (
        user_port,
        previous.and_then(|p| label_u32(p, labels::PORT_0)),
    ) {
        (0, Some(port)) | (_, Some(port)) if port > 0 => port,
        (0, _) => {
            return Err(PlanError::Invalid(
                "the service port is 0: a blue/green deploy needs a fixed service port (marathon-lb \
                 keeps one backend per port); set servicePort/port to a free service port"
                    .into(),
            ));
        }
        (port, _) => port,
    };
    let alt_port = user
        .pointer(&format!("/labels/{}", labels::DEPLOYMENT_ALT_PORT))
        .and_then(label_number)
        .unwrap_or(0);
    if alt_port == original_port {
        return Err(PlanError::Invalid(format!(
            "HAPROXY_DEPLOYMENT_ALT_PORT ({alt_port}) must differ from the service port"
        )));
    }
    let colour = Colour::after(previous);
    let (next_port, target) = match previous {
        Some(prev) => {
            let running = running_service_port(prev);
            let port = if running == Some(alt_port) {
                original_port
            } else {
                alt_port
            };
            (port, previous_target(prev))
        }
        None => (
            original_port,
            user.get("instances").and_then(Value::as_u64).unwrap_or(1) as u32,
        ),
    };
    if options.new_instances > 0 && previous.is_none() {
        return Err(PlanError::Invalid(
            "--new-instances needs a running app in the group to split traffic with".into(),
        ));
    }
    let new_instances = options.new_instances.min(target);
    let want = if new_instances > 0 {
        new_instances
    } else {
        target
    };
    let instances = match previous {
        None => target,
        Some(_) if options.surge => want,
        Some(_) => options.initial_instances.max(1).min(want),
    };
    let base_id = user.get("id").and_then(Value::as_str).unwrap_or_default();
    let base_id = format!("/{}", base_id.trim_start_matches('/'));
    let id = format!("{base_id}-{}", colour.as_str());
    set_service_port(&mut app, next_port)?;
    app["id"] = json!(id);
    app["instances"] = json!(instances);
    let labels = app["labels"].as_object_mut().ok_or_else(no_service_port)?;
    labels.insert(labels::APP_ID.into(), json!(base_id));
    labels.insert(labels::PORT_0.into(), json!(original_port.to_string()));
    labels.insert(labels::DEPLOYMENT_COLOUR.into(), json!(colour.as_str()));
    labels.insert(
        labels::DEPLOYMENT_STARTED_AT.into(),
        json!(options.started_at),
    );
    labels.insert(
        labels::DEPLOYMENT_TARGET_INSTANCES.into(),
        json!(target.to_string()),
    );
    labels.insert(
        labels::DEPLOYMENT_NEW_INSTANCES.into(),
        json!(new_instances.to_string()),
    );
    Ok(NewApp {
        json: app,
        id,
        target,
        new_instances,
    })
}

/// zdd.py's `cleanup_json`: nulls are dropped before the app is posted.
fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Whether a task counts as healthy: running, and (when the app has health
/// checks) every check has passed at least once and is alive now.
pub fn task_healthy(app: &App, task: &Task) -> bool {
    task.is_running()
        && (app.health_checks.is_empty()
            || (!task.health_check_results.is_empty() && task.all_alive()))
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

/// The `ip:port` strings under which HAProxy may list a task: its host (and
/// the host's resolved addresses) or its IP-per-task addresses, with each of
/// its ports.
pub fn task_addrs(task: &Task, host_ips: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut ips = vec![task.host.clone()];
    ips.extend(host_ips.get(&task.host).into_iter().flatten().cloned());
    ips.extend(task.ip_addresses.iter().map(|a| a.ip_address.clone()));
    let mut addrs = Vec::new();
    for ip in &ips {
        for port in &task.ports {
            addrs.push(format!("{ip}:{port}"));
        }
    }
    addrs
}

/// The server names marathon-lb may give a task ([`rules::server_name`]
/// for each address it may connect to: the host itself, the host's
/// resolved addresses, the task's own). Used when HAProxy leaves the `addr`
/// column empty (it does for servers without health checks).
pub fn task_server_names(task: &Task, host_ips: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut ips: Vec<&str> = vec![&task.host];
    ips.extend(
        host_ips
            .get(&task.host)
            .into_iter()
            .flatten()
            .map(String::as_str),
    );
    ips.extend(task.ip_addresses.iter().map(|a| a.ip_address.as_str()));
    let mut names = Vec::new();
    for ip in ips {
        for port in &task.ports {
            names.push(rules::server_name(&task.host, ip, port));
        }
    }
    names
}

/// Whether a stats row is the server of a task: by `addr` when HAProxy
/// reports it, else by marathon-lb's server name (a collision suffix after
/// a space is ignored).
fn row_is_task(row: &StatsRow, addrs: &[String], names: &[String]) -> bool {
    match &row.addr {
        Some(addr) => addrs.contains(addr),
        None => names
            .iter()
            .any(|n| row.svname.split(' ').next() == Some(n.as_str())),
    }
}

/// One LB's stats, or why they could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LbSample {
    /// The LB's 9090 base URL.
    pub url: String,
    /// Its stats rows.
    pub rows: Result<Vec<StatsRow>, String>,
    /// The worker that served them, when the drain proof needs it (the
    /// reload horizon) and the stats page answered.
    pub worker: Option<crate::lb::worker::Worker>,
}

/// A server that keeps a task from counting as drained.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Blocker {
    /// The LB's URL.
    pub lb: String,
    /// The task.
    pub task: String,
    /// The server's `ip:port` (or the task's first address when absent).
    pub addr: String,
    /// HAProxy's status for it, or why it is unknown.
    pub status: String,
    /// Current plus queued sessions.
    pub sessions: u64,
}

/// What every LB says about the shrinking app's tasks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrainReport {
    /// Tasks out of rotation with no session on every LB.
    pub drained: Vec<String>,
    /// Tasks out of rotation on every LB but with sessions somewhere.
    pub draining: Vec<String>,
    /// Why the other tasks are not drained (per LB and server).
    pub blockers: Vec<Blocker>,
    /// The fewest UP servers of the backend on any LB (0 when unreadable).
    pub min_up: u32,
    /// LBs that could not be read, with the reason.
    pub unreachable: Vec<(String, String)>,
}

/// Which of `tasks` are drained on every LB: the server with the task's
/// address is `MAINT` with `scur = qcur = 0`. A task missing from a
/// backend, or on an unreadable LB, is never drained.
pub fn drain_report(
    tasks: &[Task],
    backend: &str,
    samples: &[LbSample],
    host_ips: &BTreeMap<String, Vec<String>>,
) -> DrainReport {
    let mut report = DrainReport {
        min_up: u32::MAX,
        ..DrainReport::default()
    };
    for sample in samples {
        match &sample.rows {
            Ok(rows) => {
                let up = stats::servers(rows, backend).filter(|r| r.is_up()).count() as u32;
                report.min_up = report.min_up.min(up);
            }
            Err(e) => {
                report.min_up = 0;
                report.unreachable.push((sample.url.clone(), e.clone()));
            }
        }
    }
    if samples.is_empty() {
        report.min_up = 0;
    }
    for task in tasks {
        let addrs = task_addrs(task, host_ips);
        let names = task_server_names(task, host_ips);
        let mut out_everywhere = true;
        let mut quiet_everywhere = true;
        for sample in samples {
            let first_addr = addrs.first().cloned().unwrap_or_default();
            let blocker = |status: String, sessions: u64, addr: String| Blocker {
                lb: sample.url.clone(),
                task: task.id.clone(),
                addr,
                status,
                sessions,
            };
            let Ok(rows) = &sample.rows else {
                out_everywhere = false;
                report
                    .blockers
                    .push(blocker("LB unreachable".into(), 0, first_addr));
                continue;
            };
            let server = stats::servers(rows, backend).find(|r| row_is_task(r, &addrs, &names));
            match server {
                Some(row) if row.is_maint() => {
                    if row.has_sessions() {
                        quiet_everywhere = false;
                        let addr = row.addr.clone().unwrap_or(first_addr);
                        report.blockers.push(blocker(
                            row.status.clone(),
                            row.scur + row.qcur,
                            addr,
                        ));
                    }
                }
                Some(row) => {
                    out_everywhere = false;
                    let addr = row.addr.clone().unwrap_or(first_addr);
                    report
                        .blockers
                        .push(blocker(row.status.clone(), row.scur + row.qcur, addr));
                }
                None => {
                    out_everywhere = false;
                    report.blockers.push(blocker(
                        format!("not listed in {backend}"),
                        0,
                        first_addr,
                    ));
                }
            }
        }
        match (out_everywhere, quiet_everywhere) {
            (true, true) => report.drained.push(task.id.clone()),
            (true, false) => report.draining.push(task.id.clone()),
            _ => {}
        }
    }
    report
}

/// marathon-lb's view of two apps of one group (render-spec §3): which one
/// it calls new, and how many of the old one's tasks it drains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeView {
    /// The id marathon-lb treats as new.
    pub new: String,
    /// The id marathon-lb treats as old.
    pub old: String,
    /// How many old tasks it renders `disabled`.
    pub draining: u32,
}

/// What the merge rule reads from an app.
fn group_member(app: &App) -> rules::GroupMember<'_> {
    rules::GroupMember {
        started_at: app.label(labels::DEPLOYMENT_STARTED_AT),
        has_new_instances: app.labels.contains_key(labels::DEPLOYMENT_NEW_INSTANCES),
        target_instances: app.label(labels::DEPLOYMENT_TARGET_INSTANCES),
        last_scaling_at: app.version_info.last_scaling_at.as_deref(),
        has_health_checks: !app.health_checks.is_empty(),
    }
}

/// [`MergeView`] of two apps of a group, given in the order Marathon lists
/// them, by the renderer's rules; the rule's refusal when marathon-lb could
/// not merge them (it then keeps serving its last configuration).
pub fn merge_view(earlier: &App, later: &App) -> Result<MergeView, rules::MergeError> {
    let picked = rules::pick_new(&group_member(earlier), &group_member(later), None)?;
    let (old, new) = match picked.new {
        rules::Listed::Later => (earlier, later),
        rules::Listed::Earlier => (later, earlier),
    };
    let healthy_new = if picked.counts_live_tasks {
        new.tasks
            .iter()
            .filter(|t| t.health_check_results.iter().any(|r| r.alive))
            .count() as i64
    } else {
        i64::from(new.instances)
    };
    let draining = rules::drain_count(
        old.tasks.len(),
        healthy_new,
        i64::from(old.instances),
        picked.target_instances,
    );
    Ok(MergeView {
        new: new.id.clone(),
        old: old.id.clone(),
        draining: u32::try_from(draining).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marathon::types::{HealthCheckResult, VersionInfo};

    fn user_app(ports: Value) -> Value {
        let mut app = json!({
            "id": "/web", "instances": 3, "cmd": "serve", "env": {"A": null},
            "labels": {"HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": "10001", "HAPROXY_GROUP": "external"}
        });
        app.as_object_mut()
            .unwrap()
            .extend(ports.as_object().unwrap().clone());
        app
    }

    fn running(id: &str, colour: &str, port: u32, instances: u32) -> App {
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

    fn options() -> BuildOptions {
        BuildOptions {
            initial_instances: 1,
            new_instances: 0,
            surge: false,
            started_at: "2024-02-02T00:00:00+00:00".into(),
        }
    }

    #[test]
    fn first_deploy_is_blue_on_the_original_port_with_all_instances() {
        let user = user_app(json!({"portDefinitions": [{"port": 10000, "protocol": "tcp"}]}));
        let new = build_new_app(&user, None, &options()).unwrap();
        assert_eq!(new.id, "/web-blue");
        assert_eq!(new.target, 3);
        assert_eq!(new.json["instances"], 3);
        assert_eq!(new.json["portDefinitions"][0]["port"], 10000);
        assert_eq!(new.json["labels"]["HAPROXY_0_PORT"], "10000");
        assert_eq!(new.json["labels"]["HAPROXY_APP_ID"], "/web");
        assert_eq!(new.json["labels"]["HAPROXY_DEPLOYMENT_NEW_INSTANCES"], "0");
        assert!(
            new.json["env"].as_object().unwrap().is_empty(),
            "nulls dropped"
        );
        let keys: Vec<_> = new.json.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            ["id", "instances", "cmd", "env", "labels", "portDefinitions"],
            "field order kept"
        );
    }

    #[test]
    fn colour_and_port_alternate_for_every_port_field() {
        for ports in [
            json!({"portDefinitions": [{"port": 10000}]}),
            json!({"ports": [10000]}),
            json!({"container": {"type": "DOCKER", "portMappings": [{"containerPort": 80, "servicePort": 10000}]}}),
            json!({"container": {"type": "DOCKER", "docker": {"portMappings": [{"containerPort": 80, "servicePort": 10000}]}}}),
        ] {
            let user = user_app(ports.clone());
            let blue = running("/web-blue", "blue", 10000, 4);
            let green = build_new_app(&user, Some(&blue), &options()).unwrap();
            assert_eq!(green.id, "/web-green", "{ports}");
            assert_eq!(service_port(&green.json), Some(10001), "{ports}");
            assert_eq!(green.json["instances"], 1);
            assert_eq!(green.target, 4);
            let green_running = running("/web-green", "green", 10001, 4);
            let blue_again = build_new_app(&user, Some(&green_running), &options()).unwrap();
            assert_eq!(blue_again.id, "/web-blue");
            assert_eq!(service_port(&blue_again.json), Some(10000), "{ports}");
            assert_eq!(blue_again.json["labels"]["HAPROXY_0_PORT"], "10000");
        }
    }

    #[test]
    fn service_port_zero_uses_the_groups_port_or_is_refused() {
        let user = user_app(json!({"portDefinitions": [{"port": 0}]}));
        let err = build_new_app(&user, None, &options()).unwrap_err();
        assert!(
            matches!(err, PlanError::Invalid(ref m) if m.contains("service port is 0")),
            "{err}"
        );
        let blue = running("/web-blue", "blue", 10000, 2);
        let green = build_new_app(&user, Some(&blue), &options()).unwrap();
        assert_eq!(green.json["labels"]["HAPROXY_0_PORT"], "10000");
        assert_eq!(service_port(&green.json), Some(10001));
    }

    #[test]
    fn initial_and_new_instances_are_capped_by_the_target() {
        let user = user_app(json!({"ports": [10000]}));
        let blue = running("/web-blue", "blue", 10000, 3);
        let big = BuildOptions {
            initial_instances: 10,
            ..options()
        };
        assert_eq!(
            build_new_app(&user, Some(&blue), &big).unwrap().json["instances"],
            3
        );
        let hybrid = BuildOptions {
            initial_instances: 5,
            new_instances: 2,
            ..options()
        };
        let new = build_new_app(&user, Some(&blue), &hybrid).unwrap();
        assert_eq!(new.json["instances"], 2);
        assert_eq!(new.json["labels"]["HAPROXY_DEPLOYMENT_NEW_INSTANCES"], "2");
        let surge = BuildOptions {
            surge: true,
            ..options()
        };
        assert_eq!(
            build_new_app(&user, Some(&blue), &surge).unwrap().json["instances"],
            3
        );
    }

    #[test]
    fn missing_labels_are_reported_as_zdd_does() {
        let mut user = user_app(json!({"ports": [10000]}));
        user["labels"]
            .as_object_mut()
            .unwrap()
            .remove("HAPROXY_DEPLOYMENT_ALT_PORT");
        assert_eq!(
            build_new_app(&user, None, &options()),
            Err(PlanError::Missing(
                "Please define the HAPROXY_DEPLOYMENT_ALT_PORT label".into()
            ))
        );
        let no_port = json!({"id": "/web", "labels": {"HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": "1"}});
        assert!(matches!(
            build_new_app(&no_port, None, &options()),
            Err(PlanError::Missing(_))
        ));
    }

    #[test]
    fn growth_follows_zdd_and_linear_rules() {
        let steps = |linear| {
            let mut n = 1;
            let mut seen = vec![n];
            while n < 10 {
                n = grow(n, 10, 10, linear);
                seen.push(n);
            }
            seen
        };
        assert_eq!(steps(None), [1, 2, 3, 5, 8, 10]);
        assert_eq!(steps(Some(4)), [1, 5, 9, 10]);
        assert_eq!(grow(2, 5, 3, None), 5, "jumps once it reaches the old size");
    }

    fn task(id: &str, port: u32, alive: Option<bool>) -> Task {
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

    fn sample(url: &str, servers: &[(&str, &str, u64)]) -> LbSample {
        let mut rows: Vec<StatsRow> = servers
            .iter()
            .map(|(addr, status, scur)| StatsRow {
                pxname: "web_10000".into(),
                svname: addr.replace(['.', ':'], "_"),
                status: (*status).into(),
                scur: *scur,
                qcur: 0,
                addr: Some((*addr).into()),
            })
            .collect();
        rows.push(StatsRow {
            pxname: "web_10000".into(),
            svname: "BACKEND".into(),
            status: "UP".into(),
            scur: 0,
            qcur: 0,
            addr: None,
        });
        LbSample {
            url: url.into(),
            rows: Ok(rows),
            worker: None,
        }
    }

    #[test]
    fn a_task_is_drained_only_when_maint_and_idle_on_every_lb() {
        let ips = BTreeMap::from([("agent1".to_string(), vec!["10.0.0.1".to_string()])]);
        let tasks = [
            task("b1", 31001, Some(true)),
            task("b2", 31002, Some(true)),
            task("b3", 31003, Some(true)),
        ];
        let lb1 = sample(
            "http://lb1:9090",
            &[
                ("10.0.0.1:31001", "MAINT", 0),
                ("10.0.0.1:31002", "MAINT", 0),
                ("10.0.0.1:31003", "UP", 1),
                ("10.0.0.1:32000", "UP", 0),
            ],
        );
        let lb2 = sample(
            "http://lb2:9090",
            &[
                ("10.0.0.1:31001", "MAINT", 0),
                ("10.0.0.1:31002", "MAINT", 3),
                ("10.0.0.1:31003", "UP", 0),
                ("10.0.0.1:32000", "UP", 0),
            ],
        );
        let report = drain_report(&tasks, "web_10000", &[lb1.clone(), lb2], &ips);
        assert_eq!(report.drained, ["b1"]);
        assert_eq!(report.draining, ["b2"]);
        assert_eq!(report.min_up, 2);
        assert!(
            report
                .blockers
                .iter()
                .any(|b| b.lb == "http://lb2:9090" && b.task == "b2" && b.sessions == 3)
        );
        let down = LbSample {
            url: "http://lb3:9090".into(),
            rows: Err("connection refused".into()),
            worker: None,
        };
        let report = drain_report(&tasks, "web_10000", &[lb1, down], &ips);
        assert!(
            report.drained.is_empty(),
            "an unreadable LB blocks every kill"
        );
        assert_eq!(report.unreachable.len(), 1);
        assert_eq!(report.min_up, 0);
    }

    #[test]
    fn servers_without_addr_match_by_marathon_lb_name_and_missing_ones_never_drain() {
        let ips = BTreeMap::new();
        let mut t = task("b1", 31001, Some(true));
        t.host = "127.0.0.1".into();
        let row = |name: &str, status: &str| StatsRow {
            pxname: "web_10000".into(),
            svname: name.into(),
            status: status.into(),
            scur: 0,
            qcur: 0,
            addr: None,
        };
        let lb = |rows: Vec<StatsRow>| LbSample {
            url: "lb".into(),
            rows: Ok(rows),
            worker: None,
        };
        let report = drain_report(
            &[t.clone()],
            "web_10000",
            &[lb(vec![row("127_0_0_1_31001", "MAINT")])],
            &ips,
        );
        assert_eq!(report.drained, ["b1"]);
        let report = drain_report(
            &[t.clone()],
            "web_10000",
            &[lb(vec![row("127_0_0_1_31001", "no check")])],
            &ips,
        );
        assert!(report.drained.is_empty());
        let report = drain_report(
            &[t],
            "web_10000",
            &[lb(vec![row("127_0_0_1_39999", "MAINT")])],
            &ips,
        );
        assert!(report.drained.is_empty(), "absent is not drained");
    }

    #[test]
    fn merge_view_follows_marathon_lb() {
        let mut blue = running("/web-blue", "blue", 10000, 3);
        blue.tasks = vec![
            task("b1", 1, Some(true)),
            task("b2", 2, Some(true)),
            task("b3", 3, Some(true)),
        ];
        blue.health_checks = vec![json!({"protocol": "HTTP"})];
        blue.labels
            .insert(labels::DEPLOYMENT_NEW_INSTANCES.into(), json!("0"));
        let mut green = running("/web-green", "green", 10001, 2);
        green.labels.insert(
            labels::DEPLOYMENT_STARTED_AT.into(),
            json!("2024-02-01T00:00:00"),
        );
        green
            .labels
            .insert(labels::DEPLOYMENT_TARGET_INSTANCES.into(), json!("3"));
        green
            .labels
            .insert(labels::DEPLOYMENT_NEW_INSTANCES.into(), json!("0"));
        green.health_checks = blue.health_checks.clone();
        green.tasks = vec![task("g1", 4, Some(true)), task("g2", 5, None)];
        green.version_info = VersionInfo {
            last_scaling_at: Some("2024-02-01T00:00:05Z".into()),
            ..Default::default()
        };
        blue.version_info = VersionInfo {
            last_scaling_at: Some("2024-01-01T00:00:00Z".into()),
            ..Default::default()
        };
        let view = merge_view(&blue, &green).unwrap();
        assert_eq!((view.new.as_str(), view.draining), ("/web-green", 1));
        blue.version_info.last_scaling_at = Some("2024-02-01T00:00:09Z".into());
        let swapped = merge_view(&blue, &green).unwrap();
        assert_eq!(swapped.new, "/web-blue", "the app scaled last is new");
    }

    /// The ports of the servers marathon-lb's config disables when
    /// Marathon lists `earlier` then `later`, by the byte-exact renderer.
    fn rendered_drain(earlier: &App, later: &App) -> Vec<u32> {
        crate::deploy::rendered::servers(&[earlier, later])
            .into_iter()
            .filter(|s| s.disabled)
            .map(|s| s.addr.rsplit(':').next().unwrap().parse().unwrap())
            .collect()
    }

    /// The ports [`merge_view`] says marathon-lb disables.
    fn viewed_drain(earlier: &App, later: &App) -> Vec<u32> {
        let view = merge_view(earlier, later).unwrap();
        let old = if view.old == earlier.id {
            earlier
        } else {
            later
        };
        let mut tasks: Vec<&Task> = old.tasks.iter().collect();
        tasks.sort_by(|a, b| a.id.cmp(&b.id));
        tasks
            .iter()
            .take(view.draining as usize)
            .map(|t| t.ports[0])
            .collect()
    }

    fn group_app(id: &str, started: &str, ports: &[u32], checks: bool) -> App {
        let mut app = running(id, "blue", 10000, ports.len() as u32);
        for (k, v) in [
            (labels::DEPLOYMENT_GROUP, "web"),
            (labels::GROUP, "external"),
            (labels::DEPLOYMENT_STARTED_AT, started),
        ] {
            app.labels.insert(k.into(), json!(v));
        }
        app.port_definitions = vec![json!({"port": 10000, "protocol": "tcp"})];
        if checks {
            app.health_checks = vec![json!({"protocol": "HTTP", "path": "/"})];
        }
        app.tasks = ports
            .iter()
            .map(|p| task(&format!("{id}.{p}"), *p, checks.then_some(true)))
            .collect();
        app
    }

    #[test]
    fn merge_view_agrees_with_the_renderer_where_the_old_copy_did_not() {
        // The new app has no health checks and Marathon lists it first: the
        // renderer counts its live tasks by the *later* app's checks (none
        // live), so nothing drains; the old copy read the new app's checks.
        let green = group_app("/web-green", "2024-01-02T00:00:00", &[2, 3], false);
        let blue = group_app("/web-blue", "2024-01-01T00:00:00", &[4, 5], true);
        assert_eq!(rendered_drain(&green, &blue), Vec::<u32>::new());
        assert_eq!(viewed_drain(&green, &blue), rendered_drain(&green, &blue));
        assert_eq!(viewed_drain(&blue, &green), rendered_drain(&blue, &green));
        // Dates with offsets order as instants: green started an hour after
        // blue, though as text it sorts first.
        let blue = group_app("/web-blue", "2024-01-02T10:00:00+02:00", &[4, 5], true);
        let green = group_app("/web-green", "2024-01-02T09:00:00+00:00", &[2, 3], true);
        assert_eq!(merge_view(&blue, &green).unwrap().new, "/web-green");
        assert_eq!(rendered_drain(&blue, &green), vec![4, 5]);
        assert_eq!(viewed_drain(&blue, &green), rendered_drain(&blue, &green));
        assert_eq!(viewed_drain(&green, &blue), rendered_drain(&green, &blue));
    }

    #[test]
    fn unhealthy_reason_names_the_task_and_cause() {
        let mut app = running("/web-green", "green", 10001, 1);
        app.health_checks = vec![json!({})];
        let mut t = task("g1", 1, Some(false));
        t.health_check_results[0].last_failure_cause = Some("HTTP 500".into());
        app.tasks = vec![t];
        assert_eq!(healthy_count(&app), 0);
        assert_eq!(
            unhealthy_reason(&app).unwrap(),
            "task g1 fails its health check: HTTP 500"
        );
    }
}
