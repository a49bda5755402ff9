//! Test support: marathon-lb's servers for a list of apps, as the byte-exact
//! renderer writes them (`--group external`, hosts `agent1` = 10.0.0.1), so
//! the deploy's tests model marathon-lb with the renderer's rules rather
//! than with the code under test.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use serde_json::json;

use crate::marathon::types::App;
use crate::render::{self, Apps, RenderOptions, Templates};

/// One `server` line of the rendered config.
pub(crate) struct Server {
    /// The backend it belongs to.
    pub backend: String,
    /// The server name.
    pub name: String,
    /// `ip:port`.
    pub addr: String,
    /// Rendered `disabled` (draining).
    pub disabled: bool,
}

/// The servers marathon-lb renders for `apps`, listed in this order; with
/// `health_check`, as `--health-check` leaves out tasks not alive.
pub(crate) fn servers(apps: &[&App], health_check: bool) -> Vec<Server> {
    let body = json!({ "apps": apps });
    let apps = Apps::from_value(&body).expect("the model's apps parse as Marathon's");
    let options = RenderOptions {
        groups: vec!["external".into()],
        health_check,
        ..RenderOptions::default()
    };
    let hosts = BTreeMap::from([("agent1".to_string(), Ipv4Addr::new(10, 0, 0, 1))]);
    let no_files = BTreeMap::new();
    let rendered = render::render(
        &apps,
        &options,
        &Templates::new(&no_files, &no_files),
        &hosts,
    )
    .expect("marathon-lb renders the model's apps");
    let mut out = Vec::new();
    let mut backend = "";
    for line in rendered.haproxy_cfg.lines() {
        if let Some(name) = line.strip_prefix("backend ") {
            backend = name;
        }
        let Some(server) = line.strip_prefix("  server ") else {
            continue;
        };
        let mut words = server.split(' ');
        let (Some(name), Some(addr)) = (words.next(), words.next()) else {
            continue;
        };
        out.push(Server {
            backend: backend.to_string(),
            name: name.to_string(),
            addr: addr.to_string(),
            disabled: words.any(|w| w == "disabled"),
        });
    }
    out
}
