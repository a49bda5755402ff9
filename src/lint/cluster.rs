//! `dcos lb lint`'s cluster checks: what Marathon's apps and deployments and
//! each marathon-lb's running config and stats page say about deploying an
//! app JSON (pure: the command reads them, these functions only judge).
//! A source that could not be read gives a note saying which checks were
//! skipped, never an error.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::{Finding, Severity, group_of, list, new_colour, proxies, render_all};
use crate::deploy::plan;
use crate::deploy::proof::{self, ProofChoice};
use crate::lb::client::LbProfile;
use crate::marathon::labels;
use crate::marathon::types::{App, Deployment};

/// What the cluster answered, each source read once.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// Marathon's apps with their tasks, or why they could not be read.
    pub apps: Result<Vec<App>, String>,
    /// The same apps as Marathon's JSON, as marathon-lb reads them (empty
    /// when they could not be read).
    pub raw_apps: Vec<Value>,
    /// Marathon's deployments, or why they could not be read.
    pub deployments: Result<Vec<Deployment>, String>,
    /// Every marathon-lb instance as read (worker and running config), or
    /// why none was found.
    pub lbs: Result<Vec<LbProfile>, String>,
}

/// What the deploy lint anticipates asks of the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Intent {
    /// `--surge`: the new app starts at full size beside the old one.
    pub surge: bool,
    /// `--drain-metric` is given.
    pub drain_metric: bool,
}

/// Every cluster check, in the order a reader wants them.
pub fn cluster(app: &Value, cluster: &Cluster, intent: Intent) -> Vec<Finding> {
    let mut out = Vec::new();
    match (&cluster.apps, &cluster.deployments) {
        (Ok(apps), Ok(deployments)) => out.extend(marathon(app, apps, deployments)),
        (Err(e), _) | (_, Err(e)) => out.push(skipped(
            "marathon",
            format!("Marathon could not be read ({e}): the port, deployment and group checks were skipped"),
        )),
    }
    if let Ok(apps) = &cluster.apps {
        out.extend(hybrid(app, apps));
        out.extend(render(app, apps, &cluster.raw_apps));
        if intent.surge {
            out.extend(surge_capacity(app, apps));
        }
    }
    match &cluster.lbs {
        Ok(lbs) if !lbs.is_empty() => {
            out.extend(unreachable(lbs));
            out.push(drain_proof(lbs, intent));
            out.extend(long_lived(lbs));
            if let Ok(apps) = &cluster.apps {
                out.extend(served(app, apps, lbs));
                out.extend(stale(app, apps, lbs));
            }
        }
        Ok(_) => out.push(skipped(
            "lb",
            "no marathon-lb instance was found: the LB checks were skipped".into(),
        )),
        Err(e) => out.push(skipped(
            "lb",
            format!(
                "the marathon-lb instances could not be found ({e}): the LB checks were skipped"
            ),
        )),
    }
    out
}

/// The checks `deploy` and `split` run before their first write: they
/// need only the two Marathon reads the deploy makes anyway.
pub fn marathon(app: &Value, apps: &[App], deployments: &[Deployment]) -> Vec<Finding> {
    let mut out = ports_in_use(app, apps);
    out.extend(deployment_in_progress(app, apps, deployments));
    out
}

fn skipped(check: &'static str, message: String) -> Finding {
    Finding::new(
        Severity::Note,
        check,
        message,
        "lint could not see that part of the cluster; the deploy will read it again",
        "check the cluster URL, the token and -l/--lb-app, or use --offline",
    )
}

/// Trimmed of `/`, as the deploy compares groups.
fn same_group(a: &str, b: &str) -> bool {
    a.trim_matches('/') == b.trim_matches('/')
}

fn in_group<'a>(apps: &'a [App], group: &str) -> Vec<&'a App> {
    apps.iter()
        .filter(|a| {
            a.label(labels::DEPLOYMENT_GROUP)
                .is_some_and(|g| same_group(g, group))
        })
        .collect()
}

/// Every service port an app of Marathon holds, in any of the fields
/// Marathon keeps them in.
fn service_ports_of(app: &App) -> BTreeSet<u32> {
    let mut ports: BTreeSet<u32> = app.ports.iter().copied().collect();
    let from = |list: Option<&Value>, key: &str| -> Vec<u32> {
        list.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| p.get(key).and_then(Value::as_u64))
            .filter_map(|p| u32::try_from(p).ok())
            .collect()
    };
    let definitions = Value::Array(app.port_definitions.clone());
    ports.extend(from(Some(&definitions), "port"));
    if let Some(container) = &app.container {
        ports.extend(from(container.get("portMappings"), "servicePort"));
        ports.extend(from(
            container.get("docker").and_then(|d| d.get("portMappings")),
            "servicePort",
        ));
    }
    ports.remove(&0);
    ports
}

/// The service port and `HAPROXY_DEPLOYMENT_ALT_PORT` are held by no app
/// outside the group, as a service port or as another group's alternate.
pub fn ports_in_use(app: &Value, apps: &[App]) -> Vec<Finding> {
    let Some(group) = group_of(app) else {
        return Vec::new();
    };
    let alt = plan::label_u32_value(app, labels::DEPLOYMENT_ALT_PORT);
    let wanted = [
        ("the service port", plan::service_port(app)),
        ("HAPROXY_DEPLOYMENT_ALT_PORT", alt),
    ];
    let mut out = Vec::new();
    for (what, port) in wanted {
        let Some(port) = port.filter(|p| *p > 0) else {
            continue;
        };
        for other in apps {
            let other_group = other.label(labels::DEPLOYMENT_GROUP);
            if other_group.is_some_and(|g| same_group(g, group)) {
                continue;
            }
            let holds = if service_ports_of(other).contains(&port) {
                "a service port"
            } else if plan::label_u32(other, labels::DEPLOYMENT_ALT_PORT) == Some(port) {
                "the HAPROXY_DEPLOYMENT_ALT_PORT"
            } else {
                continue;
            };
            out.push(Finding::new(
                Severity::Error,
                "ports",
                format!("{what} {port} is {holds} of {} in Marathon", other.id),
                "the two colours take turns on the service port and the alternate port; a port \
                 another app holds makes Marathon refuse the new app, or gives marathon-lb two apps \
                 on one frontend",
                format!("choose a {what} that no other app uses (not {port})"),
            ));
        }
    }
    out
}

/// A Marathon deployment that touches the group's apps.
pub fn deployment_in_progress(
    app: &Value,
    apps: &[App],
    deployments: &[Deployment],
) -> Vec<Finding> {
    let Some(group) = group_of(app) else {
        return Vec::new();
    };
    let ids: BTreeSet<&str> = in_group(apps, group)
        .into_iter()
        .map(|a| a.id.as_str())
        .collect();
    deployments
        .iter()
        .filter_map(|d| {
            let touched: Vec<&str> = d
                .affected_apps
                .iter()
                .map(String::as_str)
                .filter(|id| ids.contains(id))
                .collect();
            (!touched.is_empty()).then(|| {
                Finding::new(
                    Severity::Warning,
                    "marathon",
                    format!(
                        "Marathon deployment {} is in progress for {}",
                        d.id,
                        touched.join(", ")
                    ),
                    "Marathon locks an app while it deploys it (409): the deploy waits for the lock \
                     and stops resumably at --max-wait if it is not released",
                    format!(
                        "wait for it (`dcos lb deployment watch {}`), or roll it back with `dcos marathon deployment rollback {}`",
                        d.id, d.id
                    ),
                )
            })
        })
        .collect()
}

/// Two apps of the group: a deploy or split that did not finish.
pub fn hybrid(app: &Value, apps: &[App]) -> Option<Finding> {
    let group = group_of(app)?;
    let members = in_group(apps, group);
    if members.len() < 2 {
        return None;
    }
    let split = members
        .iter()
        .any(|a| plan::label_u32(a, labels::DEPLOYMENT_NEW_INSTANCES).is_some_and(|n| n > 0));
    let ids: Vec<&str> = members.iter().map(|a| a.id.as_str()).collect();
    let (what, fix) = if split {
        (
            "a split",
            format!("`dcos lb promote {group}` finishes it; `dcos lb rollback {group}` goes back"),
        )
    } else {
        (
            "a deploy",
            format!(
                "`dcos lb deploy --resume APP.json` finishes it; `dcos lb rollback {group}` goes back"
            ),
        )
    };
    Some(Finding::new(
        Severity::Error,
        "marathon",
        format!(
            "group {group} is in the middle of {what}: {} are both in Marathon",
            ids.join(" and ")
        ),
        "a new deploy of a group in a hybrid state is refused (as zdd.py: \"an existing \
         deployment in progress\"), so that no colour is lost",
        fix,
    ))
}

/// `--surge` runs the old app and the new one at full size together.
pub fn surge_capacity(app: &Value, apps: &[App]) -> Option<Finding> {
    let group = group_of(app)?;
    let old: Vec<&App> = in_group(apps, group);
    let number = |key: &str| app.get(key).and_then(Value::as_f64).unwrap_or(0.0);
    let instances = app.get("instances").and_then(Value::as_u64).unwrap_or(1) as f64;
    let (old_cpus, old_mem) = old.iter().fold((0.0, 0.0), |(c, m), a| {
        (
            c + a.cpus * f64::from(a.instances),
            m + a.mem * f64::from(a.instances),
        )
    });
    let (new_cpus, new_mem) = (number("cpus") * instances, number("mem") * instances);
    Some(Finding::new(
        Severity::Note,
        "capacity",
        format!(
            "--surge runs both colours at full size: {:.2} cpus and {:.0} MiB at the peak \
             ({:.2} cpus, {:.0} MiB new + {:.2} cpus, {:.0} MiB old)",
            new_cpus + old_cpus,
            new_mem + old_mem,
            new_cpus,
            new_mem,
            old_cpus,
            old_mem
        ),
        "new tasks that find no agent with room stay waiting, and the deploy stops at --max-wait",
        "check the agents' free resources (`dcos node`), or deploy without --surge (steps of \
         --initial-instances)",
    ))
}

/// An LB whose stats page did not answer.
pub fn unreachable(lbs: &[LbProfile]) -> Vec<Finding> {
    lbs.iter()
        .filter_map(|lb| {
            let e = lb.worker.as_ref().err()?;
            Some(Finding::new(
                Severity::Warning,
                "lb",
                format!("marathon-lb at {} does not answer: {e}", lb.url),
                "the deploy proves drain on every LB, so it waits for this one and stops \
                 resumably at --max-wait",
                "fix or restart that marathon-lb, or name only the live ones with -l URL",
            ))
        })
        .collect()
}

/// How drain will be proved, from the LBs' thread counts.
pub fn drain_proof(lbs: &[LbProfile], intent: Intent) -> Finding {
    let (severity, message) = match proof::choose(ProofChoice::Auto, intent.drain_metric, lbs) {
        Ok((_, why)) => (Severity::Note, why),
        Err(e) => (Severity::Warning, format!("{}: {}", e.message, e.hint)),
    };
    Finding::new(
        severity,
        "lb",
        message,
        "marathon-lb's /_haproxy_getpids forks inside HAProxy; with more than one HAProxy thread \
         that may break live requests, so the deploy proves drain another way",
        "nothing to fix; `--drain-proof` and `--drain-metric` choose another proof",
    )
}

/// A setting of the running config, as written (`timeout tunnel`, …).
fn setting<'a>(config: &'a str, name: &str) -> Option<&'a str> {
    config.lines().find_map(|line| {
        let rest = line.trim().strip_prefix(name)?;
        rest.starts_with(char::is_whitespace).then(|| rest.trim())
    })
}

/// `timeout tunnel` without `hard-stop-after`: upgraded connections keep
/// old workers alive.
pub fn long_lived(lbs: &[LbProfile]) -> Vec<Finding> {
    lbs.iter()
        .filter_map(|lb| {
            let config = lb.config.as_ref().ok()?;
            let tunnel = setting(config, "timeout tunnel")?;
            let (severity, effect) = match setting(config, "hard-stop-after") {
                Some(stop) => (
                    Severity::Note,
                    format!("hard-stop-after {stop} ends an old worker and its connections sooner"),
                ),
                None => (
                    Severity::Warning,
                    "no hard-stop-after ends an old worker sooner".to_string(),
                ),
            };
            Some(Finding::new(
                severity,
                "lb",
                format!(
                    "marathon-lb at {} keeps WebSocket and other upgraded connections for timeout tunnel {tunnel}; {effect}",
                    lb.url
                ),
                "a long-lived connection holds the old HAProxy worker, and its old task, after \
                 each reload: the pids proof waits for it (the deploy stops at --max-wait), the \
                 horizon proof's kill cuts it",
                "let clients reconnect (they must survive a reload anyway), set hard-stop-after in \
                 HAPROXY_HEAD, or give the app a --drain-metric that counts its connections",
            ))
        })
        .collect()
}

/// The `server` lines of a running config.
fn servers(config: &str) -> impl Iterator<Item = &str> {
    config
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("server "))
}

/// Whether a running config has a server line for a task's first port.
fn lists(config: &str, task: &crate::marathon::types::Task) -> bool {
    let Some(port) = task.ports.first() else {
        return false;
    };
    let suffix = format!(":{port}");
    servers(config).any(|line| {
        line.split_whitespace()
            .nth(2)
            .is_some_and(|addr| addr.ends_with(&suffix))
    })
}

/// The apps of Marathon a running config routes to.
fn routed<'a>(config: &str, apps: &'a [App]) -> Vec<&'a App> {
    apps.iter()
        .filter(|a| a.tasks.iter().any(|t| lists(config, t)))
        .collect()
}

fn groups_of(haproxy_group: Option<&str>) -> BTreeSet<String> {
    haproxy_group
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_string)
        .collect()
}

/// Some marathon-lb serves one of the app's `HAPROXY_GROUP`s: seen from
/// the apps each running config routes to (marathon-lb's `--group` is not
/// in its config).
pub fn served(app: &Value, apps: &[App], lbs: &[LbProfile]) -> Option<Finding> {
    let wanted = groups_of(
        app.get("labels")
            .and_then(|l| l.get(labels::GROUP))
            .and_then(Value::as_str),
    );
    if wanted.is_empty() {
        return None;
    }
    let mut seen = BTreeSet::new();
    let mut serving = Vec::new();
    for lb in lbs {
        let Ok(config) = &lb.config else { continue };
        let groups: BTreeSet<String> = routed(config, apps)
            .into_iter()
            .flat_map(|a| groups_of(a.label(labels::GROUP)))
            .collect();
        if groups.intersection(&wanted).next().is_some() {
            serving.push(lb.url.as_str());
        }
        seen.extend(groups);
    }
    let wanted_list = wanted.iter().cloned().collect::<Vec<_>>().join(",");
    if !serving.is_empty() {
        return Some(Finding::new(
            Severity::Note,
            "lb",
            format!(
                "HAPROXY_GROUP {wanted_list} is served by marathon-lb at {}",
                serving.join(", ")
            ),
            "those LBs route the app's service port; the deploy proves drain on them",
            "nothing to fix",
        ));
    }
    if seen.is_empty() {
        return Some(Finding::new(
            Severity::Note,
            "lb",
            format!(
                "no running config routes an app yet, so which --group serves {wanted_list} is unknown"
            ),
            "marathon-lb's --group is not in its config; lint reads it from the apps each LB routes",
            "check marathon-lb's --group, or deploy once and lint again",
        ));
    }
    let seen_list = seen.into_iter().collect::<Vec<_>>().join(", ");
    Some(Finding::new(
        Severity::Error,
        "lb",
        format!("no marathon-lb serves HAPROXY_GROUP {wanted_list}; they serve {seen_list}"),
        "no LB would route the new tasks, and the deploy could not drain the old ones",
        format!(
            "set HAPROXY_GROUP to one of {seen_list}, or run a marathon-lb with --group {wanted_list}"
        ),
    ))
}

/// An LB that routes the group but lacks a running, healthy task of it:
/// its config is older than Marathon's state (stuck reloading, or behind).
pub fn stale(app: &Value, apps: &[App], lbs: &[LbProfile]) -> Vec<Finding> {
    let Some(group) = group_of(app) else {
        return Vec::new();
    };
    let live: Vec<&crate::marathon::types::Task> = in_group(apps, group)
        .into_iter()
        .flat_map(|a| a.tasks.iter())
        .filter(|t| t.is_running() && t.all_alive() && !t.ports.is_empty())
        .collect();
    lbs.iter()
        .filter_map(|lb| {
            let config = lb.config.as_ref().ok()?;
            if !live.iter().any(|t| lists(config, t)) {
                return None;
            }
            let missing: Vec<&str> = live
                .iter()
                .filter(|t| !lists(config, t))
                .map(|t| t.id.as_str())
                .collect();
            (!missing.is_empty()).then(|| {
                Finding::new(
                    Severity::Warning,
                    "lb",
                    format!(
                        "marathon-lb at {}'s running config lacks {} healthy task(s) of group {group}: {}",
                        lb.url,
                        missing.len(),
                        missing.join(", ")
                    ),
                    "its config is older than Marathon's state: a marathon-lb stuck reloading never \
                     routes the new colour, so the deploy would wait for it and stop at --max-wait",
                    "lint again in a few seconds; if it stays, read that marathon-lb's log and \
                     `dcos lb status`",
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;

/// Renders what marathon-lb will load once the deploy has run: Marathon's
/// apps with the group's apps replaced by the new colour, for the app's
/// `HAPROXY_GROUP`s. A render error, or a port two proxies bind, is an
/// error. Skipped for a hybrid group ([`hybrid`] says how to finish it)
/// and for an app the deploy refuses (the offline checks say why).
pub fn render(app: &Value, apps: &[App], raw_apps: &[Value]) -> Option<Finding> {
    let group = group_of(app)?;
    let current = in_group(apps, group);
    if current.len() > 1 {
        return None;
    }
    let new = new_colour(app, current.first().copied()).ok()?;
    let others: Vec<Value> = raw_apps
        .iter()
        .filter(|a| {
            !a["labels"][labels::DEPLOYMENT_GROUP]
                .as_str()
                .is_some_and(|g| same_group(g, group))
        })
        .cloned()
        .collect();
    let other_count = others.len();
    let mut body = others;
    body.push(new);
    let mut groups: Vec<String> = groups_of(
        app.get("labels")
            .and_then(|l| l.get(labels::GROUP))
            .and_then(Value::as_str),
    )
    .into_iter()
    .collect();
    if groups.is_empty() {
        groups.push("*".into());
    }
    let failed = |message: String, fix: String| {
        Some(Finding::new(
            Severity::Error,
            "render",
            message,
            "marathon-lb cannot load that config: it keeps its old one for every app, so the new \
             colour never gets traffic",
            fix,
        ))
    };
    let cfg = match render_all(&json!({ "apps": body }), groups.clone()) {
        Ok(cfg) => cfg,
        Err(e) => {
            return failed(
                format!("with Marathon's other apps, marathon-lb's render fails: {e}"),
                "fix the field or label named in the message (in this app or the one named)".into(),
            );
        }
    };
    let clashes: Vec<String> = binds(&cfg)
        .into_iter()
        .filter(|(_, proxies)| proxies.len() > 1)
        .map(|(port, proxies)| format!("port {port} is bound by {}", proxies.join(" and ")))
        .collect();
    if !clashes.is_empty() {
        return failed(
            format!(
                "with Marathon's other apps, the rendered config binds a port twice: {}",
                clashes.join("; ")
            ),
            "give the app a service port no other frontend binds (HAPROXY_0_PORT or the port \
             definition)"
                .into(),
        );
    }
    let (frontends, backends) = (proxies(&cfg, "frontend "), proxies(&cfg, "backend "));
    Some(Finding::new(
        Severity::Note,
        "render",
        format!(
            "with Marathon's {other_count} other app(s), marathon-lb --group {} renders frontends \
             {} and backends {}",
            groups.join(","),
            list(&frontends),
            list(&backends)
        ),
        "that is the config each LB serving the group loads once the deploy has finished",
        "nothing to fix; `dcos lb render --diff` shows it against a running LB",
    ))
}

/// The ports each `frontend` and `listen` section of a config binds.
fn binds(config: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut section: Option<&str> = None;
    for line in config.lines() {
        if !line.starts_with(' ') {
            section = line
                .strip_prefix("frontend ")
                .or_else(|| line.strip_prefix("listen "))
                .map(str::trim);
            continue;
        }
        let (Some(name), Some(address)) = (
            section,
            line.trim_start()
                .strip_prefix("bind ")
                .and_then(|rest| rest.split_whitespace().next()),
        ) else {
            continue;
        };
        if let Some((_, port)) = address.rsplit_once(':') {
            let names = out.entry(port.to_string()).or_default();
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    out
}
