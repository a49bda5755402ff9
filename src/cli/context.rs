//! Resolved settings for one run: the global flags and the environment,
//! turned into a [`Connection`] and clients on first use (so offline
//! commands need no cluster). Once resolved, nothing changes for the run.

use std::sync::{Arc, OnceLock};

use anyhow::Context as _;

use crate::cli::GlobalArgs;
use crate::cli::exit::{CliError, ExitCode};
use crate::dcos::auth::{ClusterAuth, CredentialPrompt, Relogin, Secret};
use crate::dcos::config::{self, ConfigError, Connection};
use crate::env::Env;
use crate::http::{self, HttpSettings};
use crate::marathon::MarathonClient;
use crate::output::{Ui, UiSettings};

/// Everything a command needs from outside: flags, environment, clients.
#[derive(Debug)]
pub struct Context {
    global: GlobalArgs,
    env: Env,
    prompt: Option<UiSettings>,
    connection: OnceLock<Arc<Connection>>,
    marathon: OnceLock<MarathonClient>,
    lb_http: OnceLock<reqwest::blocking::Client>,
}

impl Context {
    /// A context over parsed global flags and an environment snapshot.
    pub fn new(global: GlobalArgs, env: Env) -> Self {
        Self {
            global,
            env,
            prompt: None,
            connection: OnceLock::new(),
            marathon: OnceLock::new(),
            lb_http: OnceLock::new(),
        }
    }

    /// Allows asking for a user name and password when the cluster answers
    /// 401, on the terminal of `ui` and as it writes (only when it can
    /// prompt: stdin and stderr are terminals).
    #[must_use]
    pub fn interactive(mut self, ui: &Ui) -> Self {
        self.prompt = ui.can_prompt().then(|| ui.settings());
        self
    }

    /// The global flags.
    pub fn global(&self) -> &GlobalArgs {
        &self.global
    }

    /// The environment snapshot.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The cluster connection: resolved on first call, then fixed.
    pub fn connection(&self) -> anyhow::Result<Arc<Connection>> {
        if let Some(connection) = self.connection.get() {
            return Ok(connection.clone());
        }
        let resolved = Arc::new(config::resolve(&self.global.connection, &self.env).map_err(
            |err| {
                if matches!(err, ConfigError::NotAttached) {
                    anyhow::Error::new(CliError::new(ExitCode::Failure, err.to_string()).hint(
                        "or run `dcos cluster setup <url>`, or pass --url URL or --marathon URL",
                    ))
                } else {
                    err.into()
                }
            },
        )?);
        Ok(self.connection.get_or_init(|| resolved).clone())
    }

    /// The TLS and timeout settings of this run.
    pub fn http_settings(&self) -> anyhow::Result<HttpSettings> {
        let connection = self.connection()?;
        Ok(HttpSettings {
            tls: connection.tls.clone(),
            timeout: connection.timeout,
        })
    }

    /// The Marathon client (clones share credentials and re-logins).
    pub fn marathon(&self) -> anyhow::Result<MarathonClient> {
        if let Some(client) = self.marathon.get() {
            return Ok(client.clone());
        }
        let connection = self.connection()?;
        let settings = self.http_settings()?;
        let api = http::api_client(&settings)?;
        let stream = http::stream_client(&settings)?;
        let relogin = match (&connection.service_account, self.prompt) {
            (Some(account), _) => Some(Relogin::ServiceAccount(account.clone())),
            (None, Some(ui)) => Some(Relogin::Interactive(Box::new(TerminalPrompt { ui }))),
            (None, None) => None,
        };
        // A service account logs in first unless a token came from --token.
        let token = match relogin {
            Some(Relogin::ServiceAccount(_)) if !connection.token_from_flag => None,
            _ => connection.token.clone(),
        };
        let auth = ClusterAuth::new(
            connection.dcos_url.as_ref(),
            token,
            relogin,
            connection
                .basic_auth
                .clone()
                .map(|basic| (&connection.marathon_url, basic)),
        );
        let client = MarathonClient::new(
            connection.marathon_url.clone(),
            api,
            stream,
            Arc::new(auth),
            connection.timeout,
        );
        Ok(self.marathon.get_or_init(|| client).clone())
    }

    /// A client for marathon-lb's endpoints (port 9090): this run's TLS and
    /// timeout settings and NO credentials.
    pub fn lb_http(&self) -> anyhow::Result<reqwest::blocking::Client> {
        if let Some(client) = self.lb_http.get() {
            return Ok(client.clone());
        }
        let client = http::api_client(&self.http_settings()?)
            .context("setting up the marathon-lb HTTP client")?;
        Ok(self.lb_http.get_or_init(|| client).clone())
    }

    /// One of our `[lb]` settings (`dcos config set lb.<key> …`, or the
    /// `DCOS_LB_<KEY>` variable the dcos CLI derives from it), e.g.
    /// `ctx.lb_setting("marathon_lb_url")`. Keys are case-insensitive.
    pub fn lb_setting(&self, key: &str) -> Option<String> {
        let key = key.to_lowercase();
        match self.connection() {
            Ok(connection) => connection.lb.get(&key).cloned(),
            // Without a cluster connection, only the environment's settings.
            Err(_) => config::lb_settings(None, &self.env).remove(&key),
        }
    }
}

/// Asks for a user name and a hidden password on the terminal.
/// Asks on the run's terminal, written as the run's `Ui` writes (its
/// colour and verbosity: `-q` hides the explanation, not the prompt).
struct TerminalPrompt {
    ui: UiSettings,
}

impl CredentialPrompt for TerminalPrompt {
    fn ask(&self) -> Option<(String, Secret)> {
        let mut ui = self.ui.open();
        ui.info("Authentication required: log in to the cluster (for this run only).");
        let user = ui.prompt_line("Username: ").ok()?;
        if user.trim().is_empty() {
            return None;
        }
        let password = ui.prompt_password("Password: ").ok()?;
        Some((user.trim().to_string(), Secret::new(password)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lb_http_never_carries_the_token_but_marathon_does() {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
        let port = server.server_addr().to_ip().expect("ip").port();
        let url = format!("http://127.0.0.1:{port}");
        let handle = std::thread::spawn(move || {
            let mut auth = Vec::new();
            for _ in 0..2 {
                let mut request = server.recv().expect("request");
                let _ = request.as_reader().read_to_end(&mut Vec::new());
                auth.push(
                    request
                        .headers()
                        .iter()
                        .find(|h| h.field.equiv("Authorization"))
                        .map(|h| h.value.to_string()),
                );
                let body = tiny_http::Response::from_string(r#"{"version":"1"}"#);
                request.respond(body).expect("respond");
            }
            auth
        });
        let global = GlobalArgs {
            connection: config::Overrides {
                url: Some(url.clone()),
                token: Some(Secret::new("the-token")),
                ..config::Overrides::default()
            },
            ..GlobalArgs::default()
        };
        let ctx = Context::new(global, Env::default());
        ctx.lb_http()
            .expect("client")
            .get(format!("{url}/_haproxy_getpids"))
            .send()
            .expect("lb request");
        ctx.marathon().expect("client").info().expect("info");
        let auth = handle.join().expect("server");
        assert_eq!(auth, [None, Some("token=the-token".to_string())]);
        assert!(!format!("{ctx:?}").contains("the-token"));
    }
}
