//! Marathon: the REST client, its typed responses, the SSE event parser, app
//! ids, health verdicts, waiting on events, and the labels marathon-lb reads.

pub mod app_id;
pub mod client;
pub mod events;
pub mod health;
pub mod labels;
pub mod types;
pub mod wait;

pub use client::{AppQuery, KillResult, MarathonClient};
pub use events::{EventStream, MarathonEvent};

/// A failed Marathon request, with what the user needs to fix it.
#[derive(Debug, thiserror::Error)]
pub enum MarathonError {
    /// 404: the app (or task, deployment) does not exist.
    #[error("{what} does not exist")]
    NotFound {
        /// e.g. `app '/myapp'`.
        what: String,
    },
    /// 409: a deployment holds the app.
    #[error("{message}")]
    Locked {
        /// Marathon's message.
        message: String,
        /// The ids of the deployments that hold the lock.
        deployments: Vec<String>,
    },
    /// 400/422: Marathon rejected the request body.
    #[error("Marathon rejected the request (HTTP {status}): {message}{details}")]
    Invalid {
        /// The status code.
        status: u16,
        /// Marathon's message.
        message: String,
        /// Formatted `details` entries (`\n  path: error`), possibly empty.
        details: String,
    },
    /// 401.
    #[error("authentication failed, please run `dcos auth login`")]
    Unauthorized,
    /// 403.
    #[error("you are not authorized to perform this operation")]
    Forbidden,
    /// Any other non-success status.
    #[error("{method} {url} failed with HTTP {status}: {message}")]
    Status {
        /// The request method.
        method: String,
        /// The URL (never with credentials).
        url: String,
        /// The status code.
        status: u16,
        /// Marathon's message or the body's start.
        message: String,
    },
    /// The request timed out.
    #[error("{method} {url} timed out after {seconds} s")]
    Timeout {
        /// The request method.
        method: String,
        /// The URL.
        url: String,
        /// The timeout in seconds.
        seconds: u64,
    },
    /// TLS verification failed.
    #[error(
        "An SSL error occurred. To configure your SSL settings, please run: 'dcos config set core.ssl_verify <value>'\n<value>: Whether to verify SSL certs for HTTPS or path to certs. Valid values are a path to a CA_BUNDLE, True (will then use system CA certificates), or False (will then send insecure requests).\n({detail})"
    )]
    Tls {
        /// What the TLS layer said.
        detail: String,
    },
    /// The host could not be reached.
    #[error("cannot reach Marathon at {url}: {detail}")]
    Unreachable {
        /// The URL.
        url: String,
        /// What the transport said.
        detail: String,
    },
    /// Logging in (service account or interactive) failed.
    #[error(transparent)]
    Auth(#[from] crate::dcos::auth::AuthError),
    /// The response was not the JSON we expected.
    #[error("unexpected response from {url}: {detail}")]
    Decode {
        /// The URL.
        url: String,
        /// What failed to parse.
        detail: String,
    },
}
