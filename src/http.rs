//! The blocking HTTP clients: TLS mode, CA bundle (verified by
//! `crate::tls`), timeouts and the `dcos-lb/<version>` user agent. No
//! client here carries credentials; `dcos::auth::ClusterAuth` adds them per
//! request, only for the cluster.

use std::error::Error as _;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::blocking::Client;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// How TLS certificates are checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// Verify with the system roots.
    #[default]
    Verify,
    /// Verify against this PEM bundle only.
    CaFile(PathBuf),
    /// Do not verify.
    Insecure,
}

/// How long to wait for a TCP connection and TLS handshake.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The idle timeout of the event stream: Marathon sends keep-alives, so five
/// minutes of silence means the connection is dead (marathon-lb's rule).
pub const STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// A client that cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The CA bundle cannot be read.
    #[error("cannot read the CA bundle {path}: {source}")]
    ReadCa {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The CA bundle holds no usable PEM certificate.
    #[error("the CA bundle {path} holds no valid PEM certificate{detail}")]
    BadCa {
        /// The file.
        path: PathBuf,
        /// The parser's words, if any.
        detail: String,
    },
    /// reqwest refused the settings.
    #[error("cannot set up HTTP: {0}")]
    Build(String),
}

/// The settings every client shares.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// TLS verification.
    pub tls: TlsMode,
    /// Per-request timeout of API calls.
    pub timeout: Duration,
}

/// `dcos-lb/<version>`.
pub fn user_agent() -> String {
    format!("dcos-lb/{}", env!("CARGO_PKG_VERSION"))
}

fn builder(settings: &HttpSettings) -> Result<reqwest::blocking::ClientBuilder, HttpError> {
    let mut builder = Client::builder()
        .user_agent(user_agent())
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none());
    match &settings.tls {
        TlsMode::Verify => {}
        TlsMode::Insecure => builder = builder.tls_danger_accept_invalid_certs(true),
        TlsMode::CaFile(path) => {
            let pem = fs_err::read(path).map_err(|source| HttpError::ReadCa {
                path: path.clone(),
                source,
            })?;
            let bad_ca = |detail: String| HttpError::BadCa {
                path: path.clone(),
                detail,
            };
            let certs = CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| bad_ca(format!(": {e}")))?;
            if certs.is_empty() {
                return Err(bad_ca(String::new()));
            }
            let config = crate::tls::client_config(certs).map_err(|e| bad_ca(format!(": {e}")))?;
            builder = builder.tls_backend_preconfigured(config);
        }
    }
    Ok(builder)
}

/// The client for REST calls: the configured timeout applies to each wait.
pub fn api_client(settings: &HttpSettings) -> Result<Client, HttpError> {
    builder(settings)?
        .timeout(settings.timeout)
        .build()
        .map_err(|e| HttpError::Build(e.to_string()))
}

/// The client for the event stream: only a long idle timeout, so a healthy
/// stream is never cut by the API timeout.
pub fn stream_client(settings: &HttpSettings) -> Result<Client, HttpError> {
    builder(settings)?
        .timeout(STREAM_IDLE_TIMEOUT)
        .build()
        .map_err(|e| HttpError::Build(e.to_string()))
}

/// What kind of transport failure a reqwest error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// The request timed out.
    Timeout,
    /// Certificate verification or the TLS handshake failed.
    Tls,
    /// The host could not be reached.
    Unreachable,
    /// Anything else (reading the body, protocol errors).
    Other,
}

/// Classifies a transport error by walking its sources.
pub fn classify(err: &reqwest::Error) -> TransportKind {
    if err.is_timeout() {
        return TransportKind::Timeout;
    }
    let text = describe_transport_error(err).to_lowercase();
    if [
        "certificate",
        "tls",
        "ssl",
        "handshake",
        "unknownissuer",
        "x509",
    ]
    .iter()
    .any(|w| text.contains(w))
    {
        TransportKind::Tls
    } else if err.is_connect() {
        TransportKind::Unreachable
    } else {
        TransportKind::Other
    }
}

/// The innermost useful words of a transport error, without the URL (the
/// caller names it, stripped of credentials).
pub fn describe_transport_error(err: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.is_empty() {
        let text = err.to_string();
        parts.push(match err.url() {
            Some(url) => text.replace(&format!(" ({url})"), ""),
            None => text,
        });
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_the_version() {
        assert_eq!(
            user_agent(),
            format!("dcos-lb/{}", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn missing_or_empty_ca_bundle_is_reported() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("none.pem");
        let settings = |p: &std::path::Path| HttpSettings {
            tls: TlsMode::CaFile(p.to_path_buf()),
            timeout: Duration::from_secs(1),
        };
        assert!(matches!(
            api_client(&settings(&missing)),
            Err(HttpError::ReadCa { .. })
        ));
        let garbage = dir.path().join("garbage.pem");
        fs_err::write(&garbage, "not a certificate").expect("write");
        let err = api_client(&settings(&garbage)).expect_err("garbage");
        assert!(
            err.to_string().contains("no valid PEM certificate"),
            "{err}"
        );
    }
}
