//! The configuration text (marathon-lb's `config()` and
//! `generateHttpVhostAcl`): frontends, vhost ACLs, map entries, backends
//! and servers, in marathon-lb's exact order. Pure: no I/O.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;

use serde_json::Value;

use super::defaults::Tpl;
use super::model::Dict;
use super::names::{sanitize, server_id, short_sha1};
use super::pyfmt::{Arg, Compiled, push_py_str, truthy};
use super::pyint::PyInt;
use super::rules;
use super::services::Service;
use super::templates::info;
use super::{RenderError, RenderOptions, Rendered, Templates};

/// Collected `:443` entries of one vhost under `--group-https-by-vhost`.
#[derive(Default)]
struct GroupedVhost<'a> {
    entries: Vec<(PyInt, String)>,
    certs: Vec<&'a str>,
    bind_opts: Vec<&'a str>,
}

/// Map file lines in insertion order, exact duplicates skipped.
#[derive(Default)]
struct MapFile {
    text: String,
    seen: HashSet<(String, String)>,
}

impl MapFile {
    fn add(&mut self, key: &str, value: &str) {
        if self.seen.insert((key.to_string(), value.to_string())) {
            self.text.push_str(key);
            self.text.push(' ');
            self.text.push_str(value);
            self.text.push('\n');
        }
    }
}

/// A service's vhost ACL lines for the `:80` and `:443` frontends.
#[derive(Default)]
struct AclText {
    http: String,
    https: String,
}

/// One service's text, part by part (scratch space reused from service to
/// service).
#[derive(Default)]
struct ServiceText {
    userlist: String,
    acls: AclText,
    appid: String,
    frontend: String,
    backend: String,
}

/// Where a service's parts went in the config buffer, and the weight that
/// orders its vhost ACL lines.
struct Placed {
    weight: PyInt,
    userlist: Range<usize>,
    http_acl: Range<usize>,
    https_acl: Range<usize>,
    appid: Range<usize>,
    frontend: Range<usize>,
    backend: Range<usize>,
}

impl ServiceText {
    /// Appends the parts to `text`, emptying them.
    fn place(&mut self, text: &mut String, weight: PyInt) -> Placed {
        let mut put = |part: &mut String| {
            let start = text.len();
            text.push_str(part);
            part.clear();
            start..text.len()
        };
        Placed {
            weight,
            userlist: put(&mut self.userlist),
            http_acl: put(&mut self.acls.http),
            https_acl: put(&mut self.acls.https),
            appid: put(&mut self.appid),
            frontend: put(&mut self.frontend),
            backend: put(&mut self.backend),
        }
    }
}

/// State of one `config()` run.
struct Renderer<'t, 'a> {
    templates: &'t Templates,
    opts: &'t RenderOptions,
    haproxy_dir: &'t str,
    map_http_done: bool,
    map_https_done: bool,
    map_appid_done: bool,
    domain_map: MapFile,
    app_map: MapFile,
    grouped: BTreeMap<String, GroupedVhost<'a>>,
    /// The global server health-check templates (TCP, HTTP), trimmed and
    /// prefixed.
    server_checks: (Compiled, Compiled),
}

/// Where a template text came from, for error messages.
#[derive(Clone, Copy)]
enum Source {
    /// The global template `HAPROXY_<name>`.
    Global(&'static str),
    /// The per-port label `HAPROXY_<index>_<label>`.
    Label(usize, &'static str),
}

impl Source {
    fn name(self) -> String {
        match self {
            Source::Global(name) => format!("HAPROXY_{name}"),
            Source::Label(index, label) => format!("HAPROXY_{index}_{label}"),
        }
    }
}

impl<'a> Renderer<'_, 'a> {
    /// Template text in force for a service (per-port label first).
    fn text<'s>(&'s self, svc: Option<&'s Service<'_>>, t: Tpl) -> (&'s Compiled, Source) {
        let i = info(t);
        if let (Some(svc), Some(label)) = (svc, i.label)
            && let Some(text) = svc.template_override(label)
        {
            return (text, Source::Label(svc.port_index, label));
        }
        (self.templates.get(t), Source::Global(i.name))
    }

    /// Appends template `t` formatted with `args` (verbatim when the
    /// template is not a formatted one).
    fn put(
        &self,
        out: &mut String,
        svc: Option<&Service<'_>>,
        t: Tpl,
        args: &[(&str, Arg<'_>)],
    ) -> Result<(), RenderError> {
        let (text, name) = self.text(svc, t);
        if info(t).formatted {
            format_text(out, text, args, name, svc)
        } else {
            out.push_str(text.text());
            Ok(())
        }
    }

    /// [`Renderer::put`] into a new string.
    fn fmt(
        &self,
        svc: Option<&Service<'_>>,
        t: Tpl,
        args: &[(&str, Arg<'_>)],
    ) -> Result<String, RenderError> {
        let mut s = String::new();
        self.put(&mut s, svc, t, args)?;
        Ok(s)
    }

    fn grouped(&mut self, vhost: &str) -> &mut GroupedVhost<'a> {
        if !self.grouped.contains_key(vhost) {
            self.grouped
                .insert(vhost.to_string(), GroupedVhost::default());
        }
        self.grouped.get_mut(vhost).expect("inserted above")
    }

    fn group_entry(&mut self, vhost: &str, weight: &PyInt, text: &str) {
        if self.opts.group_https_by_vhost {
            self.grouped(vhost)
                .entries
                .push((weight.clone(), text.to_string()));
        }
    }

    fn group_cert_and_options(&mut self, vhost: &str, svc: &Service<'a>) {
        if !self.opts.group_https_by_vhost {
            return;
        }
        let g = self.grouped(vhost);
        if let Some(c) = svc.ssl_cert
            && !g.certs.contains(&c)
        {
            g.certs.push(c);
        }
        if let Some(o) = svc.bind_options
            && !g.bind_opts.contains(&o)
        {
            g.bind_opts.push(o);
        }
    }

    /// `generateHttpVhostAcl` for a vhost label with a `,`.
    fn vhost_acl_multi(
        &mut self,
        svc: &Service<'a>,
        hostname: &str,
        backend: &str,
        acls: &mut AclText,
    ) -> Result<PyInt, RenderError> {
        let vhosts: Vec<&str> = hostname.split(',').collect();
        let acl = acl_name(vhosts[0], svc.app_id);
        let realm = svc.auth.map(|a| a.realm).filter(|r| !r.is_empty());
        let path = svc.path.filter(|p| !p.is_empty());
        let app_id = svc.app_id;
        let mut weight = svc.backend_weight.clone();
        let AclText { http, https } = acls;
        let https_start = https.len();
        if let Some(path) = path {
            if let Some(realm) = realm {
                let args = [
                    ("path", Arg::Str(path)),
                    ("cleanedUpHostname", Arg::Str(&acl)),
                    ("hostname", Arg::Str(vhosts[0])),
                    ("realm", Arg::Str(realm)),
                    ("backend", Arg::Str(backend)),
                ];
                self.put(
                    http,
                    Some(svc),
                    Tpl::HttpFrontendAclOnlyWithPathAndAuth,
                    &args,
                )?;
                self.put(https, Some(svc), Tpl::HttpsFrontendAclOnlyWithPath, &args)?;
            } else {
                let args = [("path", Arg::Str(path)), ("backend", Arg::Str(backend))];
                self.put(http, Some(svc), Tpl::HttpFrontendAclOnlyWithPath, &args)?;
                self.put(https, Some(svc), Tpl::HttpsFrontendAclOnlyWithPath, &args)?;
            }
        }
        let head = https[https_start..].to_string();
        let map = self.opts.haproxy_map;
        for &v in &vhosts {
            self.group_entry(v, &weight, &head);
            self.group_cert_and_options(v, svc);
            if map && path.is_none() && realm.is_none() && !svc.redirect_to_https {
                if !self.map_http_done {
                    weight = PyInt::Small(-1);
                    let args = [("haproxy_dir", Arg::Str(self.haproxy_dir))];
                    self.put(http, Some(svc), Tpl::MapHttpFrontendAclOnly, &args)?;
                    self.map_http_done = true;
                }
                self.domain_map.add(v, backend);
            } else {
                let args = [
                    ("cleanedUpHostname", Arg::Str(&acl)),
                    ("hostname", Arg::Str(v)),
                ];
                self.put(http, Some(svc), Tpl::HttpFrontendAclOnly, &args)?;
            }
            let line = match (path, realm) {
                (Some(_), Some(realm)) => Some(self.fmt(
                    Some(svc),
                    Tpl::HttpsFrontendAclWithAuthAndPath,
                    &realm_args(&acl, v, app_id, realm, backend),
                )?),
                (Some(_), None) => Some(self.fmt(
                    Some(svc),
                    Tpl::HttpsFrontendAclWithPath,
                    &host_args(&acl, v, app_id, backend),
                )?),
                (None, Some(realm)) => Some(self.fmt(
                    Some(svc),
                    Tpl::HttpsFrontendAclWithAuth,
                    &realm_args(&acl, v, app_id, realm, backend),
                )?),
                (None, None) if map => {
                    let mut line = None;
                    if !self.map_https_done {
                        weight = PyInt::Small(-1);
                        line = Some(self.fmt(
                            Some(svc),
                            Tpl::MapHttpsFrontendAcl,
                            &[
                                ("hostname", Arg::Str(v)),
                                ("haproxy_dir", Arg::Str(self.haproxy_dir)),
                            ],
                        )?);
                        self.map_https_done = true;
                    }
                    self.domain_map.add(v, backend);
                    line
                }
                (None, None) => Some(self.fmt(
                    Some(svc),
                    Tpl::HttpsFrontendAcl,
                    &host_args(&acl, v, app_id, backend),
                )?),
            };
            if let Some(line) = line {
                https.push_str(&line);
                self.group_entry(v, &weight, &line);
            }
        }
        if svc.redirect_to_https {
            if path.is_some() {
                let args = [
                    ("bindAddr", Arg::Str(svc.bind_addr)),
                    ("cleanedUpHostname", Arg::Str(&acl)),
                    ("backend", Arg::Str(backend)),
                ];
                self.put(
                    http,
                    Some(svc),
                    Tpl::BackendRedirectHttpToHttpsWithPath,
                    &args,
                )?;
            } else {
                let args = [
                    ("bindAddr", Arg::Str(svc.bind_addr)),
                    ("cleanedUpHostname", Arg::Str(&acl)),
                ];
                self.put(http, Some(svc), Tpl::BackendRedirectHttpToHttps, &args)?;
            }
        } else {
            let base = [
                ("cleanedUpHostname", Arg::Str(&acl)),
                ("backend", Arg::Str(backend)),
            ];
            let with_realm = |r: &'a str| {
                [
                    ("cleanedUpHostname", Arg::Str(&acl)),
                    ("realm", Arg::Str(r)),
                    ("backend", Arg::Str(backend)),
                ]
            };
            match (path, realm) {
                (Some(_), Some(r)) => self.put(
                    http,
                    Some(svc),
                    Tpl::HttpFrontendRoutingOnlyWithPathAndAuth,
                    &with_realm(r),
                )?,
                (Some(_), None) => {
                    self.put(http, Some(svc), Tpl::HttpFrontendRoutingOnlyWithPath, &base)?;
                }
                (None, Some(r)) => {
                    self.put(
                        http,
                        Some(svc),
                        Tpl::HttpFrontendRoutingOnlyWithAuth,
                        &with_realm(r),
                    )?;
                }
                (None, None) if !map => {
                    self.put(http, Some(svc), Tpl::HttpFrontendRoutingOnly, &base)?;
                }
                (None, None) => {}
            }
        }
        Ok(weight)
    }

    /// `generateHttpVhostAcl` for a single vhost.
    fn vhost_acl_single(
        &mut self,
        svc: &Service<'a>,
        h: &str,
        backend: &str,
        acls: &mut AclText,
    ) -> Result<PyInt, RenderError> {
        let acl = acl_name(h, svc.app_id);
        let realm = svc.auth.map(|a| a.realm).filter(|r| !r.is_empty());
        let path = svc.path.filter(|p| !p.is_empty());
        let app_id = svc.app_id;
        let map = self.opts.haproxy_map;
        let mut weight = svc.backend_weight.clone();
        let AclText { http, https } = acls;
        if self.opts.group_https_by_vhost && (svc.ssl_cert.is_some() || svc.bind_options.is_some())
        {
            self.group_cert_and_options(h, svc);
        }
        let s = Some(svc);
        if let Some(path) = path {
            if svc.redirect_to_https {
                self.put(
                    http,
                    s,
                    Tpl::HttpFrontendAclOnly,
                    &[
                        ("cleanedUpHostname", Arg::Str(&acl)),
                        ("hostname", Arg::Str(h)),
                    ],
                )?;
                self.put(
                    http,
                    s,
                    Tpl::HttpFrontendAclOnlyWithPath,
                    &[
                        ("cleanedUpHostname", Arg::Str(&acl)),
                        ("hostname", Arg::Str(h)),
                        ("path", Arg::Str(path)),
                        ("backend", Arg::Str(backend)),
                    ],
                )?;
                self.put(
                    http,
                    s,
                    Tpl::BackendRedirectHttpToHttpsWithPath,
                    &redirect_path_args(svc.bind_addr, &acl, backend),
                )?;
            } else if let Some(realm) = realm {
                self.put(
                    http,
                    s,
                    Tpl::HttpFrontendAclWithAuthAndPath,
                    &path_realm_args(&acl, h, path, app_id, realm, backend),
                )?;
            } else {
                self.put(
                    http,
                    s,
                    Tpl::HttpFrontendAclWithPath,
                    &[
                        ("cleanedUpHostname", Arg::Str(&acl)),
                        ("hostname", Arg::Str(h)),
                        ("path", Arg::Str(path)),
                        ("appId", Arg::Str(app_id)),
                        ("backend", Arg::Str(backend)),
                    ],
                )?;
            }
            let line = self.fmt(
                s,
                Tpl::HttpsFrontendAclOnlyWithPath,
                &[("path", Arg::Str(path)), ("backend", Arg::Str(backend))],
            )?;
            https.push_str(&line);
            self.group_entry(h, &weight, &line);
            let line = if let Some(realm) = realm {
                self.fmt(
                    s,
                    Tpl::HttpsFrontendAclWithAuthAndPath,
                    &path_realm_args(&acl, h, path, app_id, realm, backend),
                )?
            } else {
                self.fmt(
                    s,
                    Tpl::HttpsFrontendAclWithPath,
                    &host_args(&acl, h, app_id, backend),
                )?
            };
            https.push_str(&line);
            self.group_entry(h, &weight, &line);
            return Ok(weight);
        }
        if svc.redirect_to_https {
            self.put(
                http,
                s,
                Tpl::HttpFrontendAcl,
                &[
                    ("cleanedUpHostname", Arg::Str(&acl)),
                    ("hostname", Arg::Str(h)),
                    ("backend", Arg::Str(backend)),
                ],
            )?;
            self.put(
                http,
                s,
                Tpl::BackendRedirectHttpToHttps,
                &[
                    ("bindAddr", Arg::Str(svc.bind_addr)),
                    ("cleanedUpHostname", Arg::Str(&acl)),
                ],
            )?;
        } else if let Some(realm) = realm {
            self.put(
                http,
                s,
                Tpl::HttpFrontendAclWithAuth,
                &realm_args(&acl, h, app_id, realm, backend),
            )?;
        } else if map {
            if !self.map_http_done {
                weight = PyInt::Small(-1);
                self.put(
                    http,
                    s,
                    Tpl::MapHttpFrontendAcl,
                    &[("haproxy_dir", Arg::Str(self.haproxy_dir))],
                )?;
                self.map_http_done = true;
            }
            self.domain_map.add(h, backend);
        } else {
            self.put(
                http,
                s,
                Tpl::HttpFrontendAcl,
                &host_args(&acl, h, app_id, backend),
            )?;
        }
        let line = if let Some(realm) = realm {
            Some(self.fmt(
                s,
                Tpl::HttpsFrontendAclWithAuth,
                &realm_args(&acl, h, app_id, realm, backend),
            )?)
        } else if map {
            let mut line = None;
            if !self.map_https_done {
                weight = PyInt::Small(-1);
                line = Some(self.fmt(
                    s,
                    Tpl::MapHttpsFrontendAcl,
                    &[
                        ("hostname", Arg::Str(h)),
                        ("haproxy_dir", Arg::Str(self.haproxy_dir)),
                    ],
                )?);
                self.map_https_done = true;
            }
            self.domain_map.add(h, backend);
            line
        } else {
            Some(self.fmt(
                s,
                Tpl::HttpsFrontendAcl,
                &host_args(&acl, h, app_id, backend),
            )?)
        };
        if let Some(line) = line {
            https.push_str(&line);
            self.group_entry(h, &weight, &line);
        }
        Ok(weight)
    }
}

/// Placeholders of the per-vhost ACL templates without auth.
fn host_args<'x>(
    acl: &'x str,
    host: &'x str,
    app_id: &'x str,
    backend: &'x str,
) -> [(&'static str, Arg<'x>); 4] {
    [
        ("cleanedUpHostname", Arg::Str(acl)),
        ("hostname", Arg::Str(host)),
        ("appId", Arg::Str(app_id)),
        ("backend", Arg::Str(backend)),
    ]
}

/// Placeholders of the single-vhost ACL templates with path and auth.
fn path_realm_args<'x>(
    acl: &'x str,
    host: &'x str,
    path: &'x str,
    app_id: &'x str,
    realm: &'x str,
    backend: &'x str,
) -> [(&'static str, Arg<'x>); 6] {
    [
        ("cleanedUpHostname", Arg::Str(acl)),
        ("hostname", Arg::Str(host)),
        ("path", Arg::Str(path)),
        ("appId", Arg::Str(app_id)),
        ("realm", Arg::Str(realm)),
        ("backend", Arg::Str(backend)),
    ]
}

/// Placeholders of `BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH`.
fn redirect_path_args<'x>(
    bind_addr: &'x str,
    acl: &'x str,
    backend: &'x str,
) -> [(&'static str, Arg<'x>); 3] {
    [
        ("bindAddr", Arg::Str(bind_addr)),
        ("cleanedUpHostname", Arg::Str(acl)),
        ("backend", Arg::Str(backend)),
    ]
}

/// Placeholders of the per-vhost ACL templates with auth.
fn realm_args<'x>(
    acl: &'x str,
    host: &'x str,
    app_id: &'x str,
    realm: &'x str,
    backend: &'x str,
) -> [(&'static str, Arg<'x>); 5] {
    [
        ("cleanedUpHostname", Arg::Str(acl)),
        ("hostname", Arg::Str(host)),
        ("appId", Arg::Str(app_id)),
        ("realm", Arg::Str(realm)),
        ("backend", Arg::Str(backend)),
    ]
}

/// Formats `text` and maps a Python-style complaint to [`RenderError`].
fn format_text(
    out: &mut String,
    text: &Compiled,
    args: &[(&str, Arg<'_>)],
    source: Source,
    svc: Option<&Service<'_>>,
) -> Result<(), RenderError> {
    text.format_into(out, args)
        .map_err(|message| RenderError::Template {
            template: source.name(),
            context: svc.map_or_else(
                || "global".to_string(),
                |s| format!("app {} service port {}", s.app_id, s.service_port),
            ),
            message,
        })
}

/// `sanitize(vhost) + "_" + app path`.
fn acl_name(vhost: &str, app_id: &str) -> String {
    let mut s = sanitize(vhost);
    s.push('_');
    rules::push_app_path(&mut s, app_id);
    s
}

fn has_group(
    requested: &[String],
    service_groups: &[&str],
    svc: &Service<'_>,
) -> Result<bool, RenderError> {
    if requested.iter().any(|g| g == "*") {
        return Ok(true);
    }
    if requested.is_empty() && service_groups.is_empty() {
        return Err(RenderError::NoGroups {
            app: svc.app_id.to_string(),
            port: svc.service_port.to_string(),
        });
    }
    Ok(service_groups
        .iter()
        .any(|g| requested.iter().any(|r| r == g)))
}

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
fn trimmed_prefixed(text: &Compiled) -> Compiled {
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

/// Renders the configuration from the services that have servers (in
/// marathon-lb's service order) into `buffer` (emptied first); sorts them
/// by (app id, service port).
pub(crate) fn render_config(
    mut services: Vec<Service<'_>>,
    opts: &RenderOptions,
    templates: &Templates,
    buffer: String,
) -> Result<Rendered, RenderError> {
    templates.check_head()?;
    sort_services(&mut services);
    for s in &mut services {
        s.servers
            .sort_by(|a, b| (a.host, a.port).cmp(&(b.host, b.port)));
    }
    // Run of services sharing each service's app id: [start, end).
    let mut runs = vec![(0, 0); services.len()];
    let mut start = 0;
    for i in 1..=services.len() {
        if i == services.len() || services[i].app_id != services[start].app_id {
            runs[start..i].fill((start, i));
            start = i;
        }
    }

    let certs = opts.certs();
    let mut r = Renderer {
        templates,
        opts,
        haproxy_dir: opts.haproxy_dir(),
        map_http_done: false,
        map_https_done: false,
        map_appid_done: false,
        domain_map: MapFile::default(),
        app_map: MapFile::default(),
        grouped: BTreeMap::new(),
        server_checks: (
            trimmed_prefixed(templates.get(Tpl::BackendServerTcpHealthcheckOptions)),
            trimmed_prefixed(templates.get(Tpl::BackendServerHttpHealthcheckOptions)),
        ),
    };
    let bind = opts.bind_http_https;
    let n = services.len();
    let servers: usize = services.iter().map(|s| s.servers.len()).sum();
    // Every service's parts go into one buffer as they come; then the
    // config is put together after them in the same buffer (room reserved
    // now) and moved to its front.
    let mut text = buffer;
    text.clear();
    text.reserve(2 * (n * reserve::SERVICE + servers * reserve::SERVER));
    let mut out = ServiceText::default();
    let mut placed: Vec<Placed> = Vec::with_capacity(n);
    let mut appid_seen: HashSet<&str> = HashSet::new();

    for (si, svc) in services.iter().enumerate() {
        let groups: &[&str] = svc.haproxy_groups.as_deref().unwrap_or(svc.app_groups);
        if !has_group(&opts.groups, groups, svc)? || !svc.enabled {
            continue;
        }
        let s = Some(svc);
        let mut backend = String::with_capacity(svc.app_id.len() + 8);
        rules::push_backend_name(&mut backend, svc.app_id, &svc.service_port);
        let hostname = svc.hostname.as_deref().filter(|h| !h.is_empty());
        let mode: &str = match &svc.mode {
            Some(m) => m,
            None if hostname.is_some() => "http",
            None => "tcp",
        };
        if let Some(auth) = svc.auth.filter(|a| !a.user.is_empty()) {
            r.put(
                &mut out.userlist,
                s,
                Tpl::UserlistHead,
                &[
                    ("backend", Arg::Str(&backend)),
                    ("user", Arg::Str(auth.user)),
                    ("passwd", Arg::Str(auth.passwd)),
                ],
            )?;
        }
        let ssl = svc
            .ssl_cert
            .filter(|c| !c.is_empty())
            .map_or(String::new(), |c| format!(" ssl crt {c}"));
        let bind_opts = svc
            .bind_options
            .filter(|o| !o.is_empty())
            .map_or(String::new(), |o| format!(" {o}"));
        r.put(
            &mut out.frontend,
            s,
            Tpl::FrontendHead,
            &[
                ("bindAddr", Arg::Str(svc.bind_addr)),
                ("backend", Arg::Str(&backend)),
                ("servicePort", Arg::AnyInt(&svc.service_port)),
                ("mode", Arg::Str(mode)),
                ("sslCert", Arg::Str(&ssl)),
                ("bindOptions", Arg::Str(&bind_opts)),
            ],
        )?;
        r.put(
            &mut out.backend,
            s,
            Tpl::BackendHead,
            &[
                ("backend", Arg::Str(&backend)),
                ("balance", Arg::Str(svc.balance)),
                ("mode", Arg::Str(mode)),
            ],
        )?;
        let mut weight = PyInt::Small(0);
        if bind && let Some(h) = hostname {
            weight = if h.contains(',') {
                r.vhost_acl_multi(svc, h, &backend, &mut out.acls)?
            } else {
                r.vhost_acl_single(svc, h, &backend, &mut out.acls)?
            };
        }
        let hostname_arg = svc.hostname.as_deref().map_or(Arg::None, Arg::Str);
        if mode == "http" && appid_seen.insert(svc.app_id) {
            if opts.haproxy_map {
                if !r.map_appid_done {
                    r.put(
                        &mut out.appid,
                        s,
                        Tpl::MapHttpFrontendAppidAcl,
                        &[("haproxy_dir", Arg::Str(r.haproxy_dir))],
                    )?;
                    r.map_appid_done = true;
                }
                r.app_map.add(svc.app_id, &backend);
            } else {
                r.put(
                    &mut out.appid,
                    s,
                    Tpl::HttpFrontendAppidAcl,
                    &[
                        ("cleanedUpAppId", Arg::Str(&sanitize(svc.app_id))),
                        ("hostname", hostname_arg),
                        ("appId", Arg::Str(svc.app_id)),
                        ("backend", Arg::Str(&backend)),
                    ],
                )?;
            }
        }
        if mode == "http" {
            if svc.use_hsts {
                r.put(&mut out.backend, s, Tpl::BackendHstsOptions, &[])?;
            }
            r.put(&mut out.backend, s, Tpl::BackendHttpOptions, &[])?;
            if let Some(p) = svc.proxypath.filter(|p| !p.is_empty()) {
                r.put(
                    &mut out.backend,
                    s,
                    Tpl::HttpBackendProxypassGlue,
                    &[("hostname", hostname_arg), ("proxypath", Arg::Str(p))],
                )?;
            }
            if let Some(p) = svc.revproxypath.filter(|p| !p.is_empty()) {
                r.put(
                    &mut out.backend,
                    s,
                    Tpl::HttpBackendRevproxyGlue,
                    &[("hostname", hostname_arg), ("rootpath", Arg::Str(p))],
                )?;
            }
            if let Some(p) = svc.redirpath.filter(|p| !p.is_empty()) {
                r.put(
                    &mut out.backend,
                    None,
                    Tpl::HttpBackendRedir,
                    &[("hostname", hostname_arg), ("redirpath", Arg::Str(p))],
                )?;
            }
        }
        if let Some(nets) = svc.network_allowed.filter(|n| !n.is_empty()) {
            let pair = match mode {
                "http" => Some((
                    Tpl::HttpBackendNetworkAllowedAcl,
                    Tpl::HttpBackendAclAllowDeny,
                )),
                "tcp" => Some((
                    Tpl::TcpBackendNetworkAllowedAcl,
                    Tpl::TcpBackendAclAllowDeny,
                )),
                _ => None,
            };
            if let Some((acl, allow_deny)) = pair {
                for net in nets.split_whitespace() {
                    r.put(
                        &mut out.backend,
                        s,
                        acl,
                        &[("network_allowed", Arg::Str(net))],
                    )?;
                }
                r.put(&mut out.backend, None, allow_deny, &[])?;
            }
        }
        if svc.sticky {
            r.put(&mut out.backend, s, Tpl::BackendStickyOptions, &[])?;
        }
        r.put(
            &mut out.frontend,
            s,
            Tpl::FrontendBackendGlue,
            &[("backend", Arg::Str(&backend))],
        )?;
        render_servers(&r, &mut out.backend, &services, si, runs[si], mode)?;
        placed.push(out.place(&mut text, weight));
    }

    let mut by_weight: Vec<&Placed> = placed.iter().collect();
    by_weight.sort_by(|a, b| b.weight.cmp(&a.weight));

    let mut https_text = String::new();
    if bind {
        if opts.group_https_by_vhost {
            https_text.push_str(templates.get(Tpl::HttpsGroupedFrontendHead).text());
            for vhost in r.grouped.keys() {
                r.put(
                    &mut https_text,
                    None,
                    Tpl::HttpsGroupedVhostFrontendAcl,
                    &[
                        ("backend", Arg::Str(&sanitize(vhost))),
                        ("host", Arg::Str(vhost)),
                    ],
                )?;
            }
            for (vhost, g) in &r.grouped {
                let name = sanitize(vhost);
                r.put(
                    &mut https_text,
                    None,
                    Tpl::HttpsGroupedVhostBackendHead,
                    &[("name", Arg::Str(&name))],
                )?;
                let cert_list: &[&str] = if g.certs.is_empty() {
                    &dedup(&certs)
                } else {
                    &g.certs
                };
                let ssl_certs = cert_list
                    .iter()
                    .map(|c| format!("crt {c}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                let bind_opts = g
                    .bind_opts
                    .iter()
                    .map(|o| format!(" {o}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                r.put(
                    &mut https_text,
                    None,
                    Tpl::HttpsGroupedVhostFrontendHead,
                    &[
                        ("name", Arg::Str(&name)),
                        ("sslCerts", Arg::Str(&ssl_certs)),
                        ("bindOpts", Arg::Str(&bind_opts)),
                    ],
                )?;
                let mut entries: Vec<&(PyInt, String)> = g.entries.iter().collect();
                entries.sort_by(|a, b| b.0.cmp(&a.0));
                for (_, t) in entries {
                    https_text.push_str(t);
                }
            }
        } else {
            let ssl_certs = certs
                .iter()
                .map(|c| format!("crt {c}"))
                .collect::<Vec<_>>()
                .join(" ");
            r.put(
                &mut https_text,
                None,
                Tpl::HttpsFrontendHead,
                &[("sslCerts", Arg::Str(&ssl_certs))],
            )?;
        }
    }
    let parts_end = text.len();
    text.push_str(templates.get(Tpl::Head).text());
    for p in &placed {
        text.extend_from_within(p.userlist.clone());
    }
    if bind {
        text.push_str(templates.get(Tpl::HttpFrontendHead).text());
        for p in &by_weight {
            text.extend_from_within(p.http_acl.clone());
        }
    }
    text.push_str(templates.get(Tpl::HttpFrontendAppidHead).text());
    for p in &placed {
        text.extend_from_within(p.appid.clone());
    }
    text.push_str(&https_text);
    if bind && !opts.group_https_by_vhost {
        for p in &by_weight {
            text.extend_from_within(p.https_acl.clone());
        }
    }
    for p in &placed {
        text.extend_from_within(p.frontend.clone());
    }
    for p in &placed {
        text.extend_from_within(p.backend.clone());
    }
    text.drain(..parts_end);
    let config = text;
    let (domain, app) = if opts.haproxy_map {
        (Some(r.domain_map.text), Some(r.app_map.text))
    } else {
        (None, None)
    };
    Ok(Rendered {
        haproxy_cfg: config,
        domain2backend_map: domain,
        app2backend_map: app,
    })
}

/// Bytes of config reserved per service and server, a third above what
/// the default templates take with ids of about 20 characters, so that the
/// config buffer does not grow (every growth copies it); capacity never
/// written costs no memory.
mod reserve {
    /// A service's text but its server lines (default templates: about 750).
    pub(super) const SERVICE: usize = 960;
    /// A server line (about 75).
    pub(super) const SERVER: usize = 112;
}

/// Sorts services by (app id, service port), equal ones kept in order: a
/// stable sort of the indices, then the services moved along its cycles,
/// instead of `sort_by` on the services themselves (its scratch copy of
/// the list is 4 MB for 10 000 services).
fn sort_services(services: &mut [Service<'_>]) {
    let mut order: Vec<usize> = (0..services.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&services[a], &services[b]);
        (a.app_id, &a.service_port).cmp(&(b.app_id, &b.service_port))
    });
    permute(services, order);
}

/// Puts `items[order[i]]` at position `i` for every `i` (`order` is a
/// permutation of the positions), following its cycles with swaps.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            items.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

/// A list without repeated entries, first occurrence kept.
fn dedup<'a>(items: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::with_capacity(items.len());
    for &i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
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
fn render_servers(
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

#[cfg(test)]
mod tests {
    use super::permute;

    #[test]
    fn permute_follows_every_cycle() {
        let mut items = ['a', 'b', 'c', 'd', 'e', 'f'];
        permute(&mut items, vec![2, 0, 1, 3, 5, 4]);
        assert_eq!(items, ['c', 'a', 'b', 'd', 'f', 'e']);
        let mut items = [10, 20, 30];
        permute(&mut items, vec![1, 2, 0]);
        assert_eq!(items, [20, 30, 10]);
        let mut none: [u8; 0] = [];
        permute(&mut none, Vec::new());
    }
}
