//! From Marathon apps to load-balanced services (marathon-lb's `get_apps`):
//! per-port labels and tasks → servers here; the deployment-group merge
//! with draining in [`merge`], networking modes and service ports (incl.
//! IP-per-task auto-assignment) in [`ports`]. Pure: no I/O (host names go
//! through the caller's [`Resolver`]).

mod merge;
mod ports;

pub(crate) use merge::merge_deployment_groups;
use ports::{PortAssigner, app_task_ports, networking_mode, service_ports, task_ports};

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::Ipv4Addr;

use serde_json::Value;

use super::model::{App, Dict, Labels, Task};
use super::pyfmt::{Compiled, eq_int, label_bool, py_int, truthy};
use super::pyint::PyInt;
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
