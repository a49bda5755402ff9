//! From Marathon apps to load-balanced services (marathon-lb's `get_apps`):
//! deployment-group merge with draining, networking modes, service ports
//! (incl. IP-per-task auto-assignment), per-port labels, tasks → servers.
//! Pure: no I/O (host names go through the caller's [`Resolver`]).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;

use serde_json::Value;

use super::dates::Date;
use super::model::{App, Dict, Labels, PortMapping, Task};
use super::names::sha1_hex;
use super::pyfmt::{Compiled, eq_int, label_bool, py_int, py_int_value, truthy};
use super::pyint::PyInt;
use super::rules::{self, DateField, GroupMember, Listed, MergeError};
use super::templates::{by_label, info};
use super::{RenderError, RenderOptions, Resolver};

/// Task states whose tasks never become servers.
const EXCLUDED_TASK_STATES: [&str; 11] = [
    "TASK_STAGING",
    "TASK_STARTING",
    "TASK_KILLING",
    "TASK_FINISHED",
    "TASK_FAILED",
    "TASK_KILLED",
    "TASK_ERROR",
    "TASK_DROPPED",
    "TASK_GONE",
    "TASK_GONE_BY_OPERATOR",
    "TASK_UNKNOWN",
];

/// Hash attempts before the auto-assigner takes the lowest free port.
const MAX_CLASHES: u32 = 50;

/// An app after the deployment-group merge: the app whose settings count,
/// its (possibly group) id and its tasks with their draining marks.
pub(crate) struct MergedApp<'a> {
    pub(crate) app: &'a App<'a>,
    pub(crate) id: Cow<'a, str>,
    /// `None` when the app has no `tasks` member.
    pub(crate) tasks: Option<Vec<(&'a Task<'a>, bool)>>,
}

/// One backend server of a service.
#[derive(Debug)]
pub(crate) struct Server<'a> {
    pub(crate) host: &'a str,
    pub(crate) ip: Cow<'a, str>,
    pub(crate) port: i64,
    pub(crate) draining: bool,
}

/// HTTP basic auth of a service (`HAPROXY_{n}_AUTH`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Auth<'a> {
    pub(crate) realm: &'a str,
    pub(crate) user: &'a str,
    pub(crate) passwd: &'a str,
}

/// One service: an app's port index with its settings and servers.
#[derive(Debug)]
pub(crate) struct Service<'a> {
    pub(crate) app_id: &'a str,
    pub(crate) port_index: usize,
    /// The service port, or the `PORT` label's value (any size).
    pub(crate) service_port: PyInt,
    pub(crate) servers: Vec<Server<'a>>,
    pub(crate) app_groups: &'a [&'a str],
    pub(crate) haproxy_groups: Option<Vec<&'a str>>,
    pub(crate) hostname: Option<String>,
    pub(crate) path: Option<&'a str>,
    pub(crate) auth: Option<Auth<'a>>,
    pub(crate) sticky: bool,
    pub(crate) enabled: bool,
    pub(crate) redirect_to_https: bool,
    pub(crate) use_hsts: bool,
    pub(crate) ssl_cert: Option<&'a str>,
    pub(crate) bind_options: Option<&'a str>,
    pub(crate) bind_addr: &'a str,
    pub(crate) mode: Option<String>,
    pub(crate) balance: &'a str,
    pub(crate) proxypath: Option<&'a str>,
    pub(crate) revproxypath: Option<&'a str>,
    pub(crate) redirpath: Option<&'a str>,
    pub(crate) health_check: Option<&'a Dict<'a>>,
    pub(crate) backend_weight: PyInt,
    pub(crate) network_allowed: Option<&'a str>,
    pub(crate) healthcheck_port_index: Option<PyInt>,
    /// Per-port template overrides: (label `NAME` of `HAPROXY_{n}_NAME`,
    /// text with `\r\n` → `\n`).
    pub(crate) overrides: Vec<(&'static str, Compiled)>,
}

impl Service<'_> {
    /// The text of the per-port label `HAPROXY_{n}_<label>`, if set.
    pub(crate) fn template_override(&self, label: &str) -> Option<&Compiled> {
        self.overrides
            .iter()
            .rev()
            .find(|(o, _)| *o == label)
            .map(|(_, c)| c)
    }
}

/// Networking mode of an app, as marathon-lb classifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Host,
    Bridge,
    Container,
    /// A `networks[].mode` marathon-lb does not know: ports as in
    /// container mode, address from the host.
    Other,
}

fn missing(app: &str, field: &str) -> RenderError {
    RenderError::MissingField {
        app: app.to_string(),
        field: field.to_string(),
    }
}

fn bad_field(app: &str, field: &str, message: impl Into<String>) -> RenderError {
    RenderError::BadField {
        app: app.to_string(),
        field: field.to_string(),
        message: message.into(),
    }
}

fn bad_label(app: &str, label: &str, value: &str, message: impl Into<String>) -> RenderError {
    RenderError::BadLabel {
        app: app.to_string(),
        label: label.to_string(),
        value: value.to_string(),
        message: message.into(),
    }
}

fn labels_of<'a>(app: &'a App<'_>, id: &str) -> Result<&'a Labels<'a>, RenderError> {
    app.labels.as_ref().ok_or_else(|| missing(id, "labels"))
}

fn task_list<'a>(app: &'a App<'a>) -> Option<Vec<(&'a Task<'a>, bool)>> {
    app.tasks
        .as_ref()
        .map(|ts| ts.iter().map(|t| (t, t.draining)).collect())
}

/// Merges apps sharing `HAPROXY_DEPLOYMENT_GROUP` (blue/green deploys):
/// apps without a group in input order, then one merged app per group in
/// order of first appearance.
pub(crate) fn merge_deployment_groups<'a>(
    apps: &'a [Box<App<'a>>],
    today: Option<Date>,
) -> Result<Vec<MergedApp<'a>>, RenderError> {
    let mut plain = Vec::with_capacity(apps.len());
    let mut groups: Vec<MergedApp<'_>> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    for app in apps {
        let id = app.id.as_deref().ok_or_else(|| missing("?", "id"))?;
        let labels = labels_of(app, id)?;
        let Some(group) = labels.get("HAPROXY_DEPLOYMENT_GROUP") else {
            plain.push(MergedApp {
                app,
                id: Cow::Borrowed(id),
                tasks: task_list(app),
            });
            continue;
        };
        if group.is_empty() {
            return Err(bad_label(
                id,
                "HAPROXY_DEPLOYMENT_GROUP",
                group,
                "must not be empty",
            ));
        }
        let gid = rules::group_app_id(group);
        let cur = MergedApp {
            app,
            id: Cow::Owned(gid.clone()),
            tasks: task_list(app),
        };
        match group_index.get(&gid) {
            Some(&i) => {
                let prev = std::mem::replace(
                    &mut groups[i],
                    MergedApp {
                        app,
                        id: Cow::Borrowed(""),
                        tasks: None,
                    },
                );
                groups[i] = merge_pair(prev, cur, today)?;
            }
            None => {
                group_index.insert(gid, groups.len());
                groups.push(cur);
            }
        }
    }
    plain.extend(groups);
    Ok(plain)
}

fn instances(m: &MergedApp<'_>) -> Result<i64, RenderError> {
    m.app
        .instances
        .ok_or_else(|| missing(&m.id, "instances"))?
        .ok_or_else(|| bad_field(&m.id, "instances", "not an integer"))
}

/// What the merge rule reads from a merged app.
fn group_member<'a>(m: &MergedApp<'a>) -> Result<GroupMember<'a>, RenderError> {
    let labels = labels_of(m.app, &m.id)?;
    Ok(GroupMember {
        started_at: labels.get("HAPROXY_DEPLOYMENT_STARTED_AT"),
        has_new_instances: labels.get("HAPROXY_DEPLOYMENT_NEW_INSTANCES").is_some(),
        target_instances: labels.get("HAPROXY_DEPLOYMENT_TARGET_INSTANCES"),
        last_scaling_at: m
            .app
            .version_info
            .as_ref()
            .and_then(|vi| vi.last_scaling_at.as_deref()),
        has_health_checks: m.app.health_checks.as_ref().is_some_and(|h| !h.is_empty()),
    })
}

/// marathon-lb's error for a merge rule's refusal, on the app it names.
fn merge_error(e: MergeError, earlier: &str, later: &str) -> RenderError {
    let id = |side: Listed| match side {
        Listed::Earlier => earlier,
        Listed::Later => later,
    };
    let field_name = |field: DateField| match field {
        DateField::StartedAt => "labels.HAPROXY_DEPLOYMENT_STARTED_AT",
        DateField::LastScalingAt => "versionInfo.lastScalingAt",
    };
    match e {
        MergeError::BadDate {
            app,
            field: DateField::StartedAt,
            value,
            why,
        } => bad_label(
            id(app),
            "HAPROXY_DEPLOYMENT_STARTED_AT",
            &value,
            format!("not a date dateutil reads: {why}"),
        ),
        MergeError::BadDate {
            app,
            field: DateField::LastScalingAt,
            value,
            why,
        } => bad_field(
            id(app),
            "versionInfo.lastScalingAt",
            format!("{value:?} is not a date dateutil reads: {why}"),
        ),
        MergeError::Incomparable { app, field } => bad_field(
            id(app),
            field_name(field),
            "cannot compare a date with a time zone to one without (or to a missing one)",
        ),
        MergeError::NoLastScalingAt { app } => missing(id(app), "versionInfo.lastScalingAt"),
        MergeError::NoTargetInstances { app } => {
            missing(id(app), "labels.HAPROXY_DEPLOYMENT_TARGET_INSTANCES")
        }
        MergeError::BadTargetInstances { app, value, why } => {
            bad_label(id(app), "HAPROXY_DEPLOYMENT_TARGET_INSTANCES", &value, why)
        }
    }
}

/// Merges the next app of a deployment group (`cur`) into the one stored so
/// far (`prev`), marking the old app's first tasks (by id) as draining, by
/// the rules of [`rules::pick_new`] and [`rules::drain_count`].
fn merge_pair<'a>(
    prev: MergedApp<'a>,
    cur: MergedApp<'a>,
    today: Option<Date>,
) -> Result<MergedApp<'a>, RenderError> {
    let picked = rules::pick_new(&group_member(&prev)?, &group_member(&cur)?, today)
        .map_err(|e| merge_error(e, &prev.id, &cur.id))?;
    let (mut old, mut new) = match picked.new {
        Listed::Later => (prev, cur),
        Listed::Earlier => (cur, prev),
    };
    let mut old_tasks = old.tasks.take().ok_or_else(|| missing(&old.id, "tasks"))?;
    for (t, _) in &old_tasks {
        if t.id.is_none() {
            return Err(missing(&old.id, "tasks[].id"));
        }
    }
    old_tasks.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let new_tasks = new.tasks.take().ok_or_else(|| missing(&new.id, "tasks"))?;
    let healthy_new = if picked.counts_live_tasks {
        let mut n = 0;
        for (t, _) in &new_tasks {
            n += i64::from(task_alive(t, &new.id)? == Some(true));
        }
        n
    } else {
        instances(&new)?
    };
    let drain = rules::drain_count(
        old_tasks.len(),
        healthy_new,
        instances(&old)?,
        picked.target_instances,
    );
    for task in old_tasks.iter_mut().take(drain) {
        task.1 = true;
    }
    old_tasks.extend(new_tasks);
    Ok(MergedApp {
        app: old.app,
        id: old.id,
        tasks: Some(old_tasks),
    })
}

/// marathon-lb's `ServicePortAssigner`, reset for every render.
struct PortAssigner {
    min: i64,
    max: i64,
    size: usize,
    by_key: HashMap<(String, i64), Option<i64>>,
    used: HashSet<i64>,
}

impl PortAssigner {
    fn new(opts: &RenderOptions) -> Option<Self> {
        let (min, max) = (
            i64::from(opts.min_serv_port_ip_per_task),
            i64::from(opts.max_serv_port_ip_per_task),
        );
        (min != 0 && max != 0 && min <= max).then(|| PortAssigner {
            min,
            max,
            size: usize::try_from(max - min + 1).unwrap_or(0),
            by_key: HashMap::new(),
            used: HashSet::new(),
        })
    }

    fn port_for(&mut self, app_id: &str, task_port: i64) -> Option<i64> {
        let key = (app_id.to_string(), task_port);
        if let Some(Some(p)) = self.by_key.get(&key) {
            return Some(*p);
        }
        let port = self.assign(app_id, task_port);
        if let Some(p) = port {
            self.used.insert(p);
        }
        self.by_key.insert(key, port);
        port
    }

    fn assign(&self, app_id: &str, task_port: i64) -> Option<i64> {
        if self.by_key.len() >= self.size {
            return None;
        }
        let size = self.size as u64;
        for k in 0..MAX_CLASHES {
            let h = sha1_hex(&format!("{app_id}-{task_port}-{k}"));
            let h = u64::from_str_radix(&h[..8], 16).unwrap_or(0);
            let candidate = self.min + i64::try_from(h % size).unwrap_or(0);
            if !self.used.contains(&candidate) {
                return Some(candidate);
            }
        }
        (self.min..=self.max).find(|p| !self.used.contains(p))
    }
}

fn networking_mode(app: &App<'_>) -> Mode {
    let mut mode = if app.ip_address.as_ref().is_some_and(|m| !m.is_empty()) {
        Mode::Container
    } else {
        Mode::Host
    };
    match app
        .container
        .as_ref()
        .and_then(|c| c.docker.as_ref())
        .and_then(|d| d.network.as_deref())
    {
        Some("USER") => mode = Mode::Container,
        Some("BRIDGE") => mode = Mode::Bridge,
        _ => {}
    }
    for n in app.networks.iter().flatten() {
        mode = match n.mode.as_deref() {
            None | Some("container") => Mode::Container,
            Some("container/bridge") => Mode::Bridge,
            Some("host") => Mode::Host,
            Some(_) => Mode::Other,
        };
    }
    mode
}

fn port_mappings<'a>(app: &'a App<'_>) -> &'a [PortMapping] {
    let Some(c) = &app.container else {
        return &[];
    };
    match c.docker.as_ref().and_then(|d| d.port_mappings.as_deref()) {
        Some(pm) if !pm.is_empty() => pm,
        _ => c.port_mappings.as_deref().unwrap_or(&[]),
    }
}

fn port_definition_ports(app: &App<'_>) -> Vec<i64> {
    app.port_definitions
        .iter()
        .flatten()
        .filter_map(|p| p.port)
        .collect()
}

fn mapping_container_ports(app: &App<'_>) -> Vec<i64> {
    port_mappings(app)
        .iter()
        .filter_map(|p| p.container_port)
        .collect()
}

fn discovery_ports(app: &App<'_>, id: &str) -> Result<Vec<i64>, RenderError> {
    let Some(ip) = &app.ip_address else {
        return Ok(Vec::new());
    };
    let ports = ip
        .get("discovery")
        .and_then(|d| d.get("ports"))
        .and_then(Value::as_array);
    let mut out = Vec::new();
    for p in ports.into_iter().flatten() {
        if let Some(n) = p.get("number") {
            out.push(py_int_value(n).ok_or_else(|| {
                bad_field(id, "ipAddress.discovery.ports[].number", "not an integer")
            })?);
        }
    }
    Ok(out)
}

/// Task ports that do not depend on the task: the fallback after
/// `task.ports` (host, bridge) or the only source (container, other).
fn app_task_ports(app: &App<'_>, id: &str, mode: Mode) -> Result<Vec<i64>, RenderError> {
    Ok(match mode {
        Mode::Host => port_definition_ports(app),
        Mode::Bridge => {
            let p = port_definition_ports(app);
            if p.is_empty() {
                mapping_container_ports(app)
            } else {
                p
            }
        }
        Mode::Container | Mode::Other => {
            let p = discovery_ports(app, id)?;
            if p.is_empty() {
                mapping_container_ports(app)
            } else {
                p
            }
        }
    })
}

fn task_ports<'t>(task: &'t Task<'_>, mode: Mode, app_ports: &'t [i64]) -> &'t [i64] {
    match (mode, task.ports.as_deref()) {
        (Mode::Host | Mode::Bridge, Some(p)) if !p.is_empty() => p,
        _ => app_ports,
    }
}

fn service_ports(
    m: &MergedApp<'_>,
    mode: Mode,
    app_ports: &[i64],
    assigner: &mut Option<PortAssigner>,
) -> Result<Vec<Option<i64>>, RenderError> {
    let app = m.app;
    if matches!(mode, Mode::Container | Mode::Bridge) {
        let ports: Vec<Option<i64>> = port_mappings(app)
            .iter()
            .filter_map(|p| p.service_port.map(Some))
            .collect();
        if !ports.is_empty() {
            return Ok(ports);
        }
    }
    let ports: Vec<Option<i64>> = match &app.port_definitions {
        Some(defs) => defs.iter().filter_map(|p| p.port.map(Some)).collect(),
        None => app.ports.clone().unwrap_or_default(),
    };
    if ports.is_empty()
        && mode == Mode::Container
        && let Some(assigner) = assigner
    {
        let tasks = m.tasks.as_ref().ok_or_else(|| missing(&m.id, "tasks"))?;
        if !tasks.is_empty() {
            return Ok(app_ports
                .iter()
                .map(|&tp| assigner.port_for(&m.id, tp))
                .collect());
        }
    }
    Ok(ports)
}

/// marathon-lb's `get_health_check`: the first check with a truthy `port`
/// or with `portIndex == index`.
fn health_check_for<'a>(app: &'a App<'a>, index: &PyInt) -> Option<&'a Dict<'a>> {
    app.health_checks.iter().flatten().find(|c| {
        c.get("port").is_some_and(truthy) || c.get("portIndex").is_some_and(|p| eq_int(p, index))
    })
}

fn protocol<'a>(check: &'a Dict<'_>, id: &str) -> Result<&'a Value, RenderError> {
    check
        .get("protocol")
        .ok_or_else(|| missing(id, "healthChecks[].protocol"))
}

/// Per-port labels of an app: (port index, NAME, full key, value), sorted by
/// index then NAME, one entry per key.
fn per_port_labels<'a>(labels: &'a Labels<'_>) -> Vec<(usize, &'a str, &'a str, &'a str)> {
    let mut out: Vec<(usize, &str, &str, &str)> = labels
        .0
        .iter()
        .filter_map(|(k, v)| {
            let rest = k.strip_prefix("HAPROXY_")?;
            let (digits, name) = rest.split_once('_')?;
            let canonical = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && (digits == "0" || !digits.starts_with('0'));
            if !canonical {
                return None;
            }
            Some((digits.parse().ok()?, name, k.as_ref(), v.as_ref()))
        })
        .collect();
    out.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    // Keep the last of repeated keys, like a JSON object read by Python.
    let mut dedup: Vec<(usize, &str, &str, &str)> = Vec::with_capacity(out.len());
    for e in out {
        match dedup.last_mut() {
            Some(last) if (last.0, last.1) == (e.0, e.1) => *last = e,
            _ => dedup.push(e),
        }
    }
    dedup
}

fn apply_label<'a>(
    svc: &mut Service<'a>,
    name: &str,
    key: &str,
    v: &'a str,
) -> Result<(), RenderError> {
    let int = |v: &str| py_int(v).map_err(|why| bad_label(svc.app_id, key, v, why));
    match name {
        "AUTH" => {
            let parts: Vec<&str> = v.split(':').collect();
            let [realm, user, passwd] = parts[..] else {
                return Err(bad_label(
                    svc.app_id,
                    key,
                    v,
                    "expected realm:user:password",
                ));
            };
            svc.auth = Some(Auth {
                realm,
                user,
                passwd,
            });
        }
        "BACKEND_HEALTHCHECK_PORT_INDEX" => svc.healthcheck_port_index = Some(int(v)?),
        "BACKEND_NETWORK_ALLOWED_ACL" => svc.network_allowed = Some(v),
        "BACKEND_WEIGHT" => svc.backend_weight = int(v)?,
        "BALANCE" => svc.balance = v,
        "BIND_ADDR" => svc.bind_addr = v,
        "BIND_OPTIONS" => svc.bind_options = Some(v),
        "ENABLED" => svc.enabled = label_bool(v),
        "GROUP" => svc.haproxy_groups = Some(v.split(',').collect()),
        "HTTP_BACKEND_PROXYPASS_PATH" => svc.proxypath = Some(v),
        "HTTP_BACKEND_REDIR" => svc.redirpath = Some(v),
        "HTTP_BACKEND_REVPROXY_PATH" => svc.revproxypath = Some(v),
        "MODE" => svc.mode = Some(v.to_lowercase()),
        "PATH" => {
            svc.path = Some(v);
            if svc.backend_weight == PyInt::Small(0) {
                svc.backend_weight = PyInt::Small(1);
            }
        }
        "PORT" => svc.service_port = int(v)?,
        "REDIRECT_TO_HTTPS" => svc.redirect_to_https = label_bool(v),
        "SSL_CERT" => svc.ssl_cert = Some(v),
        "STICKY" => svc.sticky = label_bool(v),
        "USE_HSTS" => svc.use_hsts = label_bool(v),
        "VHOST" => svc.hostname = Some(v.to_lowercase()),
        other => {
            if let Some(label) = by_label(other).and_then(|t| info(t).label) {
                svc.overrides
                    .push((label, Compiled::new(v.replace("\r\n", "\n"))));
            }
        }
    }
    Ok(())
}

/// Whether any of a task's health results is alive (`None` without
/// results); a result without `alive` is an error, as in marathon-lb.
fn task_alive(task: &Task<'_>, id: &str) -> Result<Option<bool>, RenderError> {
    match task.health_check_results {
        None => Ok(None),
        Some(h) if h.missing_alive => Err(missing(id, "tasks[].healthCheckResults[].alive")),
        Some(h) => Ok(Some(h.alive)),
    }
}

/// Resolved addresses of task hosts, each host asked once per render.
pub(crate) struct HostCache<'r, 'a> {
    resolver: &'r dyn Resolver,
    cache: HashMap<&'a str, Option<String>>,
}

impl<'r, 'a> HostCache<'r, 'a> {
    pub(crate) fn new(resolver: &'r dyn Resolver) -> Self {
        HostCache {
            resolver,
            cache: HashMap::new(),
        }
    }

    fn resolve(&mut self, host: &'a str) -> Option<Cow<'a, str>> {
        if host.parse::<Ipv4Addr>().is_ok() {
            return Some(Cow::Borrowed(host));
        }
        let resolver = self.resolver;
        self.cache
            .entry(host)
            .or_insert_with(|| resolver.resolve(host).map(|ip| ip.to_string()))
            .clone()
            .map(Cow::Owned)
    }
}

/// The services of all (merged) apps that got at least one server, in
/// marathon-lb's order (apps in order, services in first-port order).
pub(crate) fn build_services<'a>(
    merged: &'a [MergedApp<'a>],
    app_groups: &'a [Vec<&'a str>],
    opts: &RenderOptions,
    hosts: &mut HostCache<'_, 'a>,
) -> Result<Vec<Service<'a>>, RenderError> {
    let mut assigner = PortAssigner::new(opts);
    // Mostly one service per app: growing the list would copy it each time.
    let mut all = Vec::with_capacity(merged.len());
    for (m, groups) in merged.iter().zip(app_groups) {
        let id: &str = &m.id;
        if let Some(fw) = &opts.framework_name
            && id.chars().skip(1).eq(fw.chars())
        {
            continue;
        }
        let app = m.app;
        let labels = labels_of(app, id)?;
        let mode = networking_mode(app);
        let app_ports = app_task_ports(app, id, mode)?;
        let ports = service_ports(m, mode, &app_ports, &mut assigner)?;
        let port_labels = per_port_labels(labels);
        // Services keyed by their original service port; a repeated port
        // replaces the earlier service in place (Python dict semantics).
        let mut services: Vec<(i64, Service<'a>)> = Vec::with_capacity(ports.len());
        for (i, port) in ports.iter().enumerate() {
            let Some(port) = *port else { continue };
            let mut svc = new_service(app, id, i, port, groups, opts, &port_labels)?;
            svc.servers
                .reserve_exact(m.tasks.as_ref().map_or(0, Vec::len));
            match services.iter_mut().find(|(p, _)| *p == port) {
                Some(slot) => slot.1 = svc,
                None => services.push((port, svc)),
            }
        }
        let tasks = m.tasks.as_ref().ok_or_else(|| missing(id, "tasks"))?;
        let checks_on =
            opts.health_check && app.health_checks.as_ref().is_some_and(|h| !h.is_empty());
        for &(task, draining) in tasks {
            let host = task
                .host
                .as_deref()
                .ok_or_else(|| missing(id, "tasks[].host"))?;
            if host.is_empty() {
                continue;
            }
            if task
                .state
                .as_deref()
                .is_some_and(|s| EXCLUDED_TASK_STATES.contains(&s))
            {
                continue;
            }
            if checks_on && task_alive(task, id)? != Some(true) {
                continue;
            }
            let tports = task_ports(task, mode, &app_ports);
            if tports.is_empty() {
                continue;
            }
            let ip = if mode == Mode::Container {
                match task.ip_address.as_deref() {
                    Some(ip) if !ip.is_empty() => Cow::Borrowed(ip),
                    _ => continue,
                }
            } else {
                match hosts.resolve(host) {
                    Some(ip) => ip,
                    None => continue,
                }
            };
            for (&task_port, service_port) in tports.iter().zip(&ports) {
                let Some(sp) = service_port else { continue };
                if let Some((_, svc)) = services.iter_mut().find(|(p, _)| p == sp) {
                    svc.servers.push(Server {
                        host,
                        ip: ip.clone(),
                        port: task_port,
                        draining,
                    });
                }
            }
        }
        all.extend(
            services
                .into_iter()
                .map(|(_, s)| s)
                .filter(|s| !s.servers.is_empty()),
        );
    }
    Ok(all)
}

fn new_service<'a>(
    app: &'a App<'a>,
    id: &'a str,
    index: usize,
    port: i64,
    groups: &'a [&'a str],
    opts: &RenderOptions,
    port_labels: &[(usize, &'a str, &'a str, &'a str)],
) -> Result<Service<'a>, RenderError> {
    let check = health_check_for(app, &PyInt::Small(index as i64));
    let mut svc = Service {
        app_id: id,
        port_index: index,
        service_port: PyInt::Small(port),
        servers: Vec::new(),
        app_groups: groups,
        haproxy_groups: None,
        hostname: None,
        path: None,
        auth: None,
        sticky: false,
        enabled: !opts.strict_mode,
        redirect_to_https: false,
        use_hsts: false,
        ssl_cert: None,
        bind_options: None,
        bind_addr: "*",
        mode: None,
        balance: "roundrobin",
        proxypath: None,
        revproxypath: None,
        redirpath: None,
        health_check: check,
        backend_weight: PyInt::Small(0),
        network_allowed: None,
        healthcheck_port_index: None,
        overrides: Vec::new(),
    };
    if let Some(c) = check
        && protocol(c, id)?.as_str() == Some("HTTP")
    {
        svc.mode = Some("http".into());
    }
    let start = port_labels.partition_point(|e| e.0 < index);
    for &(_, name, key, value) in port_labels[start..].iter().take_while(|e| e.0 == index) {
        apply_label(&mut svc, name, key, value)?;
    }
    if svc.health_check.is_none()
        && let Some(k) = &svc.healthcheck_port_index
    {
        svc.health_check = health_check_for(app, k);
        if let Some(c) = svc.health_check
            && matches!(
                protocol(c, id)?.as_str(),
                Some("HTTP" | "HTTPS" | "MESOS_HTTP" | "MESOS_HTTPS")
            )
        {
            svc.mode = Some("http".into());
        }
    }
    Ok(svc)
}

/// `HAPROXY_GROUP` of each merged app, split on `,`.
pub(crate) fn app_groups<'a>(merged: &[MergedApp<'a>]) -> Vec<Vec<&'a str>> {
    merged
        .iter()
        .map(|m| {
            m.app
                .labels
                .as_ref()
                .and_then(|l| l.get("HAPROXY_GROUP"))
                .map(|g| g.split(',').collect())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    fn assigner(min: u16, max: u16) -> PortAssigner {
        PortAssigner::new(&RenderOptions {
            min_serv_port_ip_per_task: min,
            max_serv_port_ip_per_task: max,
            ..RenderOptions::default()
        })
        .expect("auto-assignment on")
    }

    #[test]
    fn assigner_exhausts_to_none() {
        let mut a = assigner(10000, 10020);
        let ports: Vec<Option<i64>> = (500..524).map(|tp| a.port_for("app-1", tp)).collect();
        assert_eq!(ports[21..], [None, None, None]);
        let mut got: Vec<i64> = ports[..21].iter().map(|p| p.expect("assigned")).collect();
        got.sort_unstable();
        assert_eq!(got, (10000..=10020).collect::<Vec<_>>());
        assert_eq!(a.port_for("app-1", 500), ports[0], "a key keeps its port");
    }

    #[test]
    fn assigner_is_order_independent_without_clashes() {
        let mut a = assigner(10000, 10020);
        let p1 = a.port_for("app-1", 500);
        let p2 = a.port_for("app-2", 500);
        let mut b = assigner(10000, 10020);
        assert_eq!(b.port_for("app-2", 500), p2);
        assert_eq!(b.port_for("app-1", 500), p1);
        assert!(
            PortAssigner::new(&RenderOptions {
                min_serv_port_ip_per_task: 0,
                max_serv_port_ip_per_task: 0,
                ..RenderOptions::default()
            })
            .is_none()
        );
    }

    #[test]
    fn networking_modes() {
        let mode = |v: serde_json::Value| networking_mode(&App::deserialize(&v).expect("app"));
        assert_eq!(mode(serde_json::json!({})), Mode::Host);
        assert_eq!(
            mode(serde_json::json!({"ipAddress": {"networkName": "dcos"}})),
            Mode::Container
        );
        assert_eq!(mode(serde_json::json!({"ipAddress": {}})), Mode::Host);
        assert_eq!(
            mode(serde_json::json!({"container": {"docker": {"network": "BRIDGE"}}})),
            Mode::Bridge
        );
        assert_eq!(
            mode(serde_json::json!({"container": {"docker": {"network": "USER"}}})),
            Mode::Container
        );
        assert_eq!(
            mode(serde_json::json!({"networks": [{"mode": "container/bridge"}]})),
            Mode::Bridge
        );
        assert_eq!(
            mode(serde_json::json!({"networks": [{"name": "dcos"}]})),
            Mode::Container
        );
        assert_eq!(
            mode(serde_json::json!({"networks": [{"mode": "host"}]})),
            Mode::Host
        );
        assert_eq!(
            mode(serde_json::json!({"networks": [{"mode": "weird"}]})),
            Mode::Other
        );
    }
}
