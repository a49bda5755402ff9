//! Typed view of a Marathon `GET /v2/apps?embed=apps.tasks` body: only the
//! fields rendering reads, deserialized straight from the bytes (unknown
//! fields skipped). A JSON `null` member counts as absent, as after
//! marathon-lb's `cleanup_json`. Pure: no I/O.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::RenderError;
use super::pyfmt::truthy;

/// A parsed `/v2/apps` body, ready for [`super::render`]; its strings
/// borrow from the input where they need no unescaping.
#[derive(Debug)]
pub struct Apps<'a> {
    /// Boxed: an `App` is 224 bytes, and the list grows by copies while
    /// parsed (its length is not known up front).
    #[expect(
        clippy::vec_box,
        reason = "the list's growth copies 8 bytes per app, not 224"
    )]
    apps: Option<Vec<Box<App<'a>>>>,
}

/// What `--apps` and Marathon give: an object whose `apps` member is the
/// list (marathon-lb reads `body['apps']`, so a list, or a list holding
/// the list, is refused); when `apps` repeats the last one counts, as in
/// Python's `json`.
impl<'de: 'a, 'a> Deserialize<'de> for Apps<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Apps<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Marathon /v2/apps body, an object {\"apps\": [...]}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Apps<'a>, A::Error> {
                let mut apps = None;
                while let Some(key) = map.next_key::<Text<'a>>()? {
                    if key.0 == "apps" {
                        apps = map.next_value()?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Apps { apps })
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

impl<'a> Apps<'a> {
    /// Parses the raw bytes of a `/v2/apps` body.
    pub fn from_slice(bytes: &'a [u8]) -> Result<Self, RenderError> {
        serde_json::from_slice::<Self>(bytes)
            .map(Self::cleaned)
            .map_err(|e| RenderError::Json(e.to_string()))
    }

    /// Reads an already parsed JSON document.
    pub fn from_value(value: &'a Value) -> Result<Self, RenderError> {
        Self::deserialize(value)
            .map(Self::cleaned)
            .map_err(|e| RenderError::Json(e.to_string()))
    }

    /// Drops `null` members inside `ipAddress`, as `cleanup_json` does
    /// (health checks are cleaned while parsed).
    fn cleaned(mut self) -> Self {
        for app in self.apps.iter_mut().flatten() {
            if let Some(ip) = &mut app.ip_address {
                strip_nulls(ip);
            }
        }
        self
    }

    /// The same apps with every string copied out of the input, so the
    /// caller can free the body before rendering: the strings rendering
    /// keeps are a small part of a `/v2/apps` body (10 000 apps: about 3 of
    /// its 29 MB).
    pub fn into_owned(self) -> Apps<'static> {
        Apps {
            apps: self.apps.map(|apps| {
                apps.into_iter()
                    .map(|app| Box::new(app.into_owned()))
                    .collect()
            }),
        }
    }

    /// The apps; marathon-lb fails when the body has no `apps` member.
    pub(crate) fn list(&self) -> Result<&[Box<App<'a>>], RenderError> {
        self.apps
            .as_deref()
            .ok_or_else(|| RenderError::Json("the body has no `apps` member".into()))
    }
}

/// A string that no longer borrows from the input.
fn owned(text: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(text.into_owned())
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
pub(crate) struct App<'a> {
    #[serde(borrow)]
    pub(crate) id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) labels: Option<Labels<'a>>,
    #[serde(borrow)]
    pub(crate) tasks: Option<Vec<Task<'a>>>,
    pub(crate) ports: Option<Vec<Option<i64>>>,
    pub(crate) port_definitions: Option<Vec<PortDefinition>>,
    pub(crate) container: Option<Box<Container>>,
    pub(crate) ip_address: Option<Box<Map<String, Value>>>,
    pub(crate) networks: Option<Vec<Network>>,
    #[serde(borrow)]
    pub(crate) health_checks: Option<Vec<Dict<'a>>>,
    /// `instances`: `Some(None)` when it is not an integer.
    #[serde(default, deserialize_with = "integer_or_not")]
    pub(crate) instances: Option<Option<i64>>,
    #[serde(borrow)]
    pub(crate) version_info: Option<VersionInfo<'a>>,
}

impl App<'_> {
    fn into_owned(self) -> App<'static> {
        App {
            id: self.id.map(owned),
            labels: self.labels.map(|labels| {
                Labels(
                    labels
                        .0
                        .into_iter()
                        .map(|(k, v)| (owned(k), owned(v)))
                        .collect(),
                )
            }),
            tasks: self
                .tasks
                .map(|tasks| tasks.into_iter().map(Task::into_owned).collect()),
            ports: self.ports,
            port_definitions: self.port_definitions,
            container: self.container,
            ip_address: self.ip_address,
            networks: self.networks,
            health_checks: self.health_checks.map(|checks| {
                checks
                    .into_iter()
                    .map(|check| Dict(check.0.into_iter().map(|(k, v)| (owned(k), v)).collect()))
                    .collect()
            }),
            instances: self.instances,
            version_info: self.version_info.map(|v| VersionInfo {
                last_scaling_at: v.last_scaling_at.map(owned),
            }),
        }
    }
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
pub(crate) struct VersionInfo<'a> {
    #[serde(borrow)]
    pub(crate) last_scaling_at: Option<Cow<'a, str>>,
}

/// One task of an app.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Task<'a> {
    #[serde(borrow)]
    pub(crate) id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) host: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) state: Option<Cow<'a, str>>,
    pub(crate) ports: Option<Vec<i64>>,
    /// `ipAddresses[0].ipAddress`.
    #[serde(borrow, rename = "ipAddresses", default, deserialize_with = "first_ip")]
    pub(crate) ip_address: Option<Cow<'a, str>>,
    /// `healthCheckResults`, summarized.
    pub(crate) health_check_results: Option<Health>,
    /// Python truthiness of `draining`.
    #[serde(default, deserialize_with = "truthy_value")]
    pub(crate) draining: bool,
}

impl Task<'_> {
    fn into_owned(self) -> Task<'static> {
        Task {
            id: self.id.map(owned),
            host: self.host.map(owned),
            state: self.state.map(owned),
            ports: self.ports,
            ip_address: self.ip_address.map(owned),
            health_check_results: self.health_check_results,
            draining: self.draining,
        }
    }
}

/// What rendering needs of a task's `healthCheckResults`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Health {
    /// Some result has a truthy `alive`.
    pub(crate) alive: bool,
    /// Some result has no `alive` (marathon-lb raises on it).
    pub(crate) missing_alive: bool,
}

/// `tasks[].healthCheckResults[]`.
#[derive(Deserialize)]
struct HealthResult {
    alive: Option<Value>,
}

impl<'de> Deserialize<'de> for Health {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Health;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of health check results")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Health, A::Error> {
                let mut h = Health {
                    alive: false,
                    missing_alive: false,
                };
                while let Some(r) = seq.next_element::<HealthResult>()? {
                    match r.alive {
                        Some(v) => h.alive |= truthy(&v),
                        None => h.missing_alive = true,
                    }
                }
                Ok(h)
            }
        }
        d.deserialize_seq(V)
    }
}

fn integer_or_not<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.map(|v| v.as_i64()))
}

fn truthy_value<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(truthy(&Value::deserialize(d)?))
}

/// The `ipAddress` of the first `ipAddresses` entry (the rest is skipped).
fn first_ip<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'a, str>>, D::Error> {
    struct V<'a>(PhantomData<&'a ()>);
    impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
        type Value = Option<Cow<'a, str>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of task addresses")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let first = seq
                .next_element::<TaskIp<'a>>()?
                .and_then(|ip| ip.ip_address);
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(first)
        }
    }
    d.deserialize_any(V(PhantomData))
}

/// A JSON object kept as ordered pairs (health checks): cheaper than a
/// map for a handful of keys; `null` members dropped at every depth.
#[derive(Debug, Default)]
pub(crate) struct Dict<'a>(pub(crate) Vec<(Cow<'a, str>, Value)>);

impl Dict<'_> {
    /// The value of `key` (the last one when a key repeats).
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether the object has no members.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Dict<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Dict<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Dict<'a>, A::Error> {
                let mut v = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some((k, mut val)) = map.next_entry::<Text<'a>, Value>()? {
                    if !val.is_null() {
                        strip_value(&mut val);
                        v.push((k.0, val));
                    }
                }
                Ok(Dict(v))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// `tasks[].ipAddresses[]`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TaskIp<'a> {
    #[serde(borrow)]
    pub(crate) ip_address: Option<Cow<'a, str>>,
}

/// App labels in document order; members whose value is `null` are dropped.
#[derive(Debug, Default)]
pub(crate) struct Labels<'a>(pub(crate) Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl Labels<'_> {
    /// The value of a label (the last one when a key repeats, like
    /// Python's `json`).
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }
}

/// A string borrowed from the input when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(s.to_string())))
            }
            fn visit_string<E>(self, s: String) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V(PhantomData))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Labels<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Labels<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of string labels")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Labels<'a>, A::Error> {
                let mut v = Vec::with_capacity(map.size_hint().unwrap_or(4));
                while let Some((k, val)) = map.next_entry::<Text<'a>, Option<Text<'a>>>()? {
                    if let Some(val) = val {
                        v.push((k.0, val.0));
                    }
                }
                Ok(Labels(v))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}
