//! The plan of a zero-downtime deploy (pure: no I/O, no clock): the app
//! JSON's checks, colour and service-port selection over whichever of
//! `portMappings`, `portDefinitions` or `ports` the app uses; zdd.py's
//! growth rules; and the final app JSON (only the fields dcos-lb owns change
//! in the user's `serde_json::Value`). Drain detection lives in
//! [`super::drain`], marathon-lb's group merge in [`super::merge`].

use serde_json::{Value, json};

use crate::marathon::labels;
use crate::marathon::types::App;
use crate::render::rules;

/// The app JSON or the group's state does not allow the deploy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// A field or label dcos-lb needs is missing.
    #[error("{0}")]
    Missing(String),
    /// The app JSON or a flag is not usable.
    #[error("{0}")]
    Invalid(String),
}

/// One step of a plan: instance counts after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PlanStep {
    /// Instances of the growing app.
    pub new: u32,
    /// Instances of the shrinking app.
    pub old: u32,
}

/// The two colours of a deployment group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// The first deploy's colour.
    Blue,
    /// The other one.
    Green,
}

impl Colour {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Blue => "blue",
            Self::Green => "green",
        }
    }

    /// The colour after `previous` (blue when there is none, as zdd.py).
    pub fn after(previous: Option<&App>) -> Self {
        match previous.and_then(|a| a.label(labels::DEPLOYMENT_COLOUR)) {
            Some("blue") => Self::Green,
            _ => Self::Blue,
        }
    }
}

/// The deployment group of a user's app JSON, after checking the labels
/// zdd.py requires.
pub fn validate(app: &Value) -> Result<String, PlanError> {
    let id = app.get("id").and_then(Value::as_str).unwrap_or("");
    if id.trim_matches('/').is_empty() {
        return Err(PlanError::Missing(
            "App doesn't contain a valid App ID".into(),
        ));
    }
    let labels = app
        .get("labels")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            PlanError::Missing(
                "No labels found. Please define the HAPROXY_DEPLOYMENT_GROUP label".into(),
            )
        })?;
    let group = labels.get(labels::DEPLOYMENT_GROUP).and_then(Value::as_str);
    let group = group
        .filter(|g| !g.trim_matches('/').is_empty())
        .ok_or_else(|| {
            PlanError::Missing("Please define the HAPROXY_DEPLOYMENT_GROUP label".into())
        })?;
    let alt = labels.get(labels::DEPLOYMENT_ALT_PORT).ok_or_else(|| {
        PlanError::Missing("Please define the HAPROXY_DEPLOYMENT_ALT_PORT label".into())
    })?;
    let Value::String(alt_text) = alt else {
        return Err(PlanError::Invalid(format!(
            "HAPROXY_DEPLOYMENT_ALT_PORT is {alt}, but Marathon takes only strings as label values: \
             write \"HAPROXY_DEPLOYMENT_ALT_PORT\": \"{alt}\""
        )));
    };
    match label_number(alt) {
        Some(port @ 1..=65_535) => port,
        _ => {
            return Err(PlanError::Invalid(format!(
                "HAPROXY_DEPLOYMENT_ALT_PORT must be a port number from 1 to 65535, not {alt_text:?}"
            )));
        }
    };
    validate_instances(app)?;
    Ok(group.to_string())
}

/// The largest `instances` Marathon accepts (a 32-bit signed integer).
const MAX_INSTANCES: u64 = i32::MAX as u64;

/// `instances`, when given, is a whole number Marathon accepts: anything
/// else would be refused by Marathon after the deploy began, or read here
/// as some other number.
fn validate_instances(app: &Value) -> Result<(), PlanError> {
    match app.get("instances") {
        None => Ok(()),
        Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n <= MAX_INSTANCES) => Ok(()),
        Some(found) => Err(PlanError::Invalid(format!(
            "\"instances\" must be a whole number from 0 to {MAX_INSTANCES}, not {found}"
        ))),
    }
}

fn label_number(v: &Value) -> Option<u32> {
    match v {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        _ => None,
    }
}

/// A label of an app JSON parsed as a number.
pub fn label_u32_value(app: &Value, key: &str) -> Option<u32> {
    app.get("labels")
        .and_then(|l| l.get(key))
        .and_then(label_number)
}

/// A label parsed as a number.
pub fn label_u32(app: &App, key: &str) -> Option<u32> {
    app.labels.get(key).and_then(label_number)
}

/// Where an app keeps its first service port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PortField {
    ContainerPortMappings,
    DockerPortMappings,
    PortDefinitions,
    Ports,
}

impl PortField {
    fn of(app: &Value) -> Option<Self> {
        let non_empty =
            |v: Option<&Value>| v.and_then(Value::as_array).is_some_and(|a| !a.is_empty());
        let container = app.get("container");
        if non_empty(container.and_then(|c| c.get("portMappings"))) {
            Some(Self::ContainerPortMappings)
        } else if non_empty(
            container
                .and_then(|c| c.get("docker"))
                .and_then(|d| d.get("portMappings")),
        ) {
            Some(Self::DockerPortMappings)
        } else if non_empty(app.get("portDefinitions")) {
            Some(Self::PortDefinitions)
        } else if non_empty(app.get("ports")) {
            Some(Self::Ports)
        } else {
            None
        }
    }

    fn slot(self, app: &mut Value) -> Option<&mut Value> {
        match self {
            Self::ContainerPortMappings => app.pointer_mut("/container/portMappings/0/servicePort"),
            Self::DockerPortMappings => {
                app.pointer_mut("/container/docker/portMappings/0/servicePort")
            }
            Self::PortDefinitions => app.pointer_mut("/portDefinitions/0/port"),
            Self::Ports => app.pointer_mut("/ports/0"),
        }
    }

    fn get(self, app: &Value) -> Option<u32> {
        let pointer = match self {
            Self::ContainerPortMappings => "/container/portMappings/0/servicePort",
            Self::DockerPortMappings => "/container/docker/portMappings/0/servicePort",
            Self::PortDefinitions => "/portDefinitions/0/port",
            Self::Ports => "/ports/0",
        };
        app.pointer(pointer).and_then(label_number)
    }
}

/// How many service ports the app JSON declares in the field it uses.
pub fn service_port_count(app: &Value) -> usize {
    let pointer = match PortField::of(app) {
        None => return 0,
        Some(PortField::ContainerPortMappings) => "/container/portMappings",
        Some(PortField::DockerPortMappings) => "/container/docker/portMappings",
        Some(PortField::PortDefinitions) => "/portDefinitions",
        Some(PortField::Ports) => "/ports",
    };
    app.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

/// The first service port of an app JSON (0 when it asks Marathon to pick).
pub fn service_port(app: &Value) -> Option<u32> {
    PortField::of(app).and_then(|f| f.get(app))
}

/// Sets the first service port in whichever field the app uses.
pub fn set_service_port(app: &mut Value, port: u32) -> Result<(), PlanError> {
    let field = PortField::of(app).ok_or_else(no_service_port)?;
    match field.slot(app) {
        Some(slot) => {
            *slot = json!(port);
            Ok(())
        }
        None => {
            let entry = match field {
                PortField::ContainerPortMappings => app.pointer_mut("/container/portMappings/0"),
                PortField::DockerPortMappings => {
                    app.pointer_mut("/container/docker/portMappings/0")
                }
                PortField::PortDefinitions => app.pointer_mut("/portDefinitions/0"),
                PortField::Ports => None,
            };
            let object = entry
                .and_then(Value::as_object_mut)
                .ok_or_else(no_service_port)?;
            let key = if field == PortField::PortDefinitions {
                "port"
            } else {
                "servicePort"
            };
            object.insert(key.to_string(), json!(port));
            Ok(())
        }
    }
}

fn no_service_port() -> PlanError {
    PlanError::Missing(
        "App doesn't contain a service port (container.portMappings, portDefinitions or ports)"
            .into(),
    )
}

/// The service port a running app listens on, as Marathon reports it.
pub fn running_service_port(app: &App) -> Option<u32> {
    let value = serde_json::to_value(app).ok()?;
    service_port(&value)
}

/// A group's apps, oldest deployment first ([`start_order`]).
pub fn by_start(apps: &[App]) -> Vec<&App> {
    let mut sorted: Vec<&App> = apps.iter().collect();
    sorted.sort_by(|a, b| start_order(a, b));
    sorted
}

/// The order of two apps of a group by deployment start
/// ([`rules::deployment_order`]).
pub fn start_order(a: &App, b: &App) -> std::cmp::Ordering {
    rules::deployment_order(
        (a.label(labels::DEPLOYMENT_STARTED_AT), &a.id),
        (b.label(labels::DEPLOYMENT_STARTED_AT), &b.id),
    )
}

/// The next size of the growing app: zdd.py's +50 % (`floor(n + (n+1)/2)`,
/// straight to the target once it reaches the shrinking app's size), or
/// `linear` more per step; never above `want`.
pub fn grow(current: u32, want: u32, shrinking: u32, linear: Option<u32>) -> u32 {
    let next = match linear.filter(|k| *k > 0) {
        Some(k) => current + k,
        None => {
            let next = current + current.div_ceil(2);
            if next >= shrinking {
                want
            } else {
                next.max(current + 1)
            }
        }
    };
    next.min(want)
}

/// The instance counts (growing/shrinking) after each step of a deploy:
/// marathon-lb drains what the healthy new tasks cover, those tasks are
/// killed, then the growing app takes its next step.
pub fn steps(
    start: u32,
    want_grower: u32,
    shrink_from: u32,
    want_shrinker: u32,
    target: u32,
    linear: Option<u32>,
    surge: bool,
) -> Vec<PlanStep> {
    let (mut new, mut old) = (start, shrink_from);
    let mut out = vec![PlanStep { new, old }];
    for _ in 0..target.max(4) * 2 {
        if new >= want_grower && old <= want_shrinker {
            break;
        }
        if new + old > target || new >= want_grower {
            old = target.saturating_sub(new).max(want_shrinker).min(old);
        }
        if new < want_grower {
            new = if surge {
                want_grower
            } else {
                grow(new, want_grower, old, linear)
            };
        }
        out.push(PlanStep { new, old });
    }
    out
}

/// The group's target when `previous` is its only app: its instances, or
/// while scaled to 0 the target it was deployed with.
fn previous_target(previous: &App) -> u32 {
    match previous.instances {
        0 => label_u32(previous, labels::DEPLOYMENT_TARGET_INSTANCES).unwrap_or(1),
        n => n,
    }
}

/// The instance count a split of the group's `apps` aims at, which caps
/// `--new-instances` (as zdd.py caps it): a split group's target label,
/// else its one app's target; `None` for an empty group.
pub fn split_target(apps: &[App]) -> Option<u32> {
    match by_start(apps).as_slice() {
        [] => None,
        [only] => Some(previous_target(only)),
        [.., newest] => {
            Some(label_u32(newest, labels::DEPLOYMENT_TARGET_INSTANCES).unwrap_or(newest.instances))
        }
    }
}

/// Options that shape the new app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildOptions {
    /// `--initial-instances`.
    pub initial_instances: u32,
    /// `--new-instances` (hybrid), 0 for a full deploy.
    pub new_instances: u32,
    /// `--surge`: start every new instance at once.
    pub surge: bool,
    /// The `HAPROXY_DEPLOYMENT_STARTED_AT` value (ISO 8601).
    pub started_at: String,
}

/// The app dcos-lb creates, and the instance count the group ends at.
#[derive(Debug, Clone, PartialEq)]
pub struct NewApp {
    /// The final app JSON, the user's with only our fields changed.
    pub json: Value,
    /// Its id, `<id>-<colour>`.
    pub id: String,
    /// The group's target instance count.
    pub target: u32,
    /// The group's new instance count when hybrid (0 otherwise).
    pub new_instances: u32,
}

/// Builds the new colour of `user` given the group's newest running app
/// (`previous`, none on a first deploy).
pub fn build_new_app(
    user: &Value,
    previous: Option<&App>,
    options: &BuildOptions,
) -> Result<NewApp, PlanError> {
    validate(user)?;
    let mut app = user.clone();
    drop_nulls(&mut app);
    let user_port = service_port(&app).ok_or_else(no_service_port)?;
    let original_port = match (
        user_port,
        previous.and_then(|p| label_u32(p, labels::PORT_0)),
    ) {
        (0, Some(port)) | (_, Some(port)) if port > 0 => port,
        (0, _) => {
            return Err(PlanError::Invalid(
                "the service port is 0: a blue/green deploy needs a fixed service port (marathon-lb \
                 keeps one backend per port); set servicePort/port to a free service port"
                    .into(),
            ));
        }
        (port, _) => port,
    };
    let alt_port = user
        .pointer(&format!("/labels/{}", labels::DEPLOYMENT_ALT_PORT))
        .and_then(label_number)
        .unwrap_or(0);
    if alt_port == original_port {
        return Err(PlanError::Invalid(format!(
            "HAPROXY_DEPLOYMENT_ALT_PORT ({alt_port}) must differ from the service port"
        )));
    }
    let colour = Colour::after(previous);
    let (next_port, target) = match previous {
        Some(prev) => {
            let running = running_service_port(prev);
            let port = if running == Some(alt_port) {
                original_port
            } else {
                alt_port
            };
            (port, previous_target(prev))
        }
        None => (
            original_port,
            user.get("instances").and_then(Value::as_u64).unwrap_or(1) as u32,
        ),
    };
    if options.new_instances > 0 && previous.is_none() {
        return Err(PlanError::Invalid(
            "--new-instances needs a running app in the group to split traffic with".into(),
        ));
    }
    let new_instances = options.new_instances.min(target);
    let want = if new_instances > 0 {
        new_instances
    } else {
        target
    };
    let instances = match previous {
        None => target,
        Some(_) if options.surge => want,
        Some(_) => options.initial_instances.max(1).min(want),
    };
    let base_id = user.get("id").and_then(Value::as_str).unwrap_or_default();
    let base_id = format!("/{}", base_id.trim_start_matches('/'));
    let id = format!("{base_id}-{}", colour.as_str());
    set_service_port(&mut app, next_port)?;
    app["id"] = json!(id);
    app["instances"] = json!(instances);
    let labels = app["labels"].as_object_mut().ok_or_else(no_service_port)?;
    labels.insert(labels::APP_ID.into(), json!(base_id));
    labels.insert(labels::PORT_0.into(), json!(original_port.to_string()));
    labels.insert(labels::DEPLOYMENT_COLOUR.into(), json!(colour.as_str()));
    labels.insert(
        labels::DEPLOYMENT_STARTED_AT.into(),
        json!(options.started_at),
    );
    labels.insert(
        labels::DEPLOYMENT_TARGET_INSTANCES.into(),
        json!(target.to_string()),
    );
    labels.insert(
        labels::DEPLOYMENT_NEW_INSTANCES.into(),
        json!(new_instances.to_string()),
    );
    Ok(NewApp {
        json: app,
        id,
        target,
        new_instances,
    })
}

/// zdd.py's `cleanup_json`: nulls are dropped before the app is posted.
fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::fixtures::running;

    fn user_app(ports: Value) -> Value {
        let mut app = json!({
            "id": "/web", "instances": 3, "cmd": "serve", "env": {"A": null},
            "labels": {"HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": "10001", "HAPROXY_GROUP": "external"}
        });
        app.as_object_mut()
            .unwrap()
            .extend(ports.as_object().unwrap().clone());
        app
    }

    fn options() -> BuildOptions {
        BuildOptions {
            initial_instances: 1,
            new_instances: 0,
            surge: false,
            started_at: "2024-02-02T00:00:00+00:00".into(),
        }
    }

    #[test]
    fn first_deploy_is_blue_on_the_original_port_with_all_instances() {
        let user = user_app(json!({"portDefinitions": [{"port": 10000, "protocol": "tcp"}]}));
        let new = build_new_app(&user, None, &options()).unwrap();
        assert_eq!(new.id, "/web-blue");
        assert_eq!(new.target, 3);
        assert_eq!(new.json["instances"], 3);
        assert_eq!(new.json["portDefinitions"][0]["port"], 10000);
        assert_eq!(new.json["labels"]["HAPROXY_0_PORT"], "10000");
        assert_eq!(new.json["labels"]["HAPROXY_APP_ID"], "/web");
        assert_eq!(new.json["labels"]["HAPROXY_DEPLOYMENT_NEW_INSTANCES"], "0");
        assert!(
            new.json["env"].as_object().unwrap().is_empty(),
            "nulls dropped"
        );
        let keys: Vec<_> = new.json.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            ["id", "instances", "cmd", "env", "labels", "portDefinitions"],
            "field order kept"
        );
    }

    #[test]
    fn colour_and_port_alternate_for_every_port_field() {
        for ports in [
            json!({"portDefinitions": [{"port": 10000}]}),
            json!({"ports": [10000]}),
            json!({"container": {"type": "DOCKER", "portMappings": [{"containerPort": 80, "servicePort": 10000}]}}),
            json!({"container": {"type": "DOCKER", "docker": {"portMappings": [{"containerPort": 80, "servicePort": 10000}]}}}),
        ] {
            let user = user_app(ports.clone());
            let blue = running("/web-blue", "blue", 10000, 4);
            let green = build_new_app(&user, Some(&blue), &options()).unwrap();
            assert_eq!(green.id, "/web-green", "{ports}");
            assert_eq!(service_port(&green.json), Some(10001), "{ports}");
            assert_eq!(green.json["instances"], 1);
            assert_eq!(green.target, 4);
            let green_running = running("/web-green", "green", 10001, 4);
            let blue_again = build_new_app(&user, Some(&green_running), &options()).unwrap();
            assert_eq!(blue_again.id, "/web-blue");
            assert_eq!(service_port(&blue_again.json), Some(10000), "{ports}");
            assert_eq!(blue_again.json["labels"]["HAPROXY_0_PORT"], "10000");
        }
    }

    #[test]
    fn service_port_zero_uses_the_groups_port_or_is_refused() {
        let user = user_app(json!({"portDefinitions": [{"port": 0}]}));
        let err = build_new_app(&user, None, &options()).unwrap_err();
        assert!(
            matches!(err, PlanError::Invalid(ref m) if m.contains("service port is 0")),
            "{err}"
        );
        let blue = running("/web-blue", "blue", 10000, 2);
        let green = build_new_app(&user, Some(&blue), &options()).unwrap();
        assert_eq!(green.json["labels"]["HAPROXY_0_PORT"], "10000");
        assert_eq!(service_port(&green.json), Some(10001));
    }

    #[test]
    fn initial_and_new_instances_are_capped_by_the_target() {
        let user = user_app(json!({"ports": [10000]}));
        let blue = running("/web-blue", "blue", 10000, 3);
        let big = BuildOptions {
            initial_instances: 10,
            ..options()
        };
        assert_eq!(
            build_new_app(&user, Some(&blue), &big).unwrap().json["instances"],
            3
        );
        let hybrid = BuildOptions {
            initial_instances: 5,
            new_instances: 2,
            ..options()
        };
        let new = build_new_app(&user, Some(&blue), &hybrid).unwrap();
        assert_eq!(new.json["instances"], 2);
        assert_eq!(new.json["labels"]["HAPROXY_DEPLOYMENT_NEW_INSTANCES"], "2");
        let surge = BuildOptions {
            surge: true,
            ..options()
        };
        assert_eq!(
            build_new_app(&user, Some(&blue), &surge).unwrap().json["instances"],
            3
        );
    }

    #[test]
    fn missing_labels_are_reported_as_zdd_does() {
        let mut user = user_app(json!({"ports": [10000]}));
        user["labels"]
            .as_object_mut()
            .unwrap()
            .remove("HAPROXY_DEPLOYMENT_ALT_PORT");
        assert_eq!(
            build_new_app(&user, None, &options()),
            Err(PlanError::Missing(
                "Please define the HAPROXY_DEPLOYMENT_ALT_PORT label".into()
            ))
        );
        let no_port = json!({"id": "/web", "labels": {"HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": "1"}});
        assert!(matches!(
            build_new_app(&no_port, None, &options()),
            Err(PlanError::Missing(_))
        ));
    }

    #[test]
    fn growth_follows_zdd_and_linear_rules() {
        let steps = |linear| {
            let mut n = 1;
            let mut seen = vec![n];
            while n < 10 {
                n = grow(n, 10, 10, linear);
                seen.push(n);
            }
            seen
        };
        assert_eq!(steps(None), [1, 2, 3, 5, 8, 10]);
        assert_eq!(steps(Some(4)), [1, 5, 9, 10]);
        assert_eq!(grow(2, 5, 3, None), 5, "jumps once it reaches the old size");
    }
}
