//! The default texts of marathon-lb's templates (part of the output format),
//! generated once from `default-templates.json` of the conformance data.
//! Pure: no I/O.

/// Every marathon-lb template, named like its `HAPROXY_<NAME>` variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tpl {
    BackendHead,
    BackendHstsOptions,
    BackendHttpHealthcheckOptions,
    BackendHttpOptions,
    BackendRedirectHttpToHttps,
    BackendRedirectHttpToHttpsWithPath,
    BackendServerHttpHealthcheckOptions,
    BackendServerOptions,
    BackendServerTcpHealthcheckOptions,
    BackendStickyOptions,
    BackendTcpHealthcheckOptions,
    FrontendBackendGlue,
    FrontendHead,
    Head,
    HttpsFrontendAcl,
    HttpsFrontendAclOnlyWithPath,
    HttpsFrontendAclWithAuth,
    HttpsFrontendAclWithAuthAndPath,
    HttpsFrontendAclWithPath,
    HttpsFrontendAuthAclOnly,
    HttpsFrontendAuthRequestOnly,
    HttpsFrontendHead,
    HttpsFrontendRoutingOnlyWithPathAndAuth,
    HttpsGroupedFrontendHead,
    HttpsGroupedVhostBackendHead,
    HttpsGroupedVhostFrontendAcl,
    HttpsGroupedVhostFrontendHead,
    HttpBackendAclAllowDeny,
    HttpBackendNetworkAllowedAcl,
    HttpBackendProxypassGlue,
    HttpBackendRedir,
    HttpBackendRevproxyGlue,
    HttpFrontendAcl,
    HttpFrontendAclOnly,
    HttpFrontendAclOnlyWithPath,
    HttpFrontendAclOnlyWithPathAndAuth,
    HttpFrontendAclWithAuth,
    HttpFrontendAclWithAuthAndPath,
    HttpFrontendAclWithPath,
    HttpFrontendAppidAcl,
    HttpFrontendAppidHead,
    HttpFrontendHead,
    HttpFrontendRoutingOnly,
    HttpFrontendRoutingOnlyWithAuth,
    HttpFrontendRoutingOnlyWithPath,
    HttpFrontendRoutingOnlyWithPathAndAuth,
    MapHttpsFrontendAcl,
    MapHttpFrontendAcl,
    MapHttpFrontendAclOnly,
    MapHttpFrontendAppidAcl,
    TcpBackendAclAllowDeny,
    TcpBackendNetworkAllowedAcl,
    UserlistHead,
}

/// One row of [`TABLE`]: name, formatted with `str.format`, per-port label name, default text.
pub(crate) struct TplInfo {
    /// `NAME` of `HAPROXY_<NAME>`.
    pub(crate) name: &'static str,
    /// Whether the text goes through `str.format` (else appended verbatim).
    pub(crate) formatted: bool,
    /// `NAME` of the per-port label `HAPROXY_{n}_<NAME>` overriding it, if any.
    pub(crate) label: Option<&'static str>,
    /// Default text (for `HEAD`: without the global default options).
    pub(crate) text: &'static str,
}

/// Template count.
pub(crate) const COUNT: usize = 53;

/// All templates, in [`Tpl`] order.
pub(crate) const ALL: [Tpl; COUNT] = [
    Tpl::BackendHead,
    Tpl::BackendHstsOptions,
    Tpl::BackendHttpHealthcheckOptions,
    Tpl::BackendHttpOptions,
    Tpl::BackendRedirectHttpToHttps,
    Tpl::BackendRedirectHttpToHttpsWithPath,
    Tpl::BackendServerHttpHealthcheckOptions,
    Tpl::BackendServerOptions,
    Tpl::BackendServerTcpHealthcheckOptions,
    Tpl::BackendStickyOptions,
    Tpl::BackendTcpHealthcheckOptions,
    Tpl::FrontendBackendGlue,
    Tpl::FrontendHead,
    Tpl::Head,
    Tpl::HttpsFrontendAcl,
    Tpl::HttpsFrontendAclOnlyWithPath,
    Tpl::HttpsFrontendAclWithAuth,
    Tpl::HttpsFrontendAclWithAuthAndPath,
    Tpl::HttpsFrontendAclWithPath,
    Tpl::HttpsFrontendAuthAclOnly,
    Tpl::HttpsFrontendAuthRequestOnly,
    Tpl::HttpsFrontendHead,
    Tpl::HttpsFrontendRoutingOnlyWithPathAndAuth,
    Tpl::HttpsGroupedFrontendHead,
    Tpl::HttpsGroupedVhostBackendHead,
    Tpl::HttpsGroupedVhostFrontendAcl,
    Tpl::HttpsGroupedVhostFrontendHead,
    Tpl::HttpBackendAclAllowDeny,
    Tpl::HttpBackendNetworkAllowedAcl,
    Tpl::HttpBackendProxypassGlue,
    Tpl::HttpBackendRedir,
    Tpl::HttpBackendRevproxyGlue,
    Tpl::HttpFrontendAcl,
    Tpl::HttpFrontendAclOnly,
    Tpl::HttpFrontendAclOnlyWithPath,
    Tpl::HttpFrontendAclOnlyWithPathAndAuth,
    Tpl::HttpFrontendAclWithAuth,
    Tpl::HttpFrontendAclWithAuthAndPath,
    Tpl::HttpFrontendAclWithPath,
    Tpl::HttpFrontendAppidAcl,
    Tpl::HttpFrontendAppidHead,
    Tpl::HttpFrontendHead,
    Tpl::HttpFrontendRoutingOnly,
    Tpl::HttpFrontendRoutingOnlyWithAuth,
    Tpl::HttpFrontendRoutingOnlyWithPath,
    Tpl::HttpFrontendRoutingOnlyWithPathAndAuth,
    Tpl::MapHttpsFrontendAcl,
    Tpl::MapHttpFrontendAcl,
    Tpl::MapHttpFrontendAclOnly,
    Tpl::MapHttpFrontendAppidAcl,
    Tpl::TcpBackendAclAllowDeny,
    Tpl::TcpBackendNetworkAllowedAcl,
    Tpl::UserlistHead,
];

/// The default text of `HEAD` after the spliced global options.
pub(crate) const HEAD_AFTER_OPTIONS: &str = r#"listen stats
  bind 0.0.0.0:9090
  balance
  mode http
  stats enable
  http-request use-service prometheus-exporter if { path /metrics }
  monitor-uri /_haproxy_health_check
  acl getpid path /_haproxy_getpids
  http-request use-service lua.getpids if getpid
  acl getvhostmap path /_haproxy_getvhostmap
  http-request use-service lua.getvhostmap if getvhostmap
  acl getappmap path /_haproxy_getappmap
  http-request use-service lua.getappmap if getappmap
  acl getconfig path /_haproxy_getconfig
  http-request use-service lua.getconfig if getconfig

  acl signalmlbhup path /_mlb_signal/hup
  http-request use-service lua.signalmlbhup if signalmlbhup
  acl signalmlbusr1 path /_mlb_signal/usr1
  http-request use-service lua.signalmlbusr1 if signalmlbusr1
"#;

/// Template data, indexed by `Tpl as usize`.
pub(crate) const TABLE: [TplInfo; COUNT] = [
    TplInfo {
        name: "BACKEND_HEAD",
        formatted: true,
        label: Some("BACKEND_HEAD"),
        text: r#"
backend {backend}
  balance {balance}
  mode {mode}
"#,
    },
    TplInfo {
        name: "BACKEND_HSTS_OPTIONS",
        formatted: false,
        label: Some("BACKEND_HSTS_OPTIONS"),
        text: r#"  rspadd  Strict-Transport-Security:\ max-age=15768000
"#,
    },
    TplInfo {
        name: "BACKEND_HTTP_HEALTHCHECK_OPTIONS",
        formatted: true,
        label: Some("BACKEND_HTTP_HEALTHCHECK_OPTIONS"),
        text: r#"  option  httpchk GET {healthCheckPath}
  timeout check {healthCheckTimeoutSeconds}s
"#,
    },
    TplInfo {
        name: "BACKEND_HTTP_OPTIONS",
        formatted: false,
        label: Some("BACKEND_HTTP_OPTIONS"),
        text: r#"  option forwardfor
  http-request set-header X-Forwarded-Port %[dst_port]
  http-request add-header X-Forwarded-Proto https if { ssl_fc }
"#,
    },
    TplInfo {
        name: "BACKEND_REDIRECT_HTTP_TO_HTTPS",
        formatted: true,
        label: Some("BACKEND_REDIRECT_HTTP_TO_HTTPS"),
        text: r#"  redirect scheme https code 301 if !{{ ssl_fc }} host_{cleanedUpHostname}
"#,
    },
    TplInfo {
        name: "BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH",
        formatted: true,
        label: Some("BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH"),
        text: r#"  redirect scheme https code 301 if !{{ ssl_fc }} host_{cleanedUpHostname} path_{backend}
"#,
    },
    TplInfo {
        name: "BACKEND_SERVER_HTTP_HEALTHCHECK_OPTIONS",
        formatted: true,
        label: Some("BACKEND_SERVER_HTTP_HEALTHCHECK_OPTIONS"),
        text: r#"  check inter {healthCheckIntervalSeconds}s fall {healthCheckFalls}{healthCheckPortOptions}
"#,
    },
    TplInfo {
        name: "BACKEND_SERVER_OPTIONS",
        formatted: true,
        label: Some("BACKEND_SERVER_OPTIONS"),
        text: r#"  server {serverName} {host_ipv4}:{port} id {serverId}{cookieOptions}{healthCheckOptions}{otherOptions}
"#,
    },
    TplInfo {
        name: "BACKEND_SERVER_TCP_HEALTHCHECK_OPTIONS",
        formatted: true,
        label: Some("BACKEND_SERVER_TCP_HEALTHCHECK_OPTIONS"),
        text: r#"  check inter {healthCheckIntervalSeconds}s fall {healthCheckFalls}{healthCheckPortOptions}
"#,
    },
    TplInfo {
        name: "BACKEND_STICKY_OPTIONS",
        formatted: false,
        label: Some("BACKEND_STICKY_OPTIONS"),
        text: r#"  cookie mesosphere_server_id insert indirect nocache
"#,
    },
    TplInfo {
        name: "BACKEND_TCP_HEALTHCHECK_OPTIONS",
        formatted: true,
        label: Some("BACKEND_TCP_HEALTHCHECK_OPTIONS"),
        text: r#""#,
    },
    TplInfo {
        name: "FRONTEND_BACKEND_GLUE",
        formatted: true,
        label: Some("FRONTEND_BACKEND_GLUE"),
        text: r#"  use_backend {backend}
"#,
    },
    TplInfo {
        name: "FRONTEND_HEAD",
        formatted: true,
        label: Some("FRONTEND_HEAD"),
        text: r#"
frontend {backend}
  bind {bindAddr}:{servicePort}{sslCert}{bindOptions}
  mode {mode}
"#,
    },
    TplInfo {
        name: "HEAD",
        formatted: false,
        label: None,
        text: r#"global
  log /dev/log local0
  log /dev/log local1 notice
  spread-checks 5
  max-spread-checks 15000
  maxconn 50000
  tune.ssl.default-dh-param 2048
  ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:!aNULL:!MD5:!DSS
  ssl-default-bind-options no-sslv3 no-tlsv10 no-tls-tickets
  ssl-default-server-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:!aNULL:!MD5:!DSS
  ssl-default-server-options no-sslv3 no-tlsv10 no-tls-tickets
  stats socket /var/run/haproxy/socket expose-fd listeners
  server-state-file global
  server-state-base /var/state/haproxy/
  lua-load /marathon-lb/getpids.lua
  lua-load /marathon-lb/getconfig.lua
  lua-load /marathon-lb/getmaps.lua
  lua-load /marathon-lb/signalmlb.lua
defaults
  load-server-state-from-file global
  log               global
  retries                   3
  backlog               10000
  maxconn               10000
  timeout connect          3s
  timeout client          30s
  timeout server          30s
  timeout tunnel        3600s
  timeout http-keep-alive  1s
  timeout http-request    15s
  timeout queue           30s
  timeout tarpit          60s
"#,
    },
    TplInfo {
        name: "HTTPS_FRONTEND_ACL",
        formatted: true,
        label: Some("HTTPS_FRONTEND_ACL"),
        text: r#"  use_backend {backend} if {{ ssl_fc_sni {hostname} }}
"#,
    },
    TplInfo {
        name: "HTTPS_FRONTEND_ACL_ONLY_WITH_PATH",
        formatted: true,
        label: Some("HTTPS_FRONTEND_ACL_ONLY_WITH_PATH"),
        text: r#"  acl path_{backend} path_beg {path}
"#,
    },
    TplInfo {
        name: "HTTPS_FRONTEND_ACL_WITH_AUTH",
        formatted: true,
        label: Some("HTTPS_FRONTEND_ACL_WITH_AUTH"),
        text: r#"  acl auth_{cleanedUpHostname} http_auth(user_{backend})
  http-request auth realm "{realm}" if {{ ssl_fc_sni {hostname} }} !auth_{cleanedUpHostname}
  use_backend {backend} if {{ ssl_fc_sni {hostname} }}
"#,
    },
    TplInfo {
        name: "HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH",
        formatted: true,
        label: Some("HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH"),
        text: r#"  acl auth_{cleanedUpHostname} http_auth(user_{backend})
  http-request auth realm "{realm}" if {{ ssl_fc_sni {hostname} }} path_{backend} !auth_{cleanedUpHostname}
  use_backend {backend} if {{ ssl_fc_sni {hostname} }} path_{backend}
"#,
    },
    TplInfo {
        name: "HTTPS_FRONTEND_ACL_WITH_PATH",
        formatted: true,
        label: Some("HTTPS_FRONTEND_ACL_WITH_PATH"),
        text: r#"  use_backend {backend} if {{ ssl_fc_sni {hostname} }} path_{backend}
"#,
    },
    TplInfo {
        name: "HTTPS_FRONTEND_AUTH_ACL_ONLY",
        formatted: true,
        label: None,
        text: r#"  acl auth_{cleanedUpHostname} http_auth(user_{backend})
"#,
    },
    TplInfo {
        name: "HTTPS_FRONTEND_AUTH_REQUEST_ONLY",
        formatted: true,
        label: None,
        text: r#"  http-request auth realm "{realm}" if {{ ssl_fc_sni {hostname} }} !auth_{cleanedUpHostname}
"#,
    },
    TplInfo {
        name: "HTTPS_FRONTEND_HEAD",
        formatted: true,
        label: None,
        text: r#"
frontend marathon_https_in
  bind *:443 ssl {sslCerts}
  mode http
"#,
    },
    TplInfo {
        name: "HTTPS_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH",
        formatted: true,
        label: None,
        text: r#"  http-request auth realm "{realm}" if host_{cleanedUpHostname} path_{backend} !auth_{cleanedUpHostname}
  use_backend {backend} if host_{cleanedUpHostname} path_{backend}
"#,
    },
    TplInfo {
        name: "HTTPS_GROUPED_FRONTEND_HEAD",
        formatted: false,
        label: None,
        text: r#"
frontend marathon_https_in
  bind *:443
  mode tcp
  tcp-request inspect-delay 5s
  tcp-request content accept if { req_ssl_hello_type 1 }
"#,
    },
    TplInfo {
        name: "HTTPS_GROUPED_VHOST_BACKEND_HEAD",
        formatted: true,
        label: None,
        text: r#"
backend {name}
  server loopback-for-tls abns@{name} send-proxy-v2
"#,
    },
    TplInfo {
        name: "HTTPS_GROUPED_VHOST_FRONTEND_ACL",
        formatted: true,
        label: None,
        text: r#"  use_backend {backend} if {{ req_ssl_sni -i {host} }}
"#,
    },
    TplInfo {
        name: "HTTPS_GROUPED_VHOST_FRONTEND_HEAD",
        formatted: true,
        label: None,
        text: r#"
frontend {name}
  mode http
  bind abns@{name} accept-proxy ssl {sslCerts}{bindOpts}
"#,
    },
    TplInfo {
        name: "HTTP_BACKEND_ACL_ALLOW_DENY",
        formatted: false,
        label: None,
        text: r#"  http-request allow if network_allowed
  http-request deny
"#,
    },
    TplInfo {
        name: "HTTP_BACKEND_NETWORK_ALLOWED_ACL",
        formatted: true,
        label: Some("HTTP_BACKEND_NETWORK_ALLOWED_ACL"),
        text: r#"  acl network_allowed src {network_allowed}
"#,
    },
    TplInfo {
        name: "HTTP_BACKEND_PROXYPASS_GLUE",
        formatted: true,
        label: Some("HTTP_BACKEND_PROXYPASS_GLUE"),
        text: r#"  http-request set-header Host {hostname}
  reqirep  "^([^ :]*)\ {proxypath}/?(.*)" "\1\ /\2"
"#,
    },
    TplInfo {
        name: "HTTP_BACKEND_REDIR",
        formatted: true,
        label: None,
        text: r#"  acl is_root path -i /
  acl is_domain hdr(host) -i {hostname}
  redirect code 301 location {redirpath} if is_domain is_root
"#,
    },
    TplInfo {
        name: "HTTP_BACKEND_REVPROXY_GLUE",
        formatted: true,
        label: Some("HTTP_BACKEND_REVPROXY_GLUE"),
        text: r#"  acl hdr_location res.hdr(Location) -m found
  rspirep "^Location: (https?://{hostname}(:[0-9]+)?)?(/.*)" "Location:   {rootpath}" if hdr_location
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_ACL",
        formatted: true,
        label: Some("HTTP_FRONTEND_ACL"),
        text: r#"  acl host_{cleanedUpHostname} hdr(host) -i {hostname}
  use_backend {backend} if host_{cleanedUpHostname}
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_ACL_ONLY",
        formatted: true,
        label: Some("HTTP_FRONTEND_ACL_ONLY"),
        text: r#"  acl host_{cleanedUpHostname} hdr(host) -i {hostname}
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_ACL_ONLY_WITH_PATH",
        formatted: true,
        label: Some("HTTP_FRONTEND_ACL_ONLY_WITH_PATH"),
        text: r#"  acl path_{backend} path_beg {path}
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_ACL_ONLY_WITH_PATH_AND_AUTH",
        formatted: true,
        label: Some("HTTP_FRONTEND_ACL_ONLY_WITH_PATH_AND_AUTH"),
        text: r#"  acl path_{backend} path_beg {path}
  acl auth_{cleanedUpHostname} http_auth(user_{backend})
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_ACL_WITH_AUTH",
        formatted: true,
        label: Some("HTTP_FRONTEND_ACL_WITH_AUTH"),
        text: r#"  acl host_{cleanedUpHostname} hdr(host) -i {hostname}
  acl auth_{cleanedUpHostname} http_auth(user_{backend})
  http-request auth realm "{realm}" if host_{cleanedUpHostname} !auth_{cleanedUpHostname}
  use_backend {backend} if host_{cleanedUpHostname}
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_ACL_WITH_AUTH_AND_PATH",
        formatted: true,
        label: Some("HTTP_FRONTEND_ACL_WITH_AUTH_AND_PATH"),
        text: r#"  acl host_{cleanedUpHostname} hdr(host) -i {hostname}
  acl auth_{cleanedUpHostname} http_auth(user_{backend})
  acl path_{backend} path_beg {path}
  http-request auth realm "{realm}" if host_{cleanedUpHostname} path_{backend} !auth_{cleanedUpHostname}
  use_backend {backend} if host_{cleanedUpHostname} path_{backend}
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_ACL_WITH_PATH",
        formatted: true,
        label: Some("HTTP_FRONTEND_ACL_WITH_PATH"),
        text: r#"  acl host_{cleanedUpHostname} hdr(host) -i {hostname}
  acl path_{backend} path_beg {path}
  use_backend {backend} if host_{cleanedUpHostname} path_{backend}
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_APPID_ACL",
        formatted: true,
        label: Some("HTTP_FRONTEND_APPID_ACL"),
        text: r#"  acl app_{cleanedUpAppId} hdr(x-marathon-app-id) -i {appId}
  use_backend {backend} if app_{cleanedUpAppId}
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_APPID_HEAD",
        formatted: false,
        label: None,
        text: r#"
frontend marathon_http_appid_in
  bind *:9091
  mode http
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_HEAD",
        formatted: false,
        label: None,
        text: r#"
frontend marathon_http_in
  bind *:80
  mode http
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_ROUTING_ONLY",
        formatted: true,
        label: Some("HTTP_FRONTEND_ROUTING_ONLY"),
        text: r#"  use_backend {backend} if host_{cleanedUpHostname}
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_ROUTING_ONLY_WITH_AUTH",
        formatted: true,
        label: Some("HTTP_FRONTEND_ROUTING_ONLY_WITH_AUTH"),
        text: r#"  acl auth_{cleanedUpHostname} http_auth(user_{backend})
  http-request auth realm "{realm}" if host_{cleanedUpHostname} !auth_{cleanedUpHostname}
  use_backend {backend} if host_{cleanedUpHostname}
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH",
        formatted: true,
        label: Some("HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH"),
        text: r#"  use_backend {backend} if host_{cleanedUpHostname} path_{backend}
"#,
    },
    TplInfo {
        name: "HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH",
        formatted: true,
        label: Some("HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH"),
        text: r#"  http-request auth realm "{realm}" if host_{cleanedUpHostname} path_{backend} !auth_{cleanedUpHostname}
  use_backend {backend} if host_{cleanedUpHostname} path_{backend}
"#,
    },
    TplInfo {
        name: "MAP_HTTPS_FRONTEND_ACL",
        formatted: true,
        label: Some("HTTPS_FRONTEND_ACL"),
        text: r#"  use_backend %[ssl_fc_sni,lower,map({haproxy_dir}/domain2backend.map)]
"#,
    },
    TplInfo {
        name: "MAP_HTTP_FRONTEND_ACL",
        formatted: true,
        label: Some("HTTP_FRONTEND_ACL"),
        text: r#"  use_backend %[req.hdr(host),lower,regsub(:.*$,,),map({haproxy_dir}/domain2backend.map)]
"#,
    },
    TplInfo {
        name: "MAP_HTTP_FRONTEND_ACL_ONLY",
        formatted: true,
        label: Some("HTTP_FRONTEND_ACL_ONLY"),
        text: r#"  use_backend %[req.hdr(host),lower,regsub(:.*$,,),map({haproxy_dir}/domain2backend.map)]
"#,
    },
    TplInfo {
        name: "MAP_HTTP_FRONTEND_APPID_ACL",
        formatted: true,
        label: Some("HTTP_FRONTEND_APPID_ACL"),
        text: r#"  use_backend %[req.hdr(x-marathon-app-id),lower,map({haproxy_dir}/app2backend.map)]
"#,
    },
    TplInfo {
        name: "TCP_BACKEND_ACL_ALLOW_DENY",
        formatted: false,
        label: None,
        text: r#"  tcp-request content accept if network_allowed
  tcp-request content reject
"#,
    },
    TplInfo {
        name: "TCP_BACKEND_NETWORK_ALLOWED_ACL",
        formatted: true,
        label: Some("TCP_BACKEND_NETWORK_ALLOWED_ACL"),
        text: r#"  acl network_allowed src {network_allowed}
"#,
    },
    TplInfo {
        name: "USERLIST_HEAD",
        formatted: true,
        label: Some("USERLIST_HEAD"),
        text: r#"
userlist user_{backend}
  user {user} password {passwd}
"#,
    },
];
