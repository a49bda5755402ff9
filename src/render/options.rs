//! Rendering options (marathon-lb's command-line options that shape the
//! configuration) and the host resolver the caller supplies. Pure: no I/O.

use std::net::Ipv4Addr;

use super::{Date, RenderError};

/// The marathon-lb options that influence the rendered configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    /// `--group` values; `*` renders every service. At least one is needed.
    pub groups: Vec<String>,
    /// `--haproxy-map`: route vhosts and app ids through the two map files.
    pub haproxy_map: bool,
    /// `false` for `--dont-bind-http-https` (no `:80`/`:443` frontends and
    /// no vhost ACLs).
    pub bind_http_https: bool,
    /// `--ssl-certs`, already split on `,` (see [`RenderOptions::ssl_certs_from_arg`]);
    /// empty means `/etc/ssl/cert.pem`.
    pub ssl_certs: Vec<String>,
    /// `--group-https-by-vhost`.
    pub group_https_by_vhost: bool,
    /// `--strict-mode`: services are off unless `HAPROXY_{n}_ENABLED` is true.
    pub strict_mode: bool,
    /// `--health-check`: leave out tasks Marathon does not report alive.
    pub health_check: bool,
    /// `--haproxy-config`: only its directory matters (map file paths).
    pub haproxy_config_path: String,
    /// `--min-serv-port-ip-per-task` (0 together with max 0 disables
    /// service-port auto-assignment).
    pub min_serv_port_ip_per_task: u16,
    /// `--max-serv-port-ip-per-task`.
    pub max_serv_port_ip_per_task: u16,
    /// The `FRAMEWORK_NAME` environment value: the app whose id (without
    /// its leading `/`) equals it is not rendered.
    pub framework_name: Option<String>,
    /// The day marathon-lb would run on (its container's clock, UTC):
    /// `dateutil` takes from it what a free-form deployment date leaves
    /// out (year, month, day) and the century of a two-digit year. `None`
    /// (the default): such dates are an error.
    pub today: Option<Date>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            groups: Vec::new(),
            haproxy_map: false,
            bind_http_https: true,
            ssl_certs: Vec::new(),
            group_https_by_vhost: false,
            strict_mode: false,
            health_check: false,
            haproxy_config_path: "/etc/haproxy/haproxy.cfg".into(),
            min_serv_port_ip_per_task: 10050,
            max_serv_port_ip_per_task: 10100,
            framework_name: None,
            today: None,
        }
    }
}

impl RenderOptions {
    /// Splits a `--ssl-certs` value like marathon-lb: on `,`, no trimming;
    /// an empty value means the default certificate (empty list).
    pub fn ssl_certs_from_arg(arg: &str) -> Vec<String> {
        if arg.is_empty() {
            Vec::new()
        } else {
            arg.split(',').map(str::to_string).collect()
        }
    }

    /// The usage checks marathon-lb makes before running: at least one
    /// group; both port bounds zero or both non-zero; min ≤ max.
    pub fn check(&self) -> Result<(), RenderError> {
        let (min, max) = (
            self.min_serv_port_ip_per_task,
            self.max_serv_port_ip_per_task,
        );
        if (min == 0) != (max == 0) {
            return Err(RenderError::Usage(
                "either specify both --min-serv-port-ip-per-task and --max-serv-port-ip-per-task \
                 or neither (set both to zero to disable auto assignment)"
                    .into(),
            ));
        }
        if min > max {
            return Err(RenderError::Usage(
                "cannot set --min-serv-port-ip-per-task to a higher value than \
                 --max-serv-port-ip-per-task"
                    .into(),
            ));
        }
        if self.groups.is_empty() {
            return Err(RenderError::Usage(
                "argument --group is required: please specify at least one group name".into(),
            ));
        }
        Ok(())
    }

    /// The certificates of the `:443` frontend.
    pub(crate) fn certs(&self) -> Vec<&str> {
        if self.ssl_certs.is_empty() {
            vec!["/etc/ssl/cert.pem"]
        } else {
            self.ssl_certs.iter().map(String::as_str).collect()
        }
    }

    /// Python's `os.path.dirname` of the config path.
    pub(crate) fn haproxy_dir(&self) -> &str {
        let p = self.haproxy_config_path.as_str();
        let head = &p[..p.rfind('/').map_or(0, |i| i + 1)];
        if !head.is_empty() && head.bytes().any(|b| b != b'/') {
            head.trim_end_matches('/')
        } else {
            head
        }
    }
}

/// Resolves a task's `host` to the IPv4 address HAProxy should use, like
/// `socket.gethostbyname` on the load balancer. IPv4 literals never reach
/// the resolver (they resolve to themselves), and each host is asked once
/// per render.
pub trait Resolver {
    /// The address of `host`, or `None` when it does not resolve (the
    /// task is then left out).
    fn resolve(&self, host: &str) -> Option<Ipv4Addr>;
}

/// A resolver that knows no names: only IPv4 literals resolve.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoResolver;

impl Resolver for NoResolver {
    fn resolve(&self, _host: &str) -> Option<Ipv4Addr> {
        None
    }
}

impl<S: std::hash::BuildHasher> Resolver for std::collections::HashMap<String, Ipv4Addr, S> {
    fn resolve(&self, host: &str) -> Option<Ipv4Addr> {
        self.get(host).copied()
    }
}

impl Resolver for std::collections::BTreeMap<String, Ipv4Addr> {
    fn resolve(&self, host: &str) -> Option<Ipv4Addr> {
        self.get(host).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dirname_like_python() {
        let dir = |p: &str| {
            RenderOptions {
                haproxy_config_path: p.into(),
                ..RenderOptions::default()
            }
            .haproxy_dir()
            .to_string()
        };
        assert_eq!(dir("/etc/haproxy/haproxy.cfg"), "/etc/haproxy");
        assert_eq!(dir("/marathon-lb/haproxy.cfg"), "/marathon-lb");
        assert_eq!(dir("/haproxy.cfg"), "/");
        assert_eq!(dir("haproxy.cfg"), "");
        assert_eq!(dir("a//b.cfg"), "a");
    }

    #[test]
    fn usage_checks() {
        let mut o = RenderOptions::default();
        assert!(matches!(o.check(), Err(RenderError::Usage(_))));
        o.groups.push("external".into());
        assert!(o.check().is_ok());
        o.min_serv_port_ip_per_task = 0;
        assert!(o.check().is_err());
        o.max_serv_port_ip_per_task = 0;
        assert!(o.check().is_ok());
        o.min_serv_port_ip_per_task = 20;
        o.max_serv_port_ip_per_task = 10;
        assert!(o.check().is_err());
    }

    #[test]
    fn ssl_certs_arg() {
        assert!(RenderOptions::ssl_certs_from_arg("").is_empty());
        assert_eq!(
            RenderOptions::ssl_certs_from_arg("a, b,"),
            vec!["a", " b", ""]
        );
        let o = RenderOptions::default();
        assert_eq!(o.certs(), vec!["/etc/ssl/cert.pem"]);
    }
}
