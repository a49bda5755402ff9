//! `dcos lb lint`: what in an app JSON would stop or break a zero-downtime
//! deploy, found before anything is sent (pure: no I/O, no clock). Each
//! offline check here is a small function of the app JSON returning its
//! [`Finding`]s, and [`offline`] runs them all; the checks that judge what
//! the cluster answered live in [`cluster`].

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use serde::Serialize;
use serde_json::{Value, json};

use crate::deploy::plan::{self, BuildOptions};
use crate::marathon::labels;
use crate::marathon::types::App;
use crate::render::{self, Apps, RenderOptions, Templates, rules};

pub mod cluster;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The deploy would be refused or would not be zero-downtime.
    Error,
    /// The deploy may stop or lose requests.
    Warning,
    /// Worth knowing; nothing to fix.
    Note,
}

impl Severity {
    /// The word shown in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Note => "note",
        }
    }
}

/// One thing lint found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How much it matters.
    pub severity: Severity,
    /// The check that found it (`labels`, `ports`, `health`, `names`, `render`).
    pub check: &'static str,
    /// What is wrong.
    pub message: String,
    /// Why it matters for a zero-downtime deploy.
    pub why: String,
    /// How to fix it.
    pub fix: String,
}

impl Finding {
    fn new(
        severity: Severity,
        check: &'static str,
        message: impl Into<String>,
        why: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            check,
            message: message.into(),
            why: why.into(),
            fix: fix.into(),
        }
    }
}

/// What the deploy that lint anticipates would be run with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The deploy's `--max-wait` in seconds.
    pub max_wait: u64,
}

/// Every offline check on a user's app JSON, errors first.
pub fn offline(app: &Value, opts: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(deployment_group(app));
    findings.extend(alt_port(app));
    findings.extend(haproxy_group(app));
    findings.extend(service_ports(app));
    findings.extend(health_checks(app));
    findings.extend(health_timing(app, opts.max_wait));
    findings.extend(names(app));
    if !findings.iter().any(|f| f.severity == Severity::Error) {
        findings.extend(render_check(app));
    }
    findings.sort_by_key(|f| f.severity);
    findings
}

fn label<'a>(app: &'a Value, key: &str) -> Option<&'a Value> {
    app.get("labels").and_then(|l| l.get(key))
}

/// The deployment group, trimmed of `/`, when it names one.
fn group_of(app: &Value) -> Option<&str> {
    label(app, labels::DEPLOYMENT_GROUP)
        .and_then(Value::as_str)
        .filter(|g| !g.trim_matches('/').is_empty())
}

/// `HAPROXY_DEPLOYMENT_GROUP` is a non-empty string.
pub fn deployment_group(app: &Value) -> Option<Finding> {
    if group_of(app).is_some() {
        return None;
    }
    let message = match label(app, labels::DEPLOYMENT_GROUP) {
        None => "the label HAPROXY_DEPLOYMENT_GROUP is missing".to_string(),
        Some(found) => format!("HAPROXY_DEPLOYMENT_GROUP is {found}, not a group name"),
    };
    Some(Finding::new(
        Severity::Error,
        "labels",
        message,
        "the group pairs the blue and the green app and names the HAProxy backend both share; \
         deploy (as zdd.py) refuses an app without it",
        "add \"HAPROXY_DEPLOYMENT_GROUP\": \"<service name>\" to labels, the same for every version",
    ))
}

/// `HAPROXY_DEPLOYMENT_ALT_PORT` is a JSON string holding a port number
/// other than the service port.
pub fn alt_port(app: &Value) -> Option<Finding> {
    let why = "the new colour listens on the alternate service port while the old one still \
               serves on the service port; without a valid one the deploy is refused";
    let finding = |message: String, fix: String| {
        Some(Finding::new(Severity::Error, "labels", message, why, fix))
    };
    let Some(found) = label(app, labels::DEPLOYMENT_ALT_PORT) else {
        return finding(
            "the label HAPROXY_DEPLOYMENT_ALT_PORT is missing".into(),
            "add \"HAPROXY_DEPLOYMENT_ALT_PORT\": \"<free service port>\" to labels".into(),
        );
    };
    if !found.is_string() {
        return finding(
            format!(
                "HAPROXY_DEPLOYMENT_ALT_PORT is {found}, but Marathon takes only strings as label values"
            ),
            format!("write \"HAPROXY_DEPLOYMENT_ALT_PORT\": \"{found}\""),
        );
    }
    let port = plan::label_u32_value(app, labels::DEPLOYMENT_ALT_PORT);
    let Some(port @ 1..=65_535) = port else {
        return finding(
            format!("HAPROXY_DEPLOYMENT_ALT_PORT is {found}, not a port number from 1 to 65535"),
            "set it to a free service port, e.g. the service port + 1".into(),
        );
    };
    if plan::service_port(app) == Some(port) {
        return finding(
            format!("HAPROXY_DEPLOYMENT_ALT_PORT ({port}) is the service port"),
            "choose a different, free service port for HAPROXY_DEPLOYMENT_ALT_PORT".into(),
        );
    }
    None
}

/// `HAPROXY_GROUP` says which marathon-lb serves the app.
pub fn haproxy_group(app: &Value) -> Option<Finding> {
    match label(app, labels::GROUP).and_then(Value::as_str) {
        Some(groups) if !groups.trim().is_empty() => None,
        _ => Some(Finding::new(
            Severity::Warning,
            "labels",
            "the label HAPROXY_GROUP is missing",
            "a marathon-lb started with --group external (or any group but '*') leaves the app out, \
             so no LB routes to the new tasks and the deploy cannot drain the old ones",
            "add \"HAPROXY_GROUP\": \"external\" (or the --group of your marathon-lb) to labels",
        )),
    }
}

/// Exactly one service port, and a fixed one.
pub fn service_ports(app: &Value) -> Option<Finding> {
    let count = plan::service_port_count(app);
    let where_ = "portDefinitions, container.portMappings or ports";
    if count == 0 {
        return Some(Finding::new(
            Severity::Error,
            "ports",
            format!("the app has no service port ({where_})"),
            "marathon-lb builds the backend from the service port; without one nothing routes to the app",
            "add one, e.g. \"portDefinitions\": [{\"port\": 10000}]",
        ));
    }
    if count > 1 {
        return Some(Finding::new(
            Severity::Error,
            "ports",
            format!("the app has {count} service ports; a blue/green deploy handles exactly one"),
            "only the first port alternates with HAPROXY_DEPLOYMENT_ALT_PORT: the others would be \
             the same on both colours, which Marathon refuses or marathon-lb routes to one colour only",
            "keep one service port, or deploy each port as its own app",
        ));
    }
    if !fixed_port(app) {
        return Some(Finding::new(
            Severity::Warning,
            "ports",
            "the service port is 0 or not given (Marathon picks one)",
            "a first deploy needs a fixed service port (marathon-lb keeps one backend per port); \
             later deploys reuse the group's port; the render check is skipped",
            "set servicePort/port to a free service port, e.g. 10000",
        ));
    }
    None
}

/// Whether the app names its service port (not 0, not left out).
fn fixed_port(app: &Value) -> bool {
    plan::service_port(app).is_some_and(|p| p > 0)
}

/// The protocols for which Marathon fills in `portIndex` 0 when the check
/// names no port, so that marathon-lb picks the check up.
const PORT_PROTOCOLS: [&str; 6] = [
    "HTTP",
    "HTTPS",
    "TCP",
    "MESOS_HTTP",
    "MESOS_HTTPS",
    "MESOS_TCP",
];

fn checks(app: &Value) -> &[Value] {
    app.get("healthChecks")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The check marathon-lb renders for port index 0 (its `get_health_check`:
/// the first with a truthy `port` or with `portIndex` 0, which Marathon
/// fills in for port-based protocols).
fn lb_check(app: &Value) -> Option<&Value> {
    checks(app).iter().find(|c| {
        let port = c.get("port").and_then(Value::as_u64).is_some_and(|p| p > 0);
        let index = match c.get("portIndex") {
            Some(i) => i.as_u64() == Some(0),
            None => c
                .get("protocol")
                .and_then(Value::as_str)
                .is_none_or(|p| PORT_PROTOCOLS.contains(&p)),
        };
        port || index
    })
}

/// At least one health check, and one marathon-lb turns into HAProxy checks.
pub fn health_checks(app: &Value) -> Option<Finding> {
    if checks(app).is_empty() {
        return Some(Finding::new(
            Severity::Error,
            "health",
            "the app has no health check",
            "without one a new task counts as healthy as soon as it runs, so old tasks are drained \
             and killed before the new ones can serve",
            "add a healthChecks entry, e.g. {\"protocol\": \"MESOS_HTTP\", \"path\": \"/health\", \"portIndex\": 0}",
        ));
    }
    let Some(check) = lb_check(app) else {
        return Some(Finding::new(
            Severity::Warning,
            "health",
            "no health check is on the service port (port index 0): HAProxy will not check the servers",
            "marathon-lb renders `check` lines only from a check on the service's port; new tasks \
             get traffic as soon as marathon-lb lists them (with --health-check: once Marathon says healthy)",
            "add a MESOS_HTTP/HTTP/TCP check with \"portIndex\": 0",
        ));
    };
    let protocol = check
        .get("protocol")
        .and_then(Value::as_str)
        .unwrap_or("HTTP");
    let how = if protocol == "HTTP" {
        let path = check.get("path").and_then(Value::as_str).unwrap_or("/");
        format!("with `option httpchk GET {path}` (the backend is in http mode)")
    } else {
        "with a TCP connect (the backend is in tcp mode)".to_string()
    };
    Some(Finding::new(
        Severity::Note,
        "health",
        format!("HAProxy checks the servers {how}, from the {protocol} health check"),
        "HAProxy sends a new server traffic once this check passes; a marathon-lb run with \
         --health-check lists the server only after Marathon reports it healthy",
        "nothing to fix",
    ))
}

/// Marathon's defaults for a health check's timing fields.
const DEFAULT_GRACE: u64 = 300;
const DEFAULT_INTERVAL: u64 = 60;
const DEFAULT_FAILURES: u64 = 3;
const DEFAULT_TIMEOUT: u64 = 20;

/// Each check's worst time to healthy (grace period, then interval ×
/// failures) against the deploy's `--max-wait`.
pub fn health_timing(app: &Value, max_wait: u64) -> Vec<Finding> {
    checks(app)
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let field = |key: &str, default: u64| c.get(key).and_then(Value::as_u64).unwrap_or(default);
            let grace = field("gracePeriodSeconds", DEFAULT_GRACE);
            let interval = field("intervalSeconds", DEFAULT_INTERVAL);
            let failures = field("maxConsecutiveFailures", DEFAULT_FAILURES);
            let worst = grace.saturating_add(interval.saturating_mul(failures));
            (worst > max_wait).then(|| {
                Finding::new(
                    Severity::Warning,
                    "health",
                    format!(
                        "healthChecks[{i}]: a new task may take up to {worst} s to become healthy \
                         (grace {grace} s + {failures} × {interval} s), more than --max-wait {max_wait} s"
                    ),
                    "a deploy stops (exit 10, resumable) when nothing progresses for --max-wait, \
                     while Marathon still waits for a slow task; missing fields take Marathon's defaults \
                     (grace 300 s, interval 60 s, 3 failures)",
                    format!(
                        "lower gracePeriodSeconds/intervalSeconds to what the app needs, or deploy with --max-wait {worst}"
                    ),
                )
            })
        })
        .collect()
}

/// DNS labels (Mesos-DNS names of the app) stop at 63 characters.
const DNS_LABEL_MAX: usize = 63;

/// The longest colour suffix a deploy adds to the app id.
const COLOUR_SUFFIX: &str = "-green";

/// Whether HAProxy accepts a character in a proxy name.
fn haproxy_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')
}

/// The app id, the backend name and the characters marathon-lb rewrites.
pub fn names(app: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    let id = app.get("id").and_then(Value::as_str).unwrap_or("");
    let last = id.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    if last.is_empty() {
        out.push(Finding::new(
            Severity::Error,
            "names",
            "the app has no id",
            "the deploy names the new app <id>-blue or <id>-green",
            "add \"id\": \"/my-service\"",
        ));
    } else if last.len() + COLOUR_SUFFIX.len() > DNS_LABEL_MAX {
        out.push(Finding::new(
            Severity::Warning,
            "names",
            format!(
                "the app id's last part {last:?} is {} characters; with {COLOUR_SUFFIX} it exceeds the {DNS_LABEL_MAX} of a DNS label",
                last.len()
            ),
            "the new colour's Mesos-DNS name would not resolve, so clients that use it lose the app mid-deploy",
            format!("shorten it to at most {} characters", DNS_LABEL_MAX - COLOUR_SUFFIX.len()),
        ));
    }
    let (Some(group), Some(port)) = (group_of(app), plan::service_port(app)) else {
        return out;
    };
    let backend = rules::group_backend_name(group, port);
    let bad: String = backend.chars().filter(|c| !haproxy_name_char(*c)).collect();
    if !bad.is_empty() {
        out.push(Finding::new(
            Severity::Error,
            "names",
            format!("the backend name {backend:?} holds characters HAProxy refuses: {bad:?}"),
            "marathon-lb rewrites only `/` in the group; HAProxy then rejects the whole config and \
             marathon-lb keeps its old one, for every app it serves",
            "use only letters, digits, `-`, `_`, `.` and `/` in HAPROXY_DEPLOYMENT_GROUP",
        ));
    } else if group.trim_start_matches('/').contains('/') {
        out.push(Finding::new(
            Severity::Note,
            "names",
            format!(
                "marathon-lb turns `/` into `_`: the group {group:?} becomes backend {backend}"
            ),
            "deploy watches that backend in each LB's stats to prove the old tasks drained",
            "nothing to fix",
        ));
    }
    out
}

/// The agent the stand-in task of [`render_check`] runs on.
const LINT_HOST: &str = "agent.lint";

/// The app as the deploy would create it after `previous` (the group's
/// app, if any), with one running task on [`LINT_HOST`] per service port.
fn new_colour(app: &Value, previous: Option<&App>) -> Result<Value, plan::PlanError> {
    let options = BuildOptions {
        initial_instances: 1,
        new_instances: 0,
        surge: false,
        started_at: "2000-01-01T00:00:00+00:00".into(),
    };
    let mut new = plan::build_new_app(app, previous, &options)?.json;
    if let Some(checks) = new.get_mut("healthChecks").and_then(Value::as_array_mut) {
        checks.iter_mut().for_each(with_marathon_defaults);
    }
    let ports: Vec<u32> = (0..plan::service_port_count(&new))
        .map(|i| 31_000 + i as u32)
        .collect();
    new["tasks"] = json!([{
        "id": "lint.task",
        "host": LINT_HOST,
        "state": "TASK_RUNNING",
        "ports": ports,
        "ipAddresses": [{"ipAddress": "10.0.0.2"}],
        "healthCheckResults": [{"alive": true}],
    }]);
    Ok(new)
}

/// Renders a `/v2/apps` body as a marathon-lb with `--group` each of
/// `groups` would. Every task host resolves (to a stand-in address, the
/// same for the same name), so no app is left out for want of DNS.
fn render_all(body: &Value, groups: Vec<String>) -> Result<String, render::RenderError> {
    let opts = RenderOptions {
        groups,
        ..RenderOptions::default()
    };
    let mut hosts = BTreeMap::from([(LINT_HOST.to_string(), Ipv4Addr::new(10, 0, 0, 1))]);
    let task_hosts = body["apps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|app| app["tasks"].as_array())
        .flatten()
        .filter_map(|task| task["host"].as_str());
    for host in task_hosts {
        let next = u32::from(Ipv4Addr::new(10, 0, 0, 2)) + hosts.len() as u32;
        hosts
            .entry(host.to_string())
            .or_insert_with(|| Ipv4Addr::from(next));
    }
    let apps = Apps::from_value(body)?;
    let rendered = render::render(
        &apps,
        &opts,
        &Templates::new(&BTreeMap::new(), &BTreeMap::new()),
        &hosts,
    )?;
    Ok(rendered.haproxy_cfg)
}

/// The names of the proxies of one kind (`frontend `, `backend `) that
/// serve apps (not marathon-lb's own `marathon_*`).
fn proxies(cfg: &str, kind: &str) -> Vec<String> {
    cfg.lines()
        .filter_map(|l| l.strip_prefix(kind))
        .filter(|name| !name.starts_with("marathon_"))
        .map(str::to_string)
        .collect()
}

/// A health check as Marathon returns it to marathon-lb: the timing
/// fields, the protocol and (for port-based protocols without a `port`)
/// `portIndex` filled in with Marathon's defaults.
fn with_marathon_defaults(check: &mut Value) {
    let Some(fields) = check.as_object_mut() else {
        return;
    };
    for (key, default) in [
        ("gracePeriodSeconds", DEFAULT_GRACE),
        ("intervalSeconds", DEFAULT_INTERVAL),
        ("timeoutSeconds", DEFAULT_TIMEOUT),
        ("maxConsecutiveFailures", DEFAULT_FAILURES),
    ] {
        fields.entry(key).or_insert(json!(default));
    }
    let protocol = fields.entry("protocol").or_insert(json!("HTTP"));
    let port_based = protocol
        .as_str()
        .is_some_and(|p| PORT_PROTOCOLS.contains(&p));
    if port_based && !fields.contains_key("port") {
        fields.entry("portIndex").or_insert(json!(0));
    }
}

/// Renders the app as the deploy would create it; a render error is an
/// error, else the frontend and backend marathon-lb would produce.
pub fn render_check(app: &Value) -> Option<Finding> {
    if !fixed_port(app) {
        return None;
    }
    let failed = |message: String| {
        Some(Finding::new(
            Severity::Error,
            "render",
            message,
            "marathon-lb fails on the same input and keeps its old config for every app, so the new \
             colour never gets traffic",
            "fix the field or label named in the message",
        ))
    };
    let body = match new_colour(app, None) {
        Ok(new) => json!({ "apps": [new] }),
        Err(e) => return failed(format!("the deploy would refuse the app: {e}")),
    };
    let cfg = match render_all(&body, vec!["*".into()]) {
        Ok(cfg) => cfg,
        Err(e) => return failed(format!("marathon-lb's render fails: {e}")),
    };
    let (frontends, backends) = (proxies(&cfg, "frontend "), proxies(&cfg, "backend "));
    Some(Finding::new(
        Severity::Note,
        "render",
        format!(
            "marathon-lb renders frontend {} and backend {}",
            list(&frontends),
            list(&backends)
        ),
        "deploy proves drain on that backend in each LB's stats",
        "nothing to fix",
    ))
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "(none)".into()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests;
