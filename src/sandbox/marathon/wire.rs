//! The HTTP messages between the simulator's front and its routes: a
//! parsed request, a reply, and what a route does with the connection.

use super::engine::ApiError;
use super::events::Message;
use serde_json::{Value, json};
use std::sync::mpsc::Receiver;

/// A parsed request.
pub struct Request {
    pub method: String,
    /// Percent-decoded path as received.
    pub path: String,
    /// Raw query string (without `?`).
    pub query: String,
    pub(super) headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Client address `ip:port`.
    pub remote: String,
    pub(super) keep_alive: bool,
}

impl Request {
    /// A header value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All values of a query parameter, decoded.
    pub fn params(&self, name: &str) -> Vec<String> {
        self.query
            .split('&')
            .filter_map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(key, true) == name).then(|| decode(value, true))
            })
            .collect()
    }

    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<String> {
        self.params(name).into_iter().next()
    }

    /// Whether a boolean query parameter is `true`.
    pub fn flag(&self, name: &str) -> bool {
        self.param(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The body parsed as JSON, or Marathon's 400 "Invalid JSON".
    pub fn json(&self) -> Result<Value, ApiError> {
        serde_json::from_slice(&self.body).map_err(|e| ApiError {
            status: 400,
            body: json!({ "message": "Invalid JSON", "details": [{ "path": "/", "errors": [e.to_string()] }] }),
        })
    }
}

/// A complete (non-streaming) response.
pub struct Reply {
    pub status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, value: &Value) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: value.to_string().into(),
        }
    }

    /// A plain-text response.
    pub fn text(status: u16, text: &str) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: text.into(),
        }
    }

    /// A response without body.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

impl From<ApiError> for Reply {
    fn from(error: ApiError) -> Self {
        Self::json(error.status, &error.body)
    }
}

/// What a handler produces: a reply, or an event stream to keep open.
pub enum Outcome {
    Reply(Reply),
    Events(Receiver<Message>),
}

impl From<Reply> for Outcome {
    fn from(reply: Reply) -> Self {
        Self::Reply(reply)
    }
}

impl From<ApiError> for Outcome {
    fn from(error: ApiError) -> Self {
        Self::Reply(error.into())
    }
}

/// Percent-decoding; `plus_is_space` for query strings.
pub(super) fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
                continue;
            }
            (b'+', _) if plus_is_space => out.push(b' '),
            (byte, _) => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
