//! DC/OS and Marathon authentication as the simulator enforces it:
//! `Authorization: token=<ACS token>` (Admin Router), HTTP basic auth (bare
//! Marathon with `--http_credentials`), tokens that expire after N requests,
//! and `POST /acs/api/v1/auth/login` with a user's password or a service
//! account's RS256 login JWT (`{"uid","token"}`).

use super::SimConfig;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// ACS tokens the simulator accepts, each with the requests it has left (`None` = unlimited).
#[derive(Default)]
pub struct Tokens {
    valid: HashMap<String, Option<u32>>,
    issued: u32,
}

impl Tokens {
    /// The configured token, valid from the start.
    pub fn new(config: &SimConfig) -> Self {
        let mut tokens = Self::default();
        if let Some(token) = &config.token {
            tokens
                .valid
                .insert(token.clone(), config.token_expires_after);
        }
        tokens
    }

    /// Checks a request's `Authorization` header against the configured auth;
    /// on failure returns the `WWW-Authenticate` challenge for the 401.
    pub fn check(
        &mut self,
        config: &SimConfig,
        authorization: Option<&str>,
    ) -> Result<(), &'static str> {
        if config.token.is_none() && config.basic_auth.is_none() {
            return Ok(());
        }
        let header = authorization.unwrap_or("");
        if let (Some((user, password)), Some(encoded)) =
            (&config.basic_auth, header.strip_prefix("Basic "))
        {
            let expected = STANDARD.encode(format!("{user}:{password}"));
            if encoded.trim() == expected {
                return Ok(());
            }
        }
        if let Some(token) = header.strip_prefix("token=")
            && let Some(left) = self.valid.get_mut(token.trim())
        {
            match left {
                None => return Ok(()),
                Some(0) => {}
                Some(n) => {
                    *n -= 1;
                    return Ok(());
                }
            }
        }
        let challenge = if config.token.is_some() {
            "acsjwt"
        } else {
            "Basic realm=\"Mesosphere Marathon\""
        };
        Err(challenge)
    }

    /// `POST /acs/api/v1/auth/login`: a new token for valid credentials.
    pub fn login(&mut self, config: &SimConfig, body: &Value) -> Option<String> {
        let uid = body.get("uid").and_then(Value::as_str)?;
        let accepted = if let Some(password) = body.get("password").and_then(Value::as_str) {
            config.users.iter().any(|(u, p)| u == uid && p == password)
        } else if let Some(jwt) = body.get("token").and_then(Value::as_str) {
            config
                .service_accounts
                .iter()
                .any(|sa| sa.uid == uid && valid_login_jwt(jwt, uid, sa.public_key_pem.as_deref()))
        } else {
            false
        };
        if !accepted {
            return None;
        }
        self.issued += 1;
        let token = format!(
            "{}-{}",
            config.token.as_deref().unwrap_or("sim-token"),
            self.issued
        );
        self.valid.insert(token.clone(), config.token_expires_after);
        Some(token)
    }
}

/// DC/OS IAM's answer to bad credentials.
pub fn login_failed() -> Value {
    json!({
        "title": "Unauthorized",
        "description": "The login credentials are invalid.",
        "code": "ERR_INVALID_CREDENTIALS",
    })
}

/// A service-account login JWT: RS256, claim `uid` equal to `uid`, `exp` (if
/// present) in the future, and a valid signature when a public key is known.
fn valid_login_jwt(jwt: &str, uid: &str, public_key_pem: Option<&str>) -> bool {
    let parts: Vec<&str> = jwt.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return false;
    };
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).ok();
    let json_of =
        |part: &str| decode(part).and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok());
    let (Some(header_json), Some(claims), Some(signature)) =
        (json_of(header), json_of(payload), decode(signature))
    else {
        return false;
    };
    if header_json.get("alg").and_then(Value::as_str) != Some("RS256")
        || claims.get("uid").and_then(Value::as_str) != Some(uid)
    {
        return false;
    }
    let now = i64::try_from(super::clock::now_millis() / 1000).unwrap_or(i64::MAX);
    if claims
        .get("exp")
        .and_then(Value::as_i64)
        .is_some_and(|exp| exp <= now)
    {
        return false;
    }
    let Some(pem) = public_key_pem else {
        return true;
    };
    let Ok(key) = RsaPublicKey::from_public_key_pem(pem) else {
        return false;
    };
    let digest = Sha256::digest(format!("{header}.{payload}"));
    key.verify(rs256_padding(), &digest, &signature).is_ok()
}

/// PKCS#1 v1.5 padding for SHA-256 (RS256), with the DER `DigestInfo` prefix
/// spelled out because sha2's `oid` feature is not enabled in this build.
fn rs256_padding() -> Pkcs1v15Sign {
    const SHA256_DIGEST_INFO: [u8; 19] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    Pkcs1v15Sign {
        hash_len: Some(32),
        prefix: Box::new(SHA256_DIGEST_INFO),
    }
}

/// Signs a service-account login JWT (`{"uid", "exp"}`, RS256) with a PKCS#8 PEM private key,
/// as the DC/OS CLI and marathon-lb do before `POST /acs/api/v1/auth/login`.
pub fn sign_login_jwt(uid: &str, private_key_pem: &str, exp: i64) -> String {
    let key = RsaPrivateKey::from_pkcs8_pem(private_key_pem).expect("PKCS#8 PEM private key");
    let header = URL_SAFE_NO_PAD.encode(json!({ "alg": "RS256", "typ": "JWT" }).to_string());
    let claims = URL_SAFE_NO_PAD.encode(json!({ "uid": uid, "exp": exp }).to_string());
    let digest = Sha256::digest(format!("{header}.{claims}"));
    let signature = key.sign(rs256_padding(), &digest).expect("RSA signature");
    format!("{header}.{claims}.{}", URL_SAFE_NO_PAD.encode(signature))
}
