//! DC/OS authentication: the [`Secret`] token type, service-account login
//! (marathon-lb's credential file, an RS256 JWT), user/password login, and
//! [`ClusterAuth`], which decides which request carries which credential.
//!
//! The ACS token is sent only to the cluster's own origin (scheme, host and
//! port of `core.dcos_url`), never to any other host.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::HeaderValue;
use rsa::RsaPrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::pkcs8::DecodePrivateKey;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use url::Url;

/// The path of the DC/OS login endpoint below the cluster URL.
pub const LOGIN_PATH: &str = "acs/api/v1/auth/login";

/// How long a service-account login JWT is valid.
const SERVICE_JWT_LIFETIME: Duration = Duration::from_secs(300);

/// A credential that must never be printed: `Debug` and `Display` redact it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for building a request. Never print it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Self::new(value))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(********)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("********")
    }
}

/// A failed login or unusable credential.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The service-account file could not be read.
    #[error("cannot read service-account credentials {path}: {source}")]
    ReadCredentials {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The service-account JSON is malformed.
    #[error(
        "invalid service-account credentials{origin}: {detail} (expected JSON with uid, private_key and login_endpoint)"
    )]
    BadCredentials {
        /// ` in <file>` or empty.
        origin: String,
        /// What is wrong.
        detail: String,
    },
    /// The private key is not a PEM RSA key.
    #[error("the service account's private_key is not a PEM RSA private key: {0}")]
    BadPrivateKey(String),
    /// Signing failed.
    #[error("cannot sign the service-account login token: {0}")]
    Sign(String),
    /// The login endpoint refused the credentials.
    #[error("login as '{uid}' failed (HTTP {status}): {message}")]
    Refused {
        /// The user or service account.
        uid: String,
        /// The status code.
        status: u16,
        /// The DC/OS error description.
        message: String,
    },
    /// A 401 from a host the cluster's token is not sent to.
    #[error(
        "{url} answered HTTP 401: the ACS token of the cluster at {cluster} is sent only to that cluster, not to this host. Drop --marathon (or DCOS_MARATHON_URL, marathon.url) to reach Marathon through the cluster, or give this Marathon its own credentials with --auth-credentials USER:PASSWORD"
    )]
    TokenWithheld {
        /// The URL that was refused (without credentials).
        url: String,
        /// The cluster's origin.
        cluster: String,
    },
    /// The login endpoint could not be reached or answered nonsense.
    #[error("login at {url} failed: {detail}")]
    Transport {
        /// The login URL.
        url: String,
        /// What happened.
        detail: String,
    },
    /// `--auth-credentials` is not `user:password`.
    #[error("--auth-credentials must be USER:PASSWORD")]
    BadBasicCredentials,
}

/// marathon-lb's service-account credential (`DCOS_SERVICE_ACCOUNT_CREDENTIAL`).
#[derive(Clone, Deserialize)]
pub struct ServiceAccount {
    /// The service account's id.
    pub uid: String,
    /// The PEM private key.
    private_key: String,
    /// Where to log in; defaults to the cluster's login endpoint.
    #[serde(default)]
    pub login_endpoint: Option<String>,
}

impl fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("uid", &self.uid)
            .field("private_key", &"********")
            .field("login_endpoint", &self.login_endpoint)
            .finish()
    }
}

impl ServiceAccount {
    /// Reads the credential file.
    pub fn load(path: &Path) -> Result<Self, AuthError> {
        let text = fs_err::read_to_string(path).map_err(|source| AuthError::ReadCredentials {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, &format!(" in {}", path.display()))
    }

    /// Parses the credential JSON (`origin` names where it came from).
    pub fn parse(text: &str, origin: &str) -> Result<Self, AuthError> {
        serde_json::from_str(text).map_err(|e| AuthError::BadCredentials {
            origin: origin.to_string(),
            detail: e.to_string(),
        })
    }

    /// The RS256 JWT `{uid, exp}` the login endpoint accepts, valid until `now + 5 min`.
    pub fn login_jwt(&self, now: SystemTime) -> Result<String, AuthError> {
        let key = RsaPrivateKey::from_pkcs8_pem(&self.private_key)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(&self.private_key))
            .map_err(|e| AuthError::BadPrivateKey(e.to_string()))?;
        let exp = now
            .checked_add(SERVICE_JWT_LIFETIME)
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let claims =
            URL_SAFE_NO_PAD.encode(serde_json::json!({"uid": self.uid, "exp": exp}).to_string());
        let signing_input = format!("{header}.{claims}");
        let digest = Sha256::digest(signing_input.as_bytes());
        let signature = key
            .sign(sha256_pkcs1v15(), &digest)
            .map_err(|e| AuthError::Sign(e.to_string()))?;
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        ))
    }
}

/// PKCS#1 v1.5 padding with SHA-256's DigestInfo prefix (RFC 8017 §9.2 note 1).
fn sha256_pkcs1v15() -> Pkcs1v15Sign {
    const SHA256_DIGEST_INFO: [u8; 19] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    Pkcs1v15Sign {
        hash_len: Some(32),
        prefix: Box::new(SHA256_DIGEST_INFO),
    }
}

/// The body of a login request.
#[derive(Debug)]
pub enum LoginRequest {
    /// A service account's signed JWT.
    ServiceAccount {
        /// The account.
        uid: String,
        /// The JWT.
        token: Secret,
    },
    /// A user name and password.
    Password {
        /// The user.
        uid: String,
        /// The password.
        password: Secret,
    },
}

impl LoginRequest {
    fn uid(&self) -> &str {
        match self {
            Self::ServiceAccount { uid, .. } | Self::Password { uid, .. } => uid,
        }
    }

    fn body(&self) -> serde_json::Value {
        match self {
            Self::ServiceAccount { uid, token } => {
                serde_json::json!({"uid": uid, "token": token.expose()})
            }
            Self::Password { uid, password } => {
                serde_json::json!({"uid": uid, "password": password.expose()})
            }
        }
    }
}

/// POSTs a login and returns the ACS token.
pub fn login(
    http: &reqwest::blocking::Client,
    login_url: &Url,
    request: &LoginRequest,
) -> Result<Secret, AuthError> {
    let transport = |detail: String| AuthError::Transport {
        url: login_url.to_string(),
        detail,
    };
    tracing::debug!(url = %login_url, uid = request.uid(), "logging in");
    let response = http
        .post(login_url.clone())
        .json(&request.body())
        .send()
        .map_err(|e| transport(crate::http::describe_transport_error(&e)))?;
    let status = response.status();
    let body: serde_json::Value = response
        .json()
        .map_err(|e| transport(format!("HTTP {status}, unreadable body: {e}")))?;
    if !status.is_success() {
        let message = ["description", "message", "title"]
            .iter()
            .find_map(|k| body.get(k).and_then(|v| v.as_str()))
            .unwrap_or("no reason given")
            .to_string();
        return Err(AuthError::Refused {
            uid: request.uid().to_string(),
            status: status.as_u16(),
            message,
        });
    }
    body.get("token")
        .and_then(|t| t.as_str())
        .map(Secret::new)
        .ok_or_else(|| transport("the answer has no token".to_string()))
}

/// Asks the user for a user name and password (interactive login).
pub trait CredentialPrompt: Send + Sync {
    /// The user's answer, or `None` when they gave none.
    fn ask(&self) -> Option<(String, Secret)>;
}

/// How to obtain a new token when the cluster answers 401.
pub enum Relogin {
    /// Sign a JWT with the service account's key and log in.
    ServiceAccount(ServiceAccount),
    /// Ask the user (only on an interactive terminal), once per run.
    Interactive(Box<dyn CredentialPrompt>),
}

impl fmt::Debug for Relogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ServiceAccount(sa) => f.debug_tuple("ServiceAccount").field(sa).finish(),
            Self::Interactive(_) => f.write_str("Interactive"),
        }
    }
}

/// HTTP basic credentials for a bare Marathon (`--auth-credentials`).
#[derive(Debug, Clone)]
pub struct BasicAuth {
    /// The user.
    pub user: String,
    /// The password.
    pub password: Secret,
}

impl BasicAuth {
    /// Parses `user:password`.
    pub fn parse(value: &str) -> Result<Self, AuthError> {
        let (user, password) = value
            .split_once(':')
            .ok_or(AuthError::BadBasicCredentials)?;
        Ok(Self {
            user: user.to_string(),
            password: Secret::new(password),
        })
    }

    fn header(&self) -> HeaderValue {
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            self.user,
            self.password.expose()
        ));
        sensitive_header(&format!("Basic {encoded}"))
    }
}

fn sensitive_header(value: &str) -> HeaderValue {
    let mut header = HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static(""));
    header.set_sensitive(true);
    header
}

/// The origin (scheme, host, port) of a URL, as a comparable string.
pub fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Credentials for one run and the rule of which request gets which.
///
/// Shared by every clone of the Marathon client, so a token obtained by a
/// re-login is used from then on.
#[derive(Debug)]
pub struct ClusterAuth {
    cluster_origin: Option<String>,
    login_url: Option<Url>,
    token: RwLock<Option<Secret>>,
    relogin: Option<Relogin>,
    interactive_tried: Mutex<bool>,
    basic: Option<(String, BasicAuth)>,
}

impl ClusterAuth {
    /// Auth for a cluster at `dcos_url` (if any) with an initial token,
    /// a way to log in again, and basic credentials for `marathon_url`.
    pub fn new(
        dcos_url: Option<&Url>,
        token: Option<Secret>,
        relogin: Option<Relogin>,
        basic: Option<(&Url, BasicAuth)>,
    ) -> Self {
        let login_url = match &relogin {
            Some(Relogin::ServiceAccount(sa)) => sa
                .login_endpoint
                .as_deref()
                .and_then(|e| Url::parse(e).ok())
                .or_else(|| dcos_url.and_then(join_login)),
            _ => dcos_url.and_then(join_login),
        };
        Self {
            cluster_origin: dcos_url.map(origin_of),
            login_url,
            token: RwLock::new(token),
            relogin,
            interactive_tried: Mutex::new(false),
            basic: basic.map(|(url, creds)| (origin_of(url), creds)),
        }
    }

    /// No credentials at all.
    pub fn none() -> Arc<Self> {
        Arc::new(Self::new(None, None, None, None))
    }

    /// Whether `url` is on the cluster's origin (and may carry the token).
    pub fn is_cluster_url(&self, url: &Url) -> bool {
        self.cluster_origin
            .as_deref()
            .is_some_and(|origin| origin == origin_of(url))
    }

    /// The cluster's origin when a token is held but not sent to `url`.
    pub fn withheld_from(&self, url: &Url) -> Option<&str> {
        let held = self.token.read().is_ok_and(|t| t.is_some());
        self.cluster_origin
            .as_deref()
            .filter(|_| held && !self.is_cluster_url(url))
    }

    /// The `Authorization` header for a request to `url`, if it gets one.
    pub fn header_for(&self, url: &Url) -> Option<HeaderValue> {
        if self.is_cluster_url(url) {
            let token = self.token.read().ok()?;
            if let Some(token) = token.as_ref() {
                return Some(sensitive_header(&format!("token={}", token.expose())));
            }
        }
        self.basic
            .as_ref()
            .filter(|(origin, _)| *origin == origin_of(url))
            .map(|(_, creds)| creds.header())
    }

    /// Logs in with the service account before the first request when there
    /// is no token yet.
    pub fn ensure_token(&self, http: &reqwest::blocking::Client) -> Result<(), AuthError> {
        let missing = self.token.read().map(|t| t.is_none()).unwrap_or(true);
        if missing && matches!(self.relogin, Some(Relogin::ServiceAccount(_))) {
            self.relogin(http)?;
        }
        Ok(())
    }

    /// Obtains a new token after a 401. `Ok(false)` when there is no way to
    /// log in (no cluster, no service account, no terminal, or the user
    /// already tried once).
    pub fn relogin(&self, http: &reqwest::blocking::Client) -> Result<bool, AuthError> {
        let (Some(relogin), Some(login_url)) = (&self.relogin, &self.login_url) else {
            return Ok(false);
        };
        let request = match relogin {
            Relogin::ServiceAccount(sa) => LoginRequest::ServiceAccount {
                uid: sa.uid.clone(),
                token: Secret::new(sa.login_jwt(SystemTime::now())?),
            },
            Relogin::Interactive(prompt) => {
                let Ok(mut tried) = self.interactive_tried.lock() else {
                    return Ok(false);
                };
                if *tried {
                    return Ok(false);
                }
                *tried = true;
                let Some((uid, password)) = prompt.ask() else {
                    return Ok(false);
                };
                LoginRequest::Password { uid, password }
            }
        };
        let token = login(http, login_url, &request)?;
        if let Ok(mut slot) = self.token.write() {
            *slot = Some(token);
        }
        Ok(true)
    }
}

fn join_login(dcos_url: &Url) -> Option<Url> {
    let mut base = dcos_url.clone();
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    base.join(LOGIN_PATH).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::RsaPublicKey;

    const TEST_KEY: &str =
        include_str!("../../tests/e2e/support/testdata/service_account_private.pem");

    #[test]
    fn secret_never_shows_in_debug_or_display() {
        let s = Secret::new("eyJhbGciOi.secret-token");
        assert_eq!(format!("{s:?}"), "Secret(********)");
        assert_eq!(format!("{s}"), "********");
        let auth = ClusterAuth::new(None, Some(s), None, None);
        assert!(!format!("{auth:?}").contains("secret-token"));
    }

    #[test]
    fn jwt_is_rs256_signed_with_uid_and_exp() {
        let key = RsaPrivateKey::from_pkcs8_pem(TEST_KEY).expect("key");
        let pem = TEST_KEY;
        let sa = ServiceAccount::parse(
            &serde_json::json!({"uid": "mlb", "private_key": pem, "login_endpoint": "https://c/acs/api/v1/auth/login"})
                .to_string(),
            "",
        )
        .expect("parse");
        assert!(!format!("{sa:?}").contains("PRIVATE KEY"));
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let jwt = sa.login_jwt(now).expect("jwt");
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).expect("b64")).expect("json");
        assert_eq!(header["alg"], "RS256");
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
        assert_eq!(claims, serde_json::json!({"uid": "mlb", "exp": 1_000_300}));
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).expect("b64");
        let digest = Sha256::digest(format!("{}.{}", parts[0], parts[1]).as_bytes());
        RsaPublicKey::from(&key)
            .verify(sha256_pkcs1v15(), &digest, &signature)
            .expect("signature verifies");
    }

    #[test]
    fn bad_private_key_is_reported() {
        let sa = ServiceAccount::parse(r#"{"uid":"x","private_key":"nope"}"#, "").expect("parse");
        assert!(matches!(
            sa.login_jwt(SystemTime::now()),
            Err(AuthError::BadPrivateKey(_))
        ));
        assert!(matches!(
            ServiceAccount::parse("{", " in f.json"),
            Err(AuthError::BadCredentials { .. })
        ));
    }

    #[test]
    fn token_goes_only_to_the_cluster_origin() {
        let cluster = Url::parse("https://dcos.example.com/").expect("url");
        let auth = ClusterAuth::new(Some(&cluster), Some(Secret::new("tok")), None, None);
        let header = |u: &str| auth.header_for(&Url::parse(u).expect("url"));
        assert_eq!(
            header("https://dcos.example.com/service/marathon/v2/apps")
                .expect("header")
                .to_str()
                .expect("ascii"),
            "token=tok"
        );
        assert!(header("http://dcos.example.com/service/marathon").is_none());
        assert!(header("https://dcos.example.com:8443/x").is_none());
        assert!(header("https://marathon-lb.example.com:9090/x").is_none());
        assert!(header("https://dcos.example.com.evil.org/x").is_none());
    }

    #[test]
    fn basic_auth_goes_only_to_the_marathon_origin() {
        let marathon = Url::parse("http://marathon.mesos:8080").expect("url");
        let basic = BasicAuth::parse("admin:pw:with:colons").expect("parse");
        assert_eq!(basic.password.expose(), "pw:with:colons");
        let auth = ClusterAuth::new(None, None, None, Some((&marathon, basic)));
        let header = auth
            .header_for(&Url::parse("http://marathon.mesos:8080/v2/apps").expect("url"))
            .expect("header");
        assert!(header.is_sensitive());
        assert_eq!(
            header.to_str().expect("ascii"),
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode("admin:pw:with:colons")
            )
        );
        assert!(
            auth.header_for(&Url::parse("http://lb:9090/").expect("url"))
                .is_none()
        );
        assert!(matches!(
            BasicAuth::parse("nocolon"),
            Err(AuthError::BadBasicCredentials)
        ));
    }

    struct Answer(Option<(String, Secret)>, Arc<Mutex<u32>>);
    impl CredentialPrompt for Answer {
        fn ask(&self) -> Option<(String, Secret)> {
            if let Ok(mut n) = self.1.lock() {
                *n += 1;
            }
            self.0.clone()
        }
    }

    #[test]
    fn interactive_login_asks_once_and_gives_up_without_an_answer() {
        let cluster = Url::parse("http://127.0.0.1:9/").expect("url");
        let asked = Arc::new(Mutex::new(0));
        let auth = ClusterAuth::new(
            Some(&cluster),
            None,
            Some(Relogin::Interactive(Box::new(Answer(None, asked.clone())))),
            None,
        );
        let http = reqwest::blocking::Client::new();
        assert!(!auth.relogin(&http).expect("no error"));
        assert!(!auth.relogin(&http).expect("no error"));
        assert_eq!(*asked.lock().expect("lock"), 1);
    }

    #[test]
    fn login_url_defaults_to_the_cluster() {
        let cluster = Url::parse("https://dcos.example.com/prefix").expect("url");
        let auth = ClusterAuth::new(Some(&cluster), None, None, None);
        assert_eq!(
            auth.login_url.map(|u| u.to_string()).as_deref(),
            Some("https://dcos.example.com/prefix/acs/api/v1/auth/login")
        );
    }
}
