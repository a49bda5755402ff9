//! The configuration text (marathon-lb's `config()` and
//! `generateHttpVhostAcl`): frontends, vhost ACLs, map entries, backends
//! and servers, in marathon-lb's exact order. Pure: no I/O.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

use super::defaults::Tpl;
use super::names::{push_sanitized, sanitize, server_id, short_sha1};
use super::pyfmt::{Arg, format_into, push_py_str, truthy};
use super::services::Service;
use super::templates::info;
use super::{RenderError, RenderOptions, Rendered, Templates};

/// Collected `:443` entries of one vhost under `--group-https-by-vhost`.
#[derive(Default)]
struct GroupedVhost<'a> {
    entries: Vec<(i64, String)>,
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
}

/// What the vhost ACL step adds for one service.
struct VhostAcl {
    weight: i64,
    http: String,
    https: String,
}

impl<'a> Renderer<'_, 'a> {
    /// Template text in force for a service (per-port label first).
    fn text<'s>(&'s self, svc: Option<&'s Service<'_>>, t: Tpl) -> (&'s str, String) {
        let i = info(t);
        if let (Some(svc), Some(label)) = (svc, i.label)
            && let Some(text) = svc.template_override(t)
        {
            return (text, format!("HAPROXY_{}_{label}", svc.port_index));
        }
        (self.templates.get(t), format!("HAPROXY_{}", i.name))
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
            format_text(out, text, args, &name, svc)
        } else {
            out.push_str(text);
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

    fn group_entry(&mut self, vhost: &str, weight: i64, text: &str) {
        if self.opts.group_https_by_vhost {
            self.grouped(vhost).entries.push((weight, text.to_string()));
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
    ) -> Result<VhostAcl, RenderError> {
        let vhosts: Vec<&str> = hostname.split(',').collect();
        let acl = acl_name(vhosts[0], svc.app_id);
        let realm = svc.auth.map(|a| a.realm).filter(|r| !r.is_empty());
        let path = svc.path.filter(|p| !p.is_empty());
        let app_id = svc.app_id;
        let mut weight = svc.backend_weight;
        let mut http = String::new();
        let mut https = String::new();
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
                    &mut http,
                    Some(svc),
                    Tpl::HttpFrontendAclOnlyWithPathAndAuth,
                    &args,
                )?;
                self.put(
                    &mut https,
                    Some(svc),
                    Tpl::HttpsFrontendAclOnlyWithPath,
                    &args,
                )?;
            } else {
                let args = [("path", Arg::Str(path)), ("backend", Arg::Str(backend))];
                self.put(
                    &mut http,
                    Some(svc),
                    Tpl::HttpFrontendAclOnlyWithPath,
                    &args,
                )?;
                self.put(
                    &mut https,
                    Some(svc),
                    Tpl::HttpsFrontendAclOnlyWithPath,
                    &args,
                )?;
            }
        }
        let head = https.clone();
        let map = self.opts.haproxy_map;
        for &v in &vhosts {
            self.group_entry(v, weight, &head);
            self.group_cert_and_options(v, svc);
            if map && path.is_none() && realm.is_none() && !svc.redirect_to_https {
                if !self.map_http_done {
                    weight = -1;
                    let args = [("haproxy_dir", Arg::Str(self.haproxy_dir))];
                    self.put(&mut http, Some(svc), Tpl::MapHttpFrontendAclOnly, &args)?;
                    self.map_http_done = true;
                }
                self.domain_map.add(v, backend);
            } else {
                let args = [
                    ("cleanedUpHostname", Arg::Str(&acl)),
                    ("hostname", Arg::Str(v)),
                ];
                self.put(&mut http, Some(svc), Tpl::HttpFrontendAclOnly, &args)?;
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
                        weight = -1;
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
                self.group_entry(v, weight, &line);
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
                    &mut http,
                    Some(svc),
                    Tpl::BackendRedirectHttpToHttpsWithPath,
                    &args,
                )?;
            } else {
                let args = [
                    ("bindAddr", Arg::Str(svc.bind_addr)),
                    ("cleanedUpHostname", Arg::Str(&acl)),
                ];
                self.put(&mut http, Some(svc), Tpl::BackendRedirectHttpToHttps, &args)?;
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
                    &mut http,
                    Some(svc),
                    Tpl::HttpFrontendRoutingOnlyWithPathAndAuth,
                    &with_realm(r),
                )?,
                (Some(_), None) => self.put(
                    &mut http,
                    Some(svc),
                    Tpl::HttpFrontendRoutingOnlyWithPath,
                    &base,
                )?,
                (None, Some(r)) => {
                    self.put(
                        &mut http,
                        Some(svc),
                        Tpl::HttpFrontendRoutingOnlyWithAuth,
                        &with_realm(r),
                    )?;
                }
                (None, None) if !map => {
                    self.put(&mut http, Some(svc), Tpl::HttpFrontendRoutingOnly, &base)?;
                }
                (None, None) => {}
            }
        }
        Ok(VhostAcl {
            weight,
            http,
            https,
        })
    }

    /// `generateHttpVhostAcl` for a single vhost.
    fn vhost_acl_single(
        &mut self,
        svc: &Service<'a>,
        h: &str,
        backend: &str,
    ) -> Result<VhostAcl, RenderError> {
        let acl = acl_name(h, svc.app_id);
        let realm = svc.auth.map(|a| a.realm).filter(|r| !r.is_empty());
        let path = svc.path.filter(|p| !p.is_empty());
        let app_id = svc.app_id;
        let map = self.opts.haproxy_map;
        let mut weight = svc.backend_weight;
        let mut http = String::new();
        let mut https = String::new();
        if self.opts.group_https_by_vhost && (svc.ssl_cert.is_some() || svc.bind_options.is_some())
        {
            self.group_cert_and_options(h, svc);
        }
        let s = Some(svc);
        if let Some(path) = path {
            if svc.redirect_to_https {
                self.put(
                    &mut http,
                    s,
                    Tpl::HttpFrontendAclOnly,
                    &[
                        ("cleanedUpHostname", Arg::Str(&acl)),
                        ("hostname", Arg::Str(h)),
                    ],
                )?;
                self.put(
                    &mut http,
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
                    &mut http,
                    s,
                    Tpl::BackendRedirectHttpToHttpsWithPath,
                    &redirect_path_args(svc.bind_addr, &acl, backend),
                )?;
            } else if let Some(realm) = realm {
                self.put(
                    &mut http,
                    s,
                    Tpl::HttpFrontendAclWithAuthAndPath,
                    &path_realm_args(&acl, h, path, app_id, realm, backend),
                )?;
            } else {
                self.put(
                    &mut http,
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
            self.group_entry(h, weight, &line);
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
            self.group_entry(h, weight, &line);
            return Ok(VhostAcl {
                weight,
                http,
                https,
            });
        }
        if svc.redirect_to_https {
            self.put(
                &mut http,
                s,
                Tpl::HttpFrontendAcl,
                &[
                    ("cleanedUpHostname", Arg::Str(&acl)),
                    ("hostname", Arg::Str(h)),
                    ("backend", Arg::Str(backend)),
                ],
            )?;
            self.put(
                &mut http,
                s,
                Tpl::BackendRedirectHttpToHttps,
                &[
                    ("bindAddr", Arg::Str(svc.bind_addr)),
                    ("cleanedUpHostname", Arg::Str(&acl)),
                ],
            )?;
        } else if let Some(realm) = realm {
            self.put(
                &mut http,
                s,
                Tpl::HttpFrontendAclWithAuth,
                &realm_args(&acl, h, app_id, realm, backend),
            )?;
        } else if map {
            if !self.map_http_done {
                weight = -1;
                self.put(
                    &mut http,
                    s,
                    Tpl::MapHttpFrontendAcl,
                    &[("haproxy_dir", Arg::Str(self.haproxy_dir))],
                )?;
                self.map_http_done = true;
            }
            self.domain_map.add(h, backend);
        } else {
            self.put(
                &mut http,
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
                weight = -1;
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
            self.group_entry(h, weight, &line);
        }
        Ok(VhostAcl {
            weight,
            http,
            https,
        })
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
    text: &str,
    args: &[(&str, Arg<'_>)],
    name: &str,
    svc: Option<&Service<'_>>,
) -> Result<(), RenderError> {
    format_into(out, text, args).map_err(|message| RenderError::Template {
        template: name.to_string(),
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
    push_app_path(&mut s, app_id);
    s
}

/// The app id without its first character, `/` replaced by `_`.
fn push_app_path(out: &mut String, app_id: &str) {
    let mut chars = app_id.chars();
    chars.next();
    out.extend(chars.map(|c| if c == '/' { '_' } else { c }));
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
            port: svc.service_port,
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

/// Formats a health-check template with marathon-lb's placeholders.
fn put_health_check(
    out: &mut String,
    text: &str,
    name: &str,
    svc: &Service<'_>,
    check: &Map<String, Value>,
    port: CheckPort<'_>,
) -> Result<(), RenderError> {
    let need = |key: &str| {
        check.get(key).ok_or_else(|| RenderError::MissingField {
            app: svc.app_id.to_string(),
            field: format!("healthChecks[].{key}"),
        })
    };
    let protocol = need("protocol")?;
    let timeout = need("timeoutSeconds")?;
    let interval = need("intervalSeconds")?;
    let grace = need("gracePeriodSeconds")?;
    let failures = need("maxConsecutiveFailures")?;
    let falls = match failures {
        Value::Number(n) if n.as_i64().is_some() => {
            Value::from(n.as_i64().unwrap_or(0).saturating_add(1))
        }
        Value::Number(n) => Value::from(n.as_f64().unwrap_or(f64::NAN) + 1.0),
        Value::Bool(b) => Value::from(i64::from(*b) + 1),
        _ => {
            return Err(RenderError::BadField {
                app: svc.app_id.to_string(),
                field: "healthChecks[].maxConsecutiveFailures".into(),
                message: "not a number".into(),
            });
        }
    };
    let port_arg = match port {
        CheckPort::Int(i) => Arg::Int(i),
        CheckPort::Json(v) => Arg::Json(v),
        CheckPort::None => Arg::None,
    };
    let mut port_options = String::new();
    let port_truthy = match port {
        CheckPort::Int(i) => i != 0,
        CheckPort::Json(v) => truthy(v),
        CheckPort::None => false,
    };
    if port_truthy {
        port_options.push_str(" port ");
        match port {
            CheckPort::Int(i) => port_options.push_str(&i.to_string()),
            CheckPort::Json(v) => push_py_str(&mut port_options, v),
            CheckPort::None => {}
        }
    }
    let path = check.get("path").map_or(Arg::Str("/"), Arg::Json);
    let port_index = check.get("portIndex").map_or(Arg::None, Arg::Json);
    let args = [
        ("healthCheck", Arg::Dict(check)),
        ("healthCheckPortIndex", port_index),
        ("healthCheckPort", port_arg),
        ("healthCheckProtocol", Arg::Json(protocol)),
        ("healthCheckPath", path),
        ("healthCheckTimeoutSeconds", Arg::Json(timeout)),
        ("healthCheckIntervalSeconds", Arg::Json(interval)),
        ("healthCheckGracePeriodSeconds", Arg::Json(grace)),
        ("healthCheckMaxConsecutiveFailures", Arg::Json(failures)),
        ("healthCheckFalls", Arg::Json(&falls)),
        ("healthCheckPortOptions", Arg::Str(&port_options)),
    ];
    format_text(out, text, &args, name, Some(svc))
}

/// Whether the TCP (else HTTP) health-check templates apply.
fn tcp_check(mode: &str, check: &Map<String, Value>) -> bool {
    mode == "tcp"
        || check
            .get("protocol")
            .is_some_and(|p| matches!(p.as_str(), Some("TCP" | "MESOS_TCP")))
}

/// Renders the configuration from the services that have servers (in
/// marathon-lb's service order); sorts them by (app id, service port).
pub(crate) fn render_config(
    mut services: Vec<Service<'_>>,
    opts: &RenderOptions,
    templates: &Templates,
) -> Result<Rendered, RenderError> {
    templates.check_head()?;
    services.sort_by(|a, b| (a.app_id, a.service_port).cmp(&(b.app_id, b.service_port)));
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
    };
    let bind = opts.bind_http_https;
    let mut userlists = String::new();
    let mut frontends = String::with_capacity(services.len() * 128);
    let mut backends = String::with_capacity(services.len() * 512);
    let mut appid = templates.get(Tpl::HttpFrontendAppidHead).to_string();
    let mut http_list: Vec<(i64, String)> = Vec::new();
    let mut https_list: Vec<(i64, String)> = Vec::new();
    let mut appid_seen: HashSet<&str> = HashSet::new();

    for (si, svc) in services.iter().enumerate() {
        let groups: &[&str] = svc.haproxy_groups.as_deref().unwrap_or(svc.app_groups);
        if !has_group(&opts.groups, groups, svc)? || !svc.enabled {
            continue;
        }
        let s = Some(svc);
        let mut backend = String::with_capacity(svc.app_id.len() + 8);
        push_app_path(&mut backend, svc.app_id);
        backend.push('_');
        backend.push_str(&svc.service_port.to_string());
        let hostname = svc.hostname.as_deref().filter(|h| !h.is_empty());
        let mode: &str = match &svc.mode {
            Some(m) => m,
            None if hostname.is_some() => "http",
            None => "tcp",
        };
        if let Some(auth) = svc.auth.filter(|a| !a.user.is_empty()) {
            r.put(
                &mut userlists,
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
            &mut frontends,
            s,
            Tpl::FrontendHead,
            &[
                ("bindAddr", Arg::Str(svc.bind_addr)),
                ("backend", Arg::Str(&backend)),
                ("servicePort", Arg::Int(svc.service_port)),
                ("mode", Arg::Str(mode)),
                ("sslCert", Arg::Str(&ssl)),
                ("bindOptions", Arg::Str(&bind_opts)),
            ],
        )?;
        r.put(
            &mut backends,
            s,
            Tpl::BackendHead,
            &[
                ("backend", Arg::Str(&backend)),
                ("balance", Arg::Str(svc.balance)),
                ("mode", Arg::Str(mode)),
            ],
        )?;
        if bind && let Some(h) = hostname {
            let acl = if h.contains(',') {
                r.vhost_acl_multi(svc, h, &backend)?
            } else {
                r.vhost_acl_single(svc, h, &backend)?
            };
            http_list.push((acl.weight, acl.http));
            https_list.push((acl.weight, acl.https));
        }
        let hostname_arg = svc.hostname.as_deref().map_or(Arg::None, Arg::Str);
        if mode == "http" && appid_seen.insert(svc.app_id) {
            if opts.haproxy_map {
                if !r.map_appid_done {
                    r.put(
                        &mut appid,
                        s,
                        Tpl::MapHttpFrontendAppidAcl,
                        &[("haproxy_dir", Arg::Str(r.haproxy_dir))],
                    )?;
                    r.map_appid_done = true;
                }
                r.app_map.add(svc.app_id, &backend);
            } else {
                r.put(
                    &mut appid,
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
                r.put(&mut backends, s, Tpl::BackendHstsOptions, &[])?;
            }
            r.put(&mut backends, s, Tpl::BackendHttpOptions, &[])?;
            if let Some(p) = svc.proxypath.filter(|p| !p.is_empty()) {
                r.put(
                    &mut backends,
                    s,
                    Tpl::HttpBackendProxypassGlue,
                    &[("hostname", hostname_arg), ("proxypath", Arg::Str(p))],
                )?;
            }
            if let Some(p) = svc.revproxypath.filter(|p| !p.is_empty()) {
                r.put(
                    &mut backends,
                    s,
                    Tpl::HttpBackendRevproxyGlue,
                    &[("hostname", hostname_arg), ("rootpath", Arg::Str(p))],
                )?;
            }
            if let Some(p) = svc.redirpath.filter(|p| !p.is_empty()) {
                r.put(
                    &mut backends,
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
                    r.put(&mut backends, s, acl, &[("network_allowed", Arg::Str(net))])?;
                }
                r.put(&mut backends, None, allow_deny, &[])?;
            }
        }
        if svc.sticky {
            r.put(&mut backends, s, Tpl::BackendStickyOptions, &[])?;
        }
        r.put(
            &mut frontends,
            s,
            Tpl::FrontendBackendGlue,
            &[("backend", Arg::Str(&backend))],
        )?;
        render_servers(&r, &mut backends, &services, si, runs[si], mode)?;
    }

    http_list.sort_by_key(|e| std::cmp::Reverse(e.0));
    https_list.sort_by_key(|e| std::cmp::Reverse(e.0));

    let mut config = String::with_capacity(
        templates.get(Tpl::Head).len()
            + userlists.len()
            + appid.len()
            + frontends.len()
            + backends.len()
            + 4096,
    );
    config.push_str(templates.get(Tpl::Head));
    config.push_str(&userlists);
    if bind {
        config.push_str(templates.get(Tpl::HttpFrontendHead));
        for (_, t) in &http_list {
            config.push_str(t);
        }
    }
    config.push_str(&appid);
    if bind {
        if opts.group_https_by_vhost {
            config.push_str(templates.get(Tpl::HttpsGroupedFrontendHead));
            for vhost in r.grouped.keys() {
                r.put(
                    &mut config,
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
                    &mut config,
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
                    &mut config,
                    None,
                    Tpl::HttpsGroupedVhostFrontendHead,
                    &[
                        ("name", Arg::Str(&name)),
                        ("sslCerts", Arg::Str(&ssl_certs)),
                        ("bindOpts", Arg::Str(&bind_opts)),
                    ],
                )?;
                let mut entries: Vec<&(i64, String)> = g.entries.iter().collect();
                entries.sort_by_key(|e| std::cmp::Reverse(e.0));
                for (_, t) in entries {
                    config.push_str(t);
                }
            }
        } else {
            let ssl_certs = certs
                .iter()
                .map(|c| format!("crt {c}"))
                .collect::<Vec<_>>()
                .join(" ");
            r.put(
                &mut config,
                None,
                Tpl::HttpsFrontendHead,
                &[("sslCerts", Arg::Str(&ssl_certs))],
            )?;
            for (_, t) in &https_list {
                config.push_str(t);
            }
        }
    }
    config.push_str(&frontends);
    config.push_str(&backends);
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
    let k = match svc.healthcheck_port_index {
        Some(k) if k.abs() <= n => k,
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
    if let (Some(c), Some(t)) = (check, backend_tpl) {
        let (text, name) = r.text(s, t);
        if !text.is_empty() {
            let port = backend_port(services, si, run, 0)?;
            put_health_check(backends, text, &name, svc, c, CheckPort::Int(port))?;
        }
    }
    let server_check = server_tpl.map(|t| {
        let (text, name) = r.text(s, t);
        let trimmed = text.trim();
        let prefixed = if trimmed.is_empty() {
            String::new()
        } else {
            format!(" {trimmed}")
        };
        (prefixed, name)
    });
    let (server_text, server_name) = r.text(s, Tpl::BackendServerOptions);
    let mut taken = HashSet::new();
    let mut name = String::new();
    let mut check_opts = String::new();
    for (idx, b) in svc.servers.iter().enumerate() {
        name.clear();
        if b.host != b.ip {
            push_sanitized(&mut name, b.host);
            name.push('_');
        }
        push_sanitized(&mut name, &b.ip);
        name.push('_');
        name.push_str(&b.port.to_string());
        let id = server_id(&name, &mut taken);
        check_opts.clear();
        if let (Some(c), Some((text, tname))) = (check, &server_check)
            && !text.is_empty()
        {
            let port = if svc.healthcheck_port_index.is_some() {
                CheckPort::Int(backend_port(services, si, run, idx)?)
            } else {
                c.get("port").map_or(CheckPort::None, CheckPort::Json)
            };
            put_health_check(&mut check_opts, text, tname, svc, c, port)?;
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
            &server_name,
            s,
        )?;
    }
    Ok(())
}
