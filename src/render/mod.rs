//! `dcos lb render`'s engine: marathon-lb v1.15's HAProxy configuration,
//! byte for byte, from a Marathon `/v2/apps?embed=apps.tasks` body.
//!
//! Pure: no file, environment, network or clock access — except
//! [`validate`], which prepares a rendered configuration for `haproxy -c`
//! (stand-in files) and says so at its top.
//!
//! # API
//!
//! ```text
//! Apps::from_slice(&'a [u8]) -> Result<Apps<'a>, RenderError>     // parse a /v2/apps body
//! Apps::from_value(&'a serde_json::Value) -> Result<Apps<'a>, RenderError>
//! Apps::into_owned(self) -> Apps<'static>    // copies the strings out of the input
//! RenderOptions { groups, haproxy_map, bind_http_https, ssl_certs, group_https_by_vhost,
//!                 strict_mode, health_check, haproxy_config_path,
//!                 min_serv_port_ip_per_task, max_serv_port_ip_per_task, framework_name, today }
//! RenderOptions::default()                 // marathon-lb's defaults, no group
//! RenderOptions::check(&self) -> Result<(), RenderError>   // usage errors (exit 2)
//! RenderOptions::ssl_certs_from_arg(&str) -> Vec<String>
//! Date::new(year, month, day) -> Option<Date>      // RenderOptions::today
//! Date::from_unix_days(i64) -> Option<Date>
//! Templates::new(files: &BTreeMap<String, String>, env: &BTreeMap<String, String>) -> Templates
//! Templates::names() -> impl Iterator<Item = String>       // HAPROXY_<NAME> of every template
//! trait Resolver { fn resolve(&self, host: &str) -> Option<Ipv4Addr>; }
//!     // implemented by NoResolver, HashMap<String, Ipv4Addr>, BTreeMap<String, Ipv4Addr>
//! render(&Apps, &RenderOptions, &Templates, &dyn Resolver) -> Result<Rendered, RenderError>
//! render_into(&Apps, &RenderOptions, &Templates, &dyn Resolver, buffer: String) -> Result<Rendered, RenderError>
//! Rendered { haproxy_cfg: String, domain2backend_map: Option<String>, app2backend_map: Option<String> }
//! server_id(name: &str, taken: &mut HashSet<u32>) -> u32    // marathon-lb's calculate_server_id
//! sanitize(&str) -> String
//! validate::removed_directives(cfg: &str) -> Vec<(usize, &'static str)>  // (line, directive)
//! validate::removal_reason(directive: &str) -> String
//! validate::binds_without_ca_file(cfg: &str) -> Vec<usize>                // lines
//! validate::prepare_standins(cfg: &str, dir: &Path) -> io::Result<String> // writes files, runs openssl
//! RenderError::Usage(_) is a usage error (exit 2); every other variant is marathon-lb failing.
//! ```
//!
//! The caller (the CLI) does the I/O: it reads the apps body, the template
//! files (`--templates DIR`, files named as [`Templates::names`]) and the
//! environment (`HAPROXY_<NAME>`, `HAPROXY_GLOBAL_DEFAULT_OPTIONS` for
//! [`Templates::new`]; `FRAMEWORK_NAME` for
//! [`RenderOptions::framework_name`]), supplies today's date
//! ([`RenderOptions::today`]), provides a [`Resolver`] (a `--hosts`
//! table or the system resolver), calls [`RenderOptions::check`] then
//! [`render`] (or [`render_into`] the body's emptied buffer), and writes `haproxy.cfg` as is (no newline added) plus, with
//! `--haproxy-map`, the two map files next to it. For `--validate` it calls
//! [`validate::prepare_standins`] into a temporary directory and runs
//! `haproxy -c -f`, explaining a refusal with [`validate::removed_directives`]
//! and [`validate::binds_without_ca_file`].
//!
//! Cost: parsing plus rendering grow linearly, about 15 ms per 1 000 apps
//! with 3 tasks each (`cargo bench --bench render`, glibc malloc); the
//! whole `dcos-lb render` process (mimalloc) takes about 0.1 s and 90 MiB
//! peak RSS for 10 000 apps (a 29 MB body). The parsed apps borrow from
//! the input bytes, which must outlive them, unless [`Apps::into_owned`]
//! copied what they keep (the CLI does, then renders into the body's
//! buffer with [`render_into`]).
//!
//! Behaviour reference: `render-spec.md` (marathon-lb's `get_apps`,
//! `config()` and `ConfigTemplater`). Every input marathon-lb rejects is a
//! [`RenderError`] naming the app and label or template.

mod config;
pub(crate) mod dates;
mod defaults;
mod error;
mod model;
mod names;
mod options;
mod pyfmt;
mod pyint;
pub mod rules;
mod services;
mod templates;
pub mod validate;

pub use dates::Date;
pub use error::RenderError;
pub use model::Apps;
pub use names::{sanitize, server_id};
pub use options::{NoResolver, RenderOptions, Resolver};
pub use templates::Templates;

/// The files a render produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// Content of `haproxy.cfg`.
    pub haproxy_cfg: String,
    /// Content of `domain2backend.map` (`vhost backend` lines); `Some`
    /// only with `--haproxy-map` (then possibly empty).
    pub domain2backend_map: Option<String>,
    /// Content of `app2backend.map` (`app-id backend` lines); `Some` only
    /// with `--haproxy-map`.
    pub app2backend_map: Option<String>,
}

/// Renders marathon-lb's configuration for `apps` (pure and
/// deterministic). Does not apply [`RenderOptions::check`]: with no group
/// requested, services without a group are an error and the others are
/// left out, as in marathon-lb's `config()`.
pub fn render(
    apps: &Apps,
    opts: &RenderOptions,
    templates: &Templates,
    resolver: &dyn Resolver,
) -> Result<Rendered, RenderError> {
    render_into(apps, opts, templates, resolver, String::new())
}

/// [`render`], writing `haproxy.cfg` into `buffer` (emptied first): a
/// caller done with a large allocation (the CLI: the apps body, three
/// times the size of the config) saves a new one for the config.
pub fn render_into(
    apps: &Apps,
    opts: &RenderOptions,
    templates: &Templates,
    resolver: &dyn Resolver,
    buffer: String,
) -> Result<Rendered, RenderError> {
    let merged = services::merge_deployment_groups(apps.list()?, opts.today)?;
    let groups = services::app_groups(&merged);
    let mut hosts = services::HostCache::new(resolver);
    let services = services::build_services(&merged, &groups, opts, &mut hosts)?;
    config::render_config(services, opts, templates, buffer)
}
#[cfg(test)]
mod tests;
