//! Where the cluster is and how to talk to it: resolves flags, the env the
//! dcos CLI injects into plugins, and the current cluster's `dcos.toml` into
//! one immutable [`Connection`]. Reads files only; `dcos.toml` is never
//! written.
//!
//! Precedence (conventions.md §2.5): flags > `DCOS_URL`/`DCOS_ACS_TOKEN`/
//! `DCOS_TLS_*`/`DCOS_LB_*` > `DCOS_SSL_VERIFY`/`DCOS_TIMEOUT`/
//! `DCOS_MARATHON_URL` > the current cluster's `dcos.toml` (§2.3).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::dcos::auth::{AuthError, BasicAuth, Secret, ServiceAccount};
use crate::dcos::toml_error;
use crate::env::{self, Env};
use crate::http::TlsMode;

/// The request timeout when nothing sets one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Marathon's path below the cluster URL.
pub const MARATHON_SERVICE_PATH: &str = "service/marathon";

/// The dcos CLI's hint when no cluster is current.
const ATTACH_HINT: &str = "no cluster is attached. Please run `dcos cluster attach <cluster-name>`";

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// No cluster is configured or attached, and no URL was given.
    #[error("{ATTACH_HINT}")]
    NotAttached,
    /// Several clusters carry the `attached` marker.
    #[error(
        "multiple clusters are attached: {0}. Run `dcos cluster attach <name>` to keep one, or pick one for this run with DCOS_CLUSTER=<name>"
    )]
    MultipleAttached(String),
    /// The current cluster's `dcos.toml` has no `core.dcos_url`.
    #[error(
        "{} has no core.dcos_url: run `dcos cluster setup <url>` to set the cluster up again, or pass --url URL or --marathon URL",
        .0.display()
    )]
    NoDcosUrl(PathBuf),
    /// `DCOS_CLUSTER` matches no cluster.
    #[error("no match found for cluster '{0}' (DCOS_CLUSTER)")]
    NoMatch(String),
    /// `DCOS_CLUSTER` matches several clusters by name.
    #[error("multiple matches found for cluster '{0}' (DCOS_CLUSTER)")]
    MultipleMatches(String),
    /// A `dcos.toml` could not be read or parsed.
    #[error("cannot read {path}: {detail}")]
    ReadConfig {
        /// The file.
        path: PathBuf,
        /// What failed.
        detail: String,
    },
    /// A URL does not parse.
    #[error("invalid URL '{value}' from {source_name}: {detail}")]
    BadUrl {
        /// The value given.
        value: String,
        /// Where it came from (flag, variable or key).
        source_name: String,
        /// The parse error.
        detail: String,
    },
    /// A timeout is not a whole number of seconds.
    #[error("invalid timeout '{value}' from {source_name}: expected whole seconds")]
    BadTimeout {
        /// The value given.
        value: String,
        /// Where it came from.
        source_name: String,
    },
    /// The home directory is unknown and `DCOS_DIR` is unset.
    #[error("cannot find the dcos config directory: set DCOS_DIR or HOME")]
    NoConfigDir,
    /// A credential problem found while resolving.
    #[error(transparent)]
    Auth(#[from] AuthError),
}

/// The cluster a `dcos.toml` belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterRef {
    /// The cluster id (its directory name).
    pub id: String,
    /// `cluster.name`, if set.
    pub name: Option<String>,
    /// The cluster's directory.
    pub dir: PathBuf,
}

impl ClusterRef {
    /// `name (id)`, or the id alone.
    fn describe(&self) -> String {
        match &self.name {
            Some(name) => format!("{name} ({})", self.id),
            None => self.id.clone(),
        }
    }
}

/// Everything needed to reach Marathon, resolved once.
#[derive(Debug, Clone)]
pub struct Connection {
    /// The DC/OS cluster URL without a trailing `/` (absent for a bare Marathon).
    pub dcos_url: Option<Url>,
    /// Marathon's base URL, ending in `/`.
    pub marathon_url: Url,
    /// The ACS token, if any.
    pub token: Option<Secret>,
    /// Whether the token came from `--token` (a service account then only re-logs in).
    pub token_from_flag: bool,
    /// TLS verification.
    pub tls: TlsMode,
    /// The per-request timeout.
    pub timeout: Duration,
    /// HTTP basic credentials for a bare Marathon.
    pub basic_auth: Option<BasicAuth>,
    /// A service account to log in with.
    pub service_account: Option<ServiceAccount>,
    /// The cluster whose `dcos.toml` was used, if any.
    pub cluster: Option<ClusterRef>,
    /// Our `[lb]` settings for this cluster (see [`lb_settings`]).
    pub lb: BTreeMap<String, String>,
}

/// A parsed `dcos.toml`, the keys dcos-lb reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DcosToml {
    /// `[core]`.
    pub core: CoreSection,
    /// `[cluster]`.
    pub cluster: ClusterSection,
    /// `[marathon]`.
    pub marathon: MarathonSection,
    /// `[lb]`, our own section.
    pub lb: toml::Table,
}

/// `[core]` of dcos.toml.
#[derive(Clone, Default, Deserialize)]
#[serde(default)]
pub struct CoreSection {
    /// `core.dcos_url`.
    pub dcos_url: Option<String>,
    /// `core.dcos_acs_token`.
    pub dcos_acs_token: Option<String>,
    /// `core.ssl_verify`: a bool, a bool spelling, or a CA path.
    pub ssl_verify: Option<toml::Value>,
    /// `core.timeout` in seconds.
    pub timeout: Option<toml::Value>,
}

impl std::fmt::Debug for CoreSection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoreSection")
            .field("dcos_url", &self.dcos_url)
            .field(
                "dcos_acs_token",
                &self.dcos_acs_token.as_ref().map(|_| "********"),
            )
            .field("ssl_verify", &self.ssl_verify)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// `[cluster]` of dcos.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClusterSection {
    /// `cluster.name`.
    pub name: Option<String>,
}

/// `[marathon]` of dcos.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MarathonSection {
    /// `marathon.url`.
    pub url: Option<String>,
}

/// A cluster directory and its parsed config.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// Which cluster.
    pub cluster: ClusterRef,
    /// Its `dcos.toml`.
    pub toml: DcosToml,
}

/// The dcos CLI's config root: `DCOS_DIR` (made absolute) or `~/.dcos`.
pub fn dcos_dir(env: &Env) -> Result<PathBuf, ConfigError> {
    if let Some(dir) = env.non_empty(env::DCOS_DIR) {
        let dir = PathBuf::from(dir);
        return Ok(match env.cwd() {
            Some(cwd) if dir.is_relative() => cwd.join(dir),
            _ => dir,
        });
    }
    env.home()
        .map(|home| home.join(".dcos"))
        .ok_or(ConfigError::NoConfigDir)
}

/// Finds the current cluster as the Go dcos CLI does (`manager.go Current`):
/// `DCOS_CLUSTER` by id or name, else the only cluster, else the attached one.
pub fn current_cluster(env: &Env) -> Result<ClusterConfig, ConfigError> {
    let clusters: Vec<(PathBuf, PathBuf)> = cluster_dirs(&dcos_dir(env)?.join("clusters"))
        .into_iter()
        .map(|dir| {
            let file = dir.join("dcos.toml");
            (dir, file)
        })
        .collect();
    let load = |(dir, file): &(PathBuf, PathBuf)| -> Result<ClusterConfig, ConfigError> {
        let toml = read_dcos_toml(file)?;
        Ok(ClusterConfig {
            cluster: ClusterRef {
                id: dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                name: toml.cluster.name.clone(),
                dir: dir.clone(),
            },
            toml,
        })
    };
    if let Some(wanted) = env.non_empty(env::DCOS_CLUSTER) {
        let configs = clusters.iter().map(load).collect::<Result<Vec<_>, _>>()?;
        if let Some(by_id) = configs.iter().find(|c| c.cluster.id == wanted) {
            return Ok(by_id.clone());
        }
        let mut by_name = configs
            .into_iter()
            .filter(|c| c.cluster.name.as_deref() == Some(wanted));
        return match (by_name.next(), by_name.next()) {
            (Some(only), None) => Ok(only),
            (Some(_), Some(_)) => Err(ConfigError::MultipleMatches(wanted.to_string())),
            (None, _) => Err(ConfigError::NoMatch(wanted.to_string())),
        };
    }
    if clusters.len() == 1 {
        return load(&clusters[0]);
    }
    let attached: Vec<_> = clusters
        .iter()
        .filter(|(dir, _)| dir.join("attached").is_file())
        .collect();
    match attached.as_slice() {
        [only] => load(only),
        [] => Err(ConfigError::NotAttached),
        several => {
            let names = several
                .iter()
                .map(|c| load(c).map(|c| c.cluster.describe()))
                .collect::<Result<Vec<_>, _>>()?;
            Err(ConfigError::MultipleAttached(names.join(", ")))
        }
    }
}

/// The cluster folders under `clusters_dir` (each with a `dcos.toml`),
/// sorted.
pub fn cluster_dirs(clusters_dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs_err::read_dir(clusters_dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|dir| dir.is_dir() && dir.join("dcos.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// A cluster folder's `dcos.toml`.
pub fn read_dcos_toml(path: &Path) -> Result<DcosToml, ConfigError> {
    let read_error = |detail: String| ConfigError::ReadConfig {
        path: path.to_path_buf(),
        detail,
    };
    let text = fs_err::read_to_string(path).map_err(|e| read_error(e.to_string()))?;
    toml::from_str(&text).map_err(|e| read_error(toml_error::describe(&text, &e)))
}

/// One warning when the `dcos.toml` that holds a token can be read by the
/// group or by everyone (the dcos CLI warns too).
fn warn_if_others_can_read_the_token(config: &ClusterConfig) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let holds_token = config
            .toml
            .core
            .dcos_acs_token
            .as_deref()
            .is_some_and(|t| !t.is_empty());
        let path = config.cluster.dir.join("dcos.toml");
        let mode = fs_err::metadata(&path).map(|m| m.permissions().mode() & 0o777);
        if let Some(mode) = mode.ok().filter(|m| holds_token && m & 0o077 != 0) {
            tracing::warn!(
                "{} holds the ACS token and other users can read it (mode {mode:04o}); run `chmod 600 {}`",
                path.display(),
                path.display()
            );
        }
    }
}

/// Go's `strconv.ParseBool` spellings.
pub fn parse_go_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// `core.ssl_verify` / `DCOS_SSL_VERIFY`: a bool, a bool spelling, a CA
/// path, or empty (verify with system roots).
pub fn parse_ssl_verify(value: &str) -> TlsMode {
    match parse_go_bool(value.trim()) {
        Some(true) => TlsMode::Verify,
        Some(false) => TlsMode::Insecure,
        None if value.trim().is_empty() => TlsMode::Verify,
        None => TlsMode::CaFile(PathBuf::from(value)),
    }
}

fn toml_scalar(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn parse_url(value: &str, source_name: &str) -> Result<Url, ConfigError> {
    let trimmed = value.trim().trim_end_matches('/');
    Url::parse(trimmed)
        .map_err(|e| e.to_string())
        .and_then(|u| {
            if u.scheme() == "http" || u.scheme() == "https" {
                Ok(u)
            } else {
                Err(format!("unsupported scheme '{}'", u.scheme()))
            }
        })
        .map_err(|detail| ConfigError::BadUrl {
            value: value.to_string(),
            source_name: source_name.to_string(),
            detail,
        })
}

/// `url` with a trailing `/`, so `join("v2/apps")` appends.
pub fn as_base(url: &Url) -> Url {
    let mut base = url.clone();
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    base
}

fn parse_timeout(value: &str, source_name: &str) -> Result<Duration, ConfigError> {
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|s| *s > 0)
        .map(Duration::from_secs)
        .ok_or_else(|| ConfigError::BadTimeout {
            value: value.to_string(),
            source_name: source_name.to_string(),
        })
}

fn same_cluster(a: &Url, b: &Url) -> bool {
    a.as_str().trim_end_matches('/') == b.as_str().trim_end_matches('/')
}

/// What the command line says about the connection (the CLI's global
/// flags); each one given overrides the dcos CLI's configuration and the
/// environment.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Global options")]
pub struct Overrides {
    /// DC/OS cluster URL (default: the dcos CLI's current cluster).
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,
    /// Marathon URL, e.g. `http://marathon.mesos:8080` (as zdd.py's -m).
    #[arg(short = 'm', long, global = true, value_name = "URL")]
    pub marathon: Option<String>,
    /// DC/OS ACS token (default: the dcos CLI's). Never printed.
    #[arg(long, global = true, value_name = "TOKEN", hide_env_values = true)]
    pub token: Option<Secret>,
    /// CA bundle (PEM) to verify the cluster's TLS certificate.
    #[arg(long, global = true, value_name = "PATH")]
    pub ca_file: Option<PathBuf>,
    /// Do not verify TLS certificates.
    #[arg(long, global = true)]
    pub insecure: bool,
    /// Request timeout in seconds.
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        allow_negative_numbers = true
    )]
    pub timeout: Option<u64>,
    /// HTTP basic credentials for a bare Marathon, as marathon-lb's flag.
    #[arg(long, global = true, value_name = "USER:PASS", hide_env_values = true)]
    pub auth_credentials: Option<Secret>,
    /// Service-account credential file (marathon-lb's format); also
    /// DCOS_SERVICE_ACCOUNT_CREDENTIAL.
    #[arg(long, global = true, value_name = "FILE")]
    pub dcos_auth_credentials: Option<PathBuf>,
}

/// Resolves the connection from flags, env and the current cluster's config.
pub fn resolve(global: &Overrides, env: &Env) -> Result<Connection, ConfigError> {
    let url_given = global
        .url
        .as_deref()
        .map(|u| ("--url", u))
        .or_else(|| env.non_empty(env::DCOS_URL).map(|u| (env::DCOS_URL, u)));
    let dcos_url_given = url_given.map(|(src, u)| parse_url(u, src)).transpose()?;
    let marathon_given = global
        .marathon
        .as_deref()
        .map(|u| ("--marathon", u))
        .or_else(|| {
            env.non_empty(env::DCOS_MARATHON_URL)
                .map(|u| (env::DCOS_MARATHON_URL, u))
        });

    // The file is needed for the URL when none was given; otherwise it only
    // adds settings, and only when it describes the same cluster.
    let file = if dcos_url_given.is_none() && marathon_given.is_none() {
        Some(current_cluster(env)?)
    } else {
        match current_cluster(env) {
            Ok(cfg) => Some(cfg),
            Err(err) => {
                tracing::debug!("no cluster config used: {err}");
                None
            }
        }
    };
    let file_url = file
        .as_ref()
        .and_then(|f| f.toml.core.dcos_url.as_deref())
        .map(|u| parse_url(u, "core.dcos_url"))
        .transpose()?;
    let dcos_url = dcos_url_given.clone().or(file_url.clone());
    let file = file.filter(|_| match (&dcos_url_given, &file_url) {
        (Some(given), Some(from_file)) => same_cluster(given, from_file),
        (Some(_), None) => false,
        (None, _) => true,
    });
    let core = file.as_ref().map(|f| &f.toml.core);
    if let Some(f) = &file {
        warn_if_others_can_read_the_token(f);
    }

    let marathon_url = if let Some((src, url)) = marathon_given {
        parse_url(url, src)?
    } else if let Some(url) = file.as_ref().and_then(|f| f.toml.marathon.url.as_deref()) {
        parse_url(url, "marathon.url")?
    } else if let Some(url) = &dcos_url {
        as_base(url)
            .join(MARATHON_SERVICE_PATH)
            .map_err(|e| ConfigError::BadUrl {
                value: url.to_string(),
                source_name: "core.dcos_url".to_string(),
                detail: e.to_string(),
            })?
    } else {
        return Err(match &file {
            Some(f) => ConfigError::NoDcosUrl(f.cluster.dir.join("dcos.toml")),
            None => ConfigError::NotAttached,
        });
    };

    let (token, token_from_flag) = if let Some(t) = &global.token {
        (Some(t.clone()), true)
    } else if let Some(t) = env.get(env::DCOS_ACS_TOKEN) {
        ((!t.is_empty()).then(|| Secret::new(t)), false)
    } else {
        (
            core.and_then(|c| c.dcos_acs_token.as_deref())
                .filter(|t| !t.is_empty())
                .map(Secret::new),
            false,
        )
    };

    let tls = if global.insecure {
        TlsMode::Insecure
    } else if let Some(ca) = &global.ca_file {
        TlsMode::CaFile(ca.clone())
    } else if env.get(env::DCOS_TLS_INSECURE) == Some("1") {
        TlsMode::Insecure
    } else if let Some(ca) = env.non_empty(env::DCOS_TLS_CA_PATH) {
        TlsMode::CaFile(PathBuf::from(ca))
    } else if let Some(v) = env.get(env::DCOS_SSL_VERIFY) {
        parse_ssl_verify(v)
    } else if let Some(v) = core.and_then(|c| c.ssl_verify.as_ref()) {
        parse_ssl_verify(&toml_scalar(v))
    } else {
        TlsMode::Verify
    };

    let timeout = if let Some(secs) = global.timeout {
        parse_timeout(&secs.to_string(), "--timeout")?
    } else if let Some(v) = env.non_empty(env::DCOS_TIMEOUT) {
        parse_timeout(v, env::DCOS_TIMEOUT)?
    } else if let Some(v) = core.and_then(|c| c.timeout.as_ref()) {
        parse_timeout(&toml_scalar(v), "core.timeout")?
    } else {
        DEFAULT_TIMEOUT
    };

    let basic_auth = global
        .auth_credentials
        .as_ref()
        .map(|c| BasicAuth::parse(c.expose()))
        .transpose()?;
    let service_account = if let Some(path) = &global.dcos_auth_credentials {
        Some(ServiceAccount::load(path)?)
    } else if let Some(value) = env.non_empty(env::DCOS_SERVICE_ACCOUNT_CREDENTIAL) {
        Some(load_service_account_env(value)?)
    } else {
        None
    };

    Ok(Connection {
        dcos_url,
        marathon_url: as_base(&marathon_url),
        token,
        token_from_flag,
        tls,
        timeout,
        basic_auth,
        service_account,
        lb: lb_settings(file.as_ref(), env),
        cluster: file.map(|f| f.cluster),
    })
}

/// `DCOS_SERVICE_ACCOUNT_CREDENTIAL` holds the JSON itself (marathon-lb) or a
/// path to it (what `--dcos-auth-credentials` takes).
fn load_service_account_env(value: &str) -> Result<ServiceAccount, AuthError> {
    if value.trim_start().starts_with('{') {
        ServiceAccount::parse(
            value,
            &format!(" in {}", env::DCOS_SERVICE_ACCOUNT_CREDENTIAL),
        )
    } else {
        ServiceAccount::load(Path::new(value))
    }
}

/// Our `[lb]` settings: `DCOS_LB_<KEY>` from the environment over the `[lb]`
/// table of `file`, the `dcos.toml` of the cluster the connection uses (the
/// one `--url` names, not the attached one when they differ). Keys are lower
/// case.
pub fn lb_settings(file: Option<&ClusterConfig>, env: &Env) -> BTreeMap<String, String> {
    let mut settings: BTreeMap<String, String> = file
        .map(|c| {
            c.toml
                .lb
                .iter()
                .map(|(k, v)| (k.to_lowercase(), toml_scalar(v)))
                .collect()
        })
        .unwrap_or_default();
    for (name, value) in env.with_prefix(env::DCOS_LB_PREFIX) {
        if name == env::DCOS_LB_LOG {
            continue;
        }
        let key = name[env::DCOS_LB_PREFIX.len()..].to_lowercase();
        settings.insert(key, value.to_string());
    }
    settings
}

#[cfg(test)]
mod tests;
