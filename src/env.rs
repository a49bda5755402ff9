//! Every environment variable dcos-lb reads, and [`Env`], a snapshot of the
//! process environment taken once at start-up so the rest of the crate never
//! calls `std::env` (tests build an `Env` from a map).

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The dcos cluster URL, injected by the dcos CLI.
pub const DCOS_URL: &str = "DCOS_URL";
/// The ACS token, injected by the dcos CLI (empty means none).
pub const DCOS_ACS_TOKEN: &str = "DCOS_ACS_TOKEN";
/// `1` when TLS verification is off (injected by the dcos CLI).
pub const DCOS_TLS_INSECURE: &str = "DCOS_TLS_INSECURE";
/// A CA bundle path (injected by the dcos CLI).
pub const DCOS_TLS_CA_PATH: &str = "DCOS_TLS_CA_PATH";
/// `1` or `2` with `dcos -v`/`-vv`.
pub const DCOS_VERBOSITY: &str = "DCOS_VERBOSITY";
/// `info` or `debug`.
pub const DCOS_LOG_LEVEL: &str = "DCOS_LOG_LEVEL";
/// Overrides `core.ssl_verify`.
pub const DCOS_SSL_VERIFY: &str = "DCOS_SSL_VERIFY";
/// Overrides `core.timeout`.
pub const DCOS_TIMEOUT: &str = "DCOS_TIMEOUT";
/// Overrides `marathon.url`.
pub const DCOS_MARATHON_URL: &str = "DCOS_MARATHON_URL";
/// The dcos CLI's config root (default `~/.dcos`).
pub const DCOS_DIR: &str = "DCOS_DIR";
/// Chooses the cluster by id or name.
pub const DCOS_CLUSTER: &str = "DCOS_CLUSTER";
/// Prefix of our own `[lb]` config keys as the dcos CLI injects them.
pub const DCOS_LB_PREFIX: &str = "DCOS_LB_";
/// A service-account credential file (marathon-lb's format).
pub const DCOS_SERVICE_ACCOUNT_CREDENTIAL: &str = "DCOS_SERVICE_ACCOUNT_CREDENTIAL";
/// Disables color when non-empty.
pub const NO_COLOR: &str = "NO_COLOR";
/// Terminal width.
pub const COLUMNS: &str = "COLUMNS";
/// A tracing filter for debugging dcos-lb itself.
pub const DCOS_LB_LOG: &str = "DCOS_LB_LOG";

/// A snapshot of the environment and the user's home directory.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
    home: Option<PathBuf>,
    cwd: Option<PathBuf>,
}

impl Env {
    /// Reads the real process environment.
    pub fn from_process() -> Self {
        Self {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
            home: dirs::home_dir(),
            cwd: std::env::current_dir().ok(),
        }
    }

    /// An environment made of these variables, for tests.
    pub fn from_map(
        vars: BTreeMap<String, String>,
        home: Option<PathBuf>,
        cwd: Option<PathBuf>,
    ) -> Self {
        Self { vars, home, cwd }
    }

    /// A variable's value, if set (possibly empty).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars.get(key).map(String::as_str)
    }

    /// A variable's value if set and not empty.
    pub fn non_empty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.is_empty())
    }

    /// Every variable whose name starts with `prefix`.
    pub fn with_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.vars
            .range(prefix.to_string()..)
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The user's home directory.
    pub fn home(&self) -> Option<&PathBuf> {
        self.home.as_ref()
    }

    /// The working directory, for making relative paths absolute.
    pub fn cwd(&self) -> Option<&PathBuf> {
        self.cwd.as_ref()
    }
}

/// The path of the running executable (the sandbox finds what ships beside
/// it; the tests find the task server example).
pub fn current_exe() -> std::io::Result<PathBuf> {
    std::env::current_exe()
}
