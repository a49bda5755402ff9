//! Typed view of a Marathon `GET /v2/apps?embed=apps.tasks` body: only the
//! fields rendering reads, deserialized straight from the bytes (unknown
//! fields skipped). A JSON `null` member counts as absent, as after
//! marathon-lb's `cleanup_json`. Pure: no I/O.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::RenderError;

/// A parsed `/v2/apps` body, ready for [`super::render`].
#[derive(Debug, Deserialize)]
pub struct Apps {
    apps: Option<Vec<App>>,
}

impl Apps {
    /// Parses the raw bytes of a `/v2/apps` body.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, RenderError> {
        serde_json::from_slice::<Self>(bytes)
            .map(Self::cleaned)
            .map_err(|e| RenderError::Json(e.to_string()))
    }

    /// Converts an already parsed JSON document.
    pub fn from_value(value: Value) -> Result<Self, RenderError> {
        serde_json::from_value::<Self>(value)
            .map(Self::cleaned)
            .map_err(|e| RenderError::Json(e.to_string()))
    }

    /// Drops `null` members inside the loosely typed parts (health checks,
    /// health results, `ipAddress`), as `cleanup_json` does.
    fn cleaned(mut self) -> Self {
        for app in self.apps.iter_mut().flatten() {
            for check in app.health_checks.iter_mut().flatten() {
                strip_nulls(check);
            }
            if let Some(ip) = &mut app.ip_address {
                strip_nulls(ip);
            }
            for task in app.tasks.iter_mut().flatten() {
                for result in task.health_check_results.iter_mut().flatten() {
                    strip_nulls(result);
                }
            }
        }
        self
    }

    /// The apps; marathon-lb fails when the body has no `apps` member.
    pub(crate) fn list(&self) -> Result<&[App], RenderError> {
        self.apps
            .as_deref()
            .ok_or_else(|| RenderError::Json("the body has no `apps` member".into()))
    }
}

/// Removes `null` object members recursively (list elements stay).
fn strip_nulls(map: &mut Map<String, Value>) {
    map.retain(|_, v| !v.is_null());
    for v in map.values_mut() {
        strip_value(v);
    }
}

fn strip_value(v: &mut Value) {
    match v {
        Value::Object(m) => strip_nulls(m),
        Value::Array(items) => items.iter_mut().for_each(strip_value),
        _ => {}
    }
}

/// One Marathon app.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct App {
    pub(crate) id: Option<String>,
    pub(crate) labels: Option<Labels>,
    pub(crate) tasks: Option<Vec<Task>>,
    pub(crate) ports: Option<Vec<Option<i64>>>,
    pub(crate) port_definitions: Option<Vec<PortDefinition>>,
    pub(crate) container: Option<Container>,
    pub(crate) ip_address: Option<Map<String, Value>>,
    pub(crate) networks: Option<Vec<Network>>,
    pub(crate) health_checks: Option<Vec<Map<String, Value>>>,
    pub(crate) instances: Option<Value>,
    pub(crate) version_info: Option<VersionInfo>,
}

/// `portDefinitions[]`.
#[derive(Debug, Deserialize)]
pub(crate) struct PortDefinition {
    pub(crate) port: Option<i64>,
}

/// `container`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Container {
    pub(crate) docker: Option<Docker>,
    pub(crate) port_mappings: Option<Vec<PortMapping>>,
}

/// `container.docker`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Docker {
    pub(crate) network: Option<String>,
    pub(crate) port_mappings: Option<Vec<PortMapping>>,
}

/// `portMappings[]`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PortMapping {
    pub(crate) container_port: Option<i64>,
    pub(crate) service_port: Option<i64>,
}

/// `networks[]` (Marathon 1.5+).
#[derive(Debug, Deserialize)]
pub(crate) struct Network {
    pub(crate) mode: Option<String>,
}

/// `versionInfo`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VersionInfo {
    pub(crate) last_scaling_at: Option<String>,
}

/// One task of an app.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Task {
    pub(crate) id: Option<String>,
    pub(crate) host: Option<String>,
    pub(crate) state: Option<String>,
    pub(crate) ports: Option<Vec<i64>>,
    pub(crate) ip_addresses: Option<Vec<TaskIp>>,
    pub(crate) health_check_results: Option<Vec<Map<String, Value>>>,
    pub(crate) draining: Option<Value>,
}

/// `tasks[].ipAddresses[]`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TaskIp {
    pub(crate) ip_address: Option<String>,
}

/// App labels in document order; members whose value is `null` are dropped.
#[derive(Debug, Default)]
pub(crate) struct Labels(pub(crate) Vec<(String, String)>);

impl Labels {
    /// The value of a label (the last one when a key repeats, like
    /// Python's `json`).
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

impl<'de> Deserialize<'de> for Labels {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Labels;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of string labels")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Labels, A::Error> {
                let mut v = Vec::with_capacity(map.size_hint().unwrap_or(4));
                while let Some((k, val)) = map.next_entry::<String, Option<String>>()? {
                    if let Some(val) = val {
                        v.push((k, val));
                    }
                }
                Ok(Labels(v))
            }
        }
        d.deserialize_map(V)
    }
}
