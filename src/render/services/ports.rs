//! Service ports as marathon-lb reads them: the networking mode, the ports
//! of `portMappings`, `portDefinitions` or discovery info, and the
//! `ServicePortAssigner` for IP-per-task apps without service ports. Pure:
//! no I/O.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{MAX_CLASHES, MergedApp, Mode, bad_field, missing};
use crate::render::model::{App, PortMapping, Task};
use crate::render::names::sha1_hex;
use crate::render::pyfmt::py_int_value;
use crate::render::{RenderError, RenderOptions};

/// marathon-lb's `ServicePortAssigner`, reset for every render.
pub(super) struct PortAssigner {
    min: i64,
    max: i64,
    size: usize,
    by_key: HashMap<(String, i64), Option<i64>>,
    used: HashSet<i64>,
}

impl PortAssigner {
    pub(super) fn new(opts: &RenderOptions) -> Option<Self> {
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

pub(super) fn networking_mode(app: &App<'_>) -> Mode {
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
pub(super) fn app_task_ports(app: &App<'_>, id: &str, mode: Mode) -> Result<Vec<i64>, RenderError> {
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

pub(super) fn task_ports<'t>(task: &'t Task<'_>, mode: Mode, app_ports: &'t [i64]) -> &'t [i64] {
    match (mode, task.ports.as_deref()) {
        (Mode::Host | Mode::Bridge, Some(p)) if !p.is_empty() => p,
        _ => app_ports,
    }
}

pub(super) fn service_ports(
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
