//! The configuration text (marathon-lb's `config()`): frontends, map
//! entries and backends in marathon-lb's exact order; the vhost ACLs
//! (`generateHttpVhostAcl`) and a backend's servers live in the two
//! children. Pure: no I/O.

mod servers;
mod vhost_acl;

use servers::{render_servers, trimmed_prefixed};

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use super::defaults::Tpl;
use super::names::sanitize;
use super::pyfmt::{Arg, Compiled};
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
