//! A backend's server part of marathon-lb's `config()`: the health-check
//! option lines, `get_backend_port`, then one `server` line per task.
//! Pure: no I/O.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write as _;

use serde_json::Value;

use super::{Renderer, Source, format_text};
use crate::render::RenderError;
use crate::render::defaults::Tpl;
use crate::render::model::Dict;
use crate::render::names::{server_id, short_sha1};
use crate::render::pyfmt::{Arg, Compiled, push_py_str, truthy};
use crate::render::pyint::PyInt;
use crate::render::rules;
use crate::render::services::Service;

/// Port passed as `healthCheckPort` to health-check templates.
#[derive(Clone, Copy)]
enum CheckPort<'a> {
    Int(i64),
    Json(&'a Value),
    None,
}

/// The health-check placeholders of one service, looked up once (they
/// are only required once a health-check template is formatted).
struct CheckValues<'c> {
    check: &'c Dict<'c>,
    protocol: &'c Value,
    timeout: &'c Value,
    interval: &'c Value,
    grace: &'c Value,
    failures: &'c Value,
    falls: Value,
    path: Arg<'c>,
    port_index: Arg<'c>,
    /// The check's own `port`, if any.
    port: Option<&'c Value>,
}

impl<'c> CheckValues<'c> {
    fn new(svc: &Service<'_>, check: &'c Dict<'c>) -> Result<Self, RenderError> {
        let need = |key: &str| {
            check.get(key).ok_or_else(|| RenderError::MissingField {
                app: svc.app_id.to_string(),
                field: format!("healthChecks[].{key}"),
            })
        };
        let failures = need("maxConsecutiveFailures")?;
        let falls = match failures {
            Value::Number(n) => match n.as_i64() {
                Some(i) => Value::from(i.saturating_add(1)),
                None => Value::from(n.as_f64().unwrap_or(f64::NAN) + 1.0),
            },
            Value::Bool(b) => Value::from(i64::from(*b) + 1),
            _ => {
                return Err(RenderError::BadField {
                    app: svc.app_id.to_string(),
                    field: "healthChecks[].maxConsecutiveFailures".into(),
                    message: "not a number".into(),
                });
            }
        };
        Ok(CheckValues {
            check,
            protocol: need("protocol")?,
            timeout: need("timeoutSeconds")?,
            interval: need("intervalSeconds")?,
            grace: need("gracePeriodSeconds")?,
            failures,
            falls,
            path: check.get("path").map_or(Arg::Str("/"), Arg::Json),
            port_index: check.get("portIndex").map_or(Arg::None, Arg::Json),
            port: check.get("port"),
        })
    }

    /// Formats a health-check template with marathon-lb's placeholders
    /// (`port_options` is scratch space).
    fn put(
        &self,
        out: &mut String,
        text: &Compiled,
        source: Source,
        svc: &Service<'_>,
        port: CheckPort<'_>,
        port_options: &mut String,
    ) -> Result<(), RenderError> {
        port_options.clear();
        let port_arg = match port {
            CheckPort::Int(i) => {
                if i != 0 {
                    let _ = write!(port_options, " port {i}");
                }
                Arg::Int(i)
            }
            CheckPort::Json(v) => {
                if truthy(v) {
                    port_options.push_str(" port ");
                    push_py_str(port_options, v);
                }
                Arg::Json(v)
            }
            CheckPort::None => Arg::None,
        };
        let args = [
            ("healthCheck", Arg::Pairs(&self.check.0)),
            ("healthCheckPortIndex", self.port_index),
            ("healthCheckPort", port_arg),
            ("healthCheckProtocol", Arg::Json(self.protocol)),
            ("healthCheckPath", self.path),
            ("healthCheckTimeoutSeconds", Arg::Json(self.timeout)),
            ("healthCheckIntervalSeconds", Arg::Json(self.interval)),
            ("healthCheckGracePeriodSeconds", Arg::Json(self.grace)),
            (
                "healthCheckMaxConsecutiveFailures",
                Arg::Json(self.failures),
            ),
            ("healthCheckFalls", Arg::Json(&self.falls)),
            ("healthCheckPortOptions", Arg::Str(port_options)),
        ];
        format_text(out, text, &args, source, Some(svc))
    }
}

/// A server health-check template as marathon-lb uses it: trimmed, then
/// prefixed with one space when not empty.
pub(super) fn trimmed_prefixed(text: &Compiled) -> Compiled {
    let trimmed = text.text().trim();
    Compiled::new(if trimmed.is_empty() {
        String::new()
    } else {
        format!(" {trimmed}")
    })
}

/// Whether the TCP (else HTTP) health-check templates apply.
fn tcp_check(mode: &str, check: &Dict<'_>) -> bool {
    mode == "tcp"
        || check
            .get("protocol")
            .is_some_and(|p| matches!(p.as_str(), Some("TCP" | "MESOS_TCP")))
}

/// marathon-lb's `get_backend_port`: the port of server `idx` of the
/// service itself, or of the service its health-check port index selects
/// among the app's services (`run`).
fn backend_port(
    services: &[Service<'_>],
    si: usize,
    run: (usize, usize),
    idx: usize,
) -> Result<i64, RenderError> {
    let svc = &services[si];
    let n = (run.1 - run.0) as i64;
    let k = match svc.healthcheck_port_index.as_ref().and_then(PyInt::small) {
        Some(k) if k.unsigned_abs() <= n as u64 => k,
        _ => return Ok(svc.servers[idx].port),
    };
    let err = |message: &str| RenderError::HealthCheckPortIndex {
        app: svc.app_id.to_string(),
        index: k,
        message: message.to_string(),
    };
    let pos = if k < 0 { n + k } else { k };
    if pos >= n {
        return Err(err(
            "list index out of range: the app has no service at that index",
        ));
    }
    let target = &services[run.0 + usize::try_from(pos).unwrap_or(0)];
    target
        .servers
        .get(idx)
        .map(|b| b.port)
        .ok_or_else(|| err("the service at that index has fewer servers"))
}

/// Health-check option lines, then one `server` line per server.
pub(super) fn render_servers(
    r: &Renderer<'_, '_>,
    backends: &mut String,
    services: &[Service<'_>],
    si: usize,
    run: (usize, usize),
    mode: &str,
) -> Result<(), RenderError> {
    let svc = &services[si];
    let s = Some(svc);
    let check = svc.health_check.filter(|c| !c.is_empty());
    let (backend_tpl, server_tpl) = match check {
        Some(c) if tcp_check(mode, c) => (
            Some(Tpl::BackendTcpHealthcheckOptions),
            Some(Tpl::BackendServerTcpHealthcheckOptions),
        ),
        Some(_) if mode == "http" => (
            Some(Tpl::BackendHttpHealthcheckOptions),
            Some(Tpl::BackendServerHttpHealthcheckOptions),
        ),
        _ => (None, None),
    };
    let mut values: Option<CheckValues<'_>> = None;
    if let (Some(c), Some(t)) = (check, backend_tpl) {
        let (text, name) = r.text(s, t);
        if !text.text().is_empty() {
            let port = backend_port(services, si, run, 0)?;
            let v = CheckValues::new(svc, c)?;
            v.put(
                backends,
                text,
                name,
                svc,
                CheckPort::Int(port),
                &mut String::new(),
            )?;
            values = Some(v);
        }
    }
    let server_check = server_tpl.map(|t| {
        let (text, name) = r.text(s, t);
        let compiled = match name {
            Source::Global(_) if t == Tpl::BackendServerTcpHealthcheckOptions => {
                Cow::Borrowed(&r.server_checks.0)
            }
            Source::Global(_) => Cow::Borrowed(&r.server_checks.1),
            Source::Label(..) => Cow::Owned(trimmed_prefixed(text)),
        };
        (compiled, name)
    });
    let (server_text, server_name) = r.text(s, Tpl::BackendServerOptions);
    let mut taken = HashSet::new();
    let mut name = String::new();
    let mut check_opts = String::new();
    let mut scratch = String::new();
    for (idx, b) in svc.servers.iter().enumerate() {
        name.clear();
        rules::push_server_name(&mut name, b.host, &b.ip, b.port);
        let id = server_id(&name, &mut taken);
        check_opts.clear();
        if let (Some(c), Some((text, tname))) = (check, &server_check)
            && !text.text().is_empty()
        {
            if values.is_none() {
                values = Some(CheckValues::new(svc, c)?);
            }
            if let Some(v) = &values {
                let port = if svc.healthcheck_port_index.is_some() {
                    CheckPort::Int(backend_port(services, si, run, idx)?)
                } else {
                    v.port.map_or(CheckPort::None, CheckPort::Json)
                };
                v.put(&mut check_opts, text, *tname, svc, port, &mut scratch)?;
            }
        }
        let cookie = if svc.sticky {
            format!(" check cookie {}", short_sha1(&name))
        } else {
            String::new()
        };
        format_text(
            backends,
            server_text,
            &[
                ("host", Arg::Str(b.host)),
                ("host_ipv4", Arg::Str(&b.ip)),
                ("port", Arg::Int(b.port)),
                ("serverName", Arg::Str(&name)),
                ("serverId", Arg::Int(i64::from(id))),
                ("cookieOptions", Arg::Str(&cookie)),
                ("healthCheckOptions", Arg::Str(&check_opts)),
                (
                    "otherOptions",
                    Arg::Str(if b.draining { " disabled" } else { "" }),
                ),
            ],
            server_name,
            s,
        )?;
    }
    Ok(())
}
