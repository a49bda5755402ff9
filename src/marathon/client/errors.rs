//! Marathon's answers turned into [`MarathonError`]: HTTP statuses with
//! Marathon's own messages and field details, transport failures, redirects
//! and bodies that do not decode. Printed URLs carry no credentials.

use std::time::Duration;

use reqwest::Method;
use reqwest::blocking::Response;
use reqwest::header::LOCATION;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::display_url;
use crate::dcos::auth::{AuthError, ClusterAuth};
use crate::http::{TransportKind, classify, describe_transport_error};
use crate::marathon::MarathonError;

pub(super) fn read_json<T: DeserializeOwned>(
    response: Response,
    url: &Url,
) -> Result<T, MarathonError> {
    let bytes = response.bytes().map_err(|e| MarathonError::Decode {
        url: display_url(url),
        detail: describe_transport_error(&e),
    })?;
    serde_json::from_slice(&bytes).map_err(|e| decode_error(url, &e))
}

pub(super) fn decode_error(url: &Url, err: &serde_json::Error) -> MarathonError {
    MarathonError::Decode {
        url: display_url(url),
        detail: err.to_string(),
    }
}

pub(super) fn transport_error(
    method: &Method,
    url: &Url,
    err: &reqwest::Error,
    timeout: Duration,
) -> MarathonError {
    match classify(err) {
        TransportKind::Timeout => MarathonError::Timeout {
            method: method.to_string(),
            url: display_url(url),
            seconds: timeout.as_secs(),
        },
        TransportKind::Tls => MarathonError::Tls {
            detail: describe_transport_error(err),
        },
        TransportKind::Unreachable | TransportKind::Other => MarathonError::Unreachable {
            url: display_url(url),
            detail: describe_transport_error(err),
        },
    }
}

/// Where a redirect points, and what to do: dcos-lb follows none, since
/// the token must not follow a redirect to another host.
pub(super) fn redirect_reason(url: &Url, location: Option<&str>) -> String {
    match location.map(|l| url.join(l)) {
        Some(Ok(target)) => format!(
            "redirected to {}; dcos-lb follows no redirects: use that address in --url or --marathon",
            display_url(&target)
        ),
        Some(Err(_)) => {
            "redirected to an address that is not a URL; dcos-lb follows no redirects".to_string()
        }
        None => "a redirect without a Location header; dcos-lb follows no redirects".to_string(),
    }
}

/// Turns a non-success response into the error the user should see.
pub(super) fn status_error(
    auth: &ClusterAuth,
    method: &Method,
    url: &Url,
    response: Response,
    what: Option<&str>,
) -> MarathonError {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned());
    let text = response.text().unwrap_or_default();
    let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let message = json
        .get("message")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| {
            text.chars()
                .take(200)
                .collect::<String>()
                .trim()
                .to_string()
        });
    match status {
        401 => match auth.withheld_from(url) {
            Some(cluster) => MarathonError::Auth(AuthError::TokenWithheld {
                url: display_url(url),
                cluster: cluster.to_string(),
            }),
            None => MarathonError::Unauthorized,
        },
        300..=399 => MarathonError::Status {
            method: method.to_string(),
            url: display_url(url),
            status,
            message: redirect_reason(url, location.as_deref()),
        },
        403 => MarathonError::Forbidden,
        404 if what.is_some() => MarathonError::NotFound {
            what: what.unwrap_or_default().to_string(),
        },
        409 if json.get("deployments").is_some() => {
            let deployments: Vec<String> = json["deployments"]
                .as_array()
                .map(|ds| {
                    ds.iter()
                        .filter_map(|d| d.get("id").and_then(Value::as_str))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let subject = what.unwrap_or("the app");
            let ids = deployments.join(", ");
            let watch = deployments
                .first()
                .map(|d| format!(" (`dcos lb deployment watch {d}`)"))
                .unwrap_or_default();
            MarathonError::Locked {
                message: format!(
                    "{subject} is locked by deployment {ids}: wait until it finishes{watch}, or retry with --force to cancel it"
                ),
                deployments,
            }
        }
        400 | 422 => MarathonError::Invalid {
            status,
            message,
            details: format_details(&json),
        },
        _ => MarathonError::Status {
            method: method.to_string(),
            url: display_url(url),
            status,
            message,
        },
    }
}

/// Marathon's `details: [{path, errors: [...]}]` as `\n  path: error; error` lines.
pub(super) fn format_details(json: &Value) -> String {
    json.get("details")
        .and_then(Value::as_array)
        .map(|details| {
            details
                .iter()
                .map(|d| {
                    let path = d.get("path").and_then(Value::as_str).unwrap_or("/");
                    let errors = d
                        .get("errors")
                        .and_then(Value::as_array)
                        .map(|es| {
                            es.iter()
                                .map(|e| e.as_str().map_or_else(|| e.to_string(), str::to_string))
                                .collect::<Vec<_>>()
                                .join("; ")
                        })
                        .unwrap_or_default();
                    format!("\n  {path}: {errors}")
                })
                .collect()
        })
        .unwrap_or_default()
}
