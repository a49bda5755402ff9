//! marathon-lb's `generateHttpVhostAcl`: the HTTP frontend's ACL, map and
//! `use_backend` lines for one service's vhosts, plus the HTTPS frontend's
//! SNI lines, in marathon-lb's order. Pure: no I/O.

use super::{AclText, Renderer};
use crate::render::RenderError;
use crate::render::defaults::Tpl;
use crate::render::names::sanitize;
use crate::render::pyfmt::Arg;
use crate::render::pyint::PyInt;
use crate::render::rules;
use crate::render::services::Service;

impl<'a> Renderer<'_, 'a> {
    /// `generateHttpVhostAcl` for a vhost label with a `,`.
    pub(super) fn vhost_acl_multi(
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
    pub(super) fn vhost_acl_single(
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

/// `sanitize(vhost) + "_" + app path`.
fn acl_name(vhost: &str, app_id: &str) -> String {
    let mut s = sanitize(vhost);
    s.push('_');
    rules::push_app_path(&mut s, app_id);
    s
}
