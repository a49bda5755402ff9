//! App definitions as Marathon treats them: id normalisation and validation
//! (422 details), the defaults Marathon fills in, port and service-port
//! handling, health checks, upgrade strategy and `label=` selectors.

use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Marathon's regular expression for one id segment, quoted in 422 errors.
const ID_PATTERN: &str = r"^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])|(\.|\.\.)$";

/// First service port Marathon hands out for `servicePort`/`port` 0.
const FIRST_SERVICE_PORT: u64 = 10_000;

/// A validation problem: JSON pointer-like path and messages, as in Marathon's `details`.
pub type Violation = (String, String);

/// `"/" + id.trim_matches('/')`, like Marathon's `PathId` for absolute ids.
pub fn normalize_id(id: &str) -> String {
    format!("/{}", id.trim_matches('/'))
}

/// The id with `/` replaced by `_` and no leading `/`, as used in task ids.
pub fn id_for_task(app_id: &str) -> String {
    app_id.trim_start_matches('/').replace('/', "_")
}

/// Checks what Marathon would reject with 422 "Object is not valid".
pub fn validate(def: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    let Some(obj) = def.as_object() else {
        out.push(("/".to_owned(), "expected a JSON object".to_owned()));
        return out;
    };
    match obj.get("id").and_then(Value::as_str) {
        None | Some("" | "/") => out.push(("/id".to_owned(), "must not be empty".to_owned())),
        Some(id) => {
            let segments: Vec<&str> = id.trim_matches('/').split('/').collect();
            if segments.iter().any(|s| !valid_segment(s)) {
                out.push((
                    "/id".to_owned(),
                    format!("must fully match regular expression '{ID_PATTERN}'"),
                ));
            } else if segments
                .last()
                .is_some_and(|s| ["restart", "tasks", "versions"].contains(s))
            {
                out.push((
                    "/id".to_owned(),
                    "must not end with restart, tasks or versions".to_owned(),
                ));
            }
        }
    }
    if let Some(instances) = obj.get("instances") {
        match instances.as_i64() {
            Some(n) if n < 0 => out.push((
                "/instances".to_owned(),
                format!("got {n}, expected 0 or more"),
            )),
            Some(_) => {}
            None => out.push(("/instances".to_owned(), "expected an integer".to_owned())),
        }
    }
    if !["cmd", "args", "container"]
        .iter()
        .any(|k| obj.get(*k).is_some_and(|v| !v.is_null()))
    {
        out.push((
            "/".to_owned(),
            "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'."
                .to_owned(),
        ));
    }
    for key in ["minimumHealthCapacity", "maximumOverCapacity"] {
        if let Some(v) = def
            .pointer(&format!("/upgradeStrategy/{key}"))
            .and_then(Value::as_f64)
            && !(0.0..=1.0).contains(&v)
        {
            out.push((
                format!("/upgradeStrategy/{key}"),
                format!("got {v}, expected between 0.0 and 1.0"),
            ));
        }
    }
    let ports = port_specs(def).len();
    for (i, check) in obj
        .get("healthChecks")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let index = check.get("portIndex").and_then(Value::as_u64);
        let uses_port = check.get("port").is_none() && !is_command_check(check);
        if uses_port && usize::try_from(index.unwrap_or(0)).unwrap_or(usize::MAX) >= ports.max(1) {
            out.push((
                format!("/healthChecks({i})"),
                "Health check port indices must address an element of the ports array or container port mappings."
                    .to_owned(),
            ));
        }
    }
    out
}

/// One dot-separated id segment: lower-case letters, digits and inner dashes.
fn valid_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

fn is_command_check(check: &Value) -> bool {
    check.get("protocol").and_then(Value::as_str) == Some("COMMAND")
}

/// Fills in the fields Marathon adds to a stored app definition.
pub fn apply_defaults(def: &mut Value) {
    let Some(obj) = def.as_object_mut() else {
        return;
    };
    let id = obj
        .get("id")
        .and_then(Value::as_str)
        .map(normalize_id)
        .unwrap_or_default();
    obj.insert("id".to_owned(), Value::String(id));
    let defaults = json!({
        "instances": 1, "cpus": 1.0, "mem": 128.0, "disk": 0.0, "gpus": 0,
        "env": {}, "labels": {}, "constraints": [], "healthChecks": [],
        "backoffSeconds": 1, "backoffFactor": 1.15, "maxLaunchDelaySeconds": 300,
        "killSelection": "YOUNGEST_FIRST", "requirePorts": false,
    });
    for (key, value) in defaults.as_object().into_iter().flatten() {
        obj.entry(key.clone()).or_insert_with(|| value.clone());
    }
    let has_ports = obj.contains_key("portDefinitions")
        || obj.contains_key("ports")
        || obj.get("container").is_some_and(|c| mappings(c).is_some());
    if !has_ports {
        obj.insert(
            "portDefinitions".to_owned(),
            json!([{"port": 0, "protocol": "tcp"}]),
        );
    }
    let strategy = obj.entry("upgradeStrategy").or_insert_with(|| json!({}));
    if let Some(strategy) = strategy.as_object_mut() {
        strategy
            .entry("minimumHealthCapacity")
            .or_insert(json!(1.0));
        strategy.entry("maximumOverCapacity").or_insert(json!(1.0));
    }
    for check in obj
        .get_mut("healthChecks")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        let Some(check) = check.as_object_mut() else {
            continue;
        };
        let protocol = check
            .entry("protocol")
            .or_insert(json!("HTTP"))
            .as_str()
            .unwrap_or("HTTP")
            .to_owned();
        if protocol.contains("HTTP") {
            check.entry("path").or_insert(json!("/"));
        }
        if !check.contains_key("port") && protocol != "COMMAND" {
            check.entry("portIndex").or_insert(json!(0));
        }
        for (key, value) in [
            ("gracePeriodSeconds", 300),
            ("intervalSeconds", 60),
            ("timeoutSeconds", 20),
            ("maxConsecutiveFailures", 3),
            ("delaySeconds", 15),
        ] {
            check.entry(key).or_insert(json!(value));
        }
    }
}

/// The container's port mappings (`container.portMappings` or the older `container.docker.portMappings`).
fn mappings(container: &Value) -> Option<&Vec<Value>> {
    container
        .get("portMappings")
        .or_else(|| container.pointer("/docker/portMappings"))
        .and_then(Value::as_array)
}

/// One port of an app: its name and service port (0 = to be assigned).
#[derive(Clone, Debug, PartialEq)]
pub struct PortSpec {
    pub name: Option<String>,
    pub service_port: u64,
}

/// The app's ports in order: container port mappings, else `portDefinitions`, else legacy `ports`.
pub fn port_specs(def: &Value) -> Vec<PortSpec> {
    if let Some(list) = def.get("container").and_then(mappings) {
        return list.iter().map(|m| spec(m, "servicePort")).collect();
    }
    if let Some(list) = def.get("portDefinitions").and_then(Value::as_array) {
        return list.iter().map(|p| spec(p, "port")).collect();
    }
    def.get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| PortSpec {
            name: None,
            service_port: p.as_u64().unwrap_or(0),
        })
        .collect()
}

fn spec(entry: &Value, port_key: &str) -> PortSpec {
    PortSpec {
        name: entry.get("name").and_then(Value::as_str).map(str::to_owned),
        service_port: entry.get(port_key).and_then(Value::as_u64).unwrap_or(0),
    }
}

/// Replaces service ports given as 0 by free ones from 10000 up, as Marathon does; keeps given ones.
pub fn assign_service_ports(def: &mut Value, used: &mut BTreeSet<u64>) {
    used.extend(
        port_specs(def)
            .iter()
            .map(|p| p.service_port)
            .filter(|p| *p != 0),
    );
    let mut next = || {
        let port = (FIRST_SERVICE_PORT..)
            .find(|p| !used.contains(p))
            .unwrap_or(FIRST_SERVICE_PORT);
        used.insert(port);
        port
    };
    let (list, key) = if def.get("container").and_then(mappings).is_some() {
        let container = def.get_mut("container");
        let list = container.and_then(|c| {
            if c.get("portMappings").is_some() {
                c.get_mut("portMappings")
            } else {
                c.pointer_mut("/docker/portMappings")
            }
        });
        (list, "servicePort")
    } else if def.get("portDefinitions").is_some() {
        (def.get_mut("portDefinitions"), "port")
    } else {
        if let Some(ports) = def.get_mut("ports").and_then(Value::as_array_mut) {
            for port in ports.iter_mut().filter(|p| p.as_u64() == Some(0)) {
                *port = json!(next());
            }
        }
        return;
    };
    for entry in list.and_then(Value::as_array_mut).into_iter().flatten() {
        if let Some(entry) = entry.as_object_mut()
            && entry.get(key).and_then(Value::as_u64).unwrap_or(0) == 0
        {
            entry.insert(key.to_owned(), json!(next()));
        }
    }
}

/// A health check with Marathon's defaults applied, durations in seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct HealthCheck {
    pub protocol: String,
    pub path: String,
    pub port_index: usize,
    pub port: Option<u16>,
    pub grace_seconds: f64,
    pub interval_seconds: f64,
    pub timeout_seconds: f64,
    pub max_consecutive_failures: u64,
}

/// The app's health checks (after [`apply_defaults`]).
pub fn health_checks(def: &Value) -> Vec<HealthCheck> {
    let checks = def
        .get("healthChecks")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    checks
        .map(|c| {
            let num =
                |key: &str, default: f64| c.get(key).and_then(Value::as_f64).unwrap_or(default);
            HealthCheck {
                protocol: c
                    .get("protocol")
                    .and_then(Value::as_str)
                    .unwrap_or("HTTP")
                    .to_owned(),
                path: c
                    .get("path")
                    .and_then(Value::as_str)
                    .unwrap_or("/")
                    .to_owned(),
                port_index: c
                    .get("portIndex")
                    .and_then(Value::as_u64)
                    .and_then(|i| usize::try_from(i).ok())
                    .unwrap_or(0),
                port: c
                    .get("port")
                    .and_then(Value::as_u64)
                    .and_then(|p| u16::try_from(p).ok()),
                grace_seconds: num("gracePeriodSeconds", 300.0),
                interval_seconds: num("intervalSeconds", 60.0),
                timeout_seconds: num("timeoutSeconds", 20.0),
                max_consecutive_failures: c
                    .get("maxConsecutiveFailures")
                    .and_then(Value::as_u64)
                    .unwrap_or(3),
            }
        })
        .collect()
}

/// `(minimumHealthCapacity, maximumOverCapacity)` of the app.
pub fn upgrade_strategy(def: &Value) -> (f64, f64) {
    let get = |key: &str| {
        def.pointer(&format!("/upgradeStrategy/{key}"))
            .and_then(Value::as_f64)
            .unwrap_or(1.0)
    };
    (get("minimumHealthCapacity"), get("maximumOverCapacity"))
}

/// `instances` of the app definition.
pub fn instances(def: &Value) -> usize {
    def.get("instances")
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0)
}

/// Whether the app's labels satisfy a Marathon label selector: comma-separated
/// (AND) terms `k`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`.
pub fn matches_selector(selector: &str, labels: Option<&Map<String, Value>>) -> bool {
    let empty = Map::new();
    let labels = labels.unwrap_or(&empty);
    split_terms(selector).iter().all(|term| {
        let value_of = |key: &str| labels.get(key.trim()).and_then(Value::as_str);
        if let Some((key, value)) = term.split_once("!=") {
            value_of(key) != Some(value.trim())
        } else if let Some((key, value)) = term.split_once("==") {
            value_of(key) == Some(value.trim())
        } else if let Some((key, set)) = term.split_once(" notin ") {
            value_of(key).is_none_or(|v| !set_members(set).contains(&v))
        } else if let Some((key, set)) = term.split_once(" in ") {
            value_of(key).is_some_and(|v| set_members(set).contains(&v))
        } else {
            labels.contains_key(term.trim())
        }
    })
}

/// Splits a selector on commas outside parentheses.
fn split_terms(selector: &str) -> Vec<String> {
    let mut terms = vec![String::new()];
    let mut depth = 0usize;
    for c in selector.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                terms.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(term) = terms.last_mut() {
            term.push(c);
        }
    }
    terms.into_iter().filter(|t| !t.trim().is_empty()).collect()
}

fn set_members(set: &str) -> Vec<&str> {
    set.trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(str::trim)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_ids_and_instances() {
        let ok = json!({"id": "/grp/web-1", "cmd": "x", "instances": 2});
        assert!(validate(&ok).is_empty());
        let bad = json!({"id": "/Bad_Id", "cmd": "x", "instances": -1});
        let paths: Vec<String> = validate(&bad).into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["/id", "/instances"]);
        assert_eq!(validate(&json!({"id": "/a"}))[0].0, "/");
    }

    #[test]
    fn assigns_free_service_ports() {
        let mut def =
            json!({"id": "/a", "portDefinitions": [{"port": 0}, {"port": 10000}, {"port": 0}]});
        let mut used = BTreeSet::from([10_001]);
        assign_service_ports(&mut def, &mut used);
        let ports: Vec<u64> = port_specs(&def).iter().map(|p| p.service_port).collect();
        assert_eq!(ports, [10_002, 10_000, 10_003]);
    }

    #[test]
    fn label_selectors() {
        let labels = json!({"A": "1", "B": "x"});
        let labels = labels.as_object();
        assert!(matches_selector("A", labels));
        assert!(matches_selector("A==1,B!=y", labels));
        assert!(!matches_selector("A==2", labels));
        assert!(matches_selector("B in (x, y)", labels));
        assert!(!matches_selector("B notin (x,y)", labels));
        assert!(!matches_selector("C", labels));
    }
}
