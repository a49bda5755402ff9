//! Marathon's REST routes (`/v2/apps`, `/v2/tasks`, `/v2/deployments`,
//! `/v2/events`, `/v2/queue`, `/v2/info`, `/v2/leader`, `/ping`) with the
//! documented shapes and status codes.

use super::Shared;
use super::app::{self, matches_selector, normalize_id};
use super::clock::iso;
use super::engine::{ApiError, Killed, State};
use super::wire::{Outcome, Reply, Request};
use serde_json::{Value, json};

/// Marathon version the simulator claims to be.
const MARATHON_VERSION: &str = "1.10.26";

/// Dispatches a Marathon request; `path` has no `/service/marathon` prefix.
pub fn route(shared: &Shared, request: &Request, path: &str) -> Outcome {
    let method = request.method.as_str();
    let result = match (method, path) {
        ("GET", "/ping") => Ok(Reply::text(200, "pong\n")),
        ("GET", "/v2/info") => Ok(Reply::json(200, &info(shared))),
        ("GET", "/v2/leader") => Ok(Reply::json(
            200,
            &json!({ "leader": shared.addr.to_string() }),
        )),
        ("GET", "/v2/events") => return events(shared, request),
        ("GET", "/v2/apps") => Ok(list_apps(shared, request)),
        ("POST", "/v2/apps") => create_app(shared, request),
        ("GET", "/v2/tasks") => Ok(list_tasks(shared, request)),
        ("POST", "/v2/tasks/delete") => delete_tasks(shared, request),
        ("GET", "/v2/deployments") => {
            let state = shared.state();
            let list: Vec<Value> = state
                .deployments
                .iter()
                .map(State::render_deployment)
                .collect();
            Ok(Reply::json(200, &json!(list)))
        }
        ("DELETE", p) if p.starts_with("/v2/deployments/") => {
            cancel_deployment(shared, request, &p["/v2/deployments/".len()..])
        }
        ("GET", "/v2/queue") => Ok(Reply::json(200, &queue(&shared.state()))),
        (_, p) if p.starts_with("/v2/apps/") => app_route(shared, request, &p["/v2/apps".len()..]),
        (
            _,
            "/ping" | "/v2/info" | "/v2/leader" | "/v2/events" | "/v2/apps" | "/v2/tasks"
            | "/v2/deployments",
        )
        | (_, "/v2/queue" | "/v2/tasks/delete") => {
            Err(ApiError::message(405, "HTTP 405 Method Not Allowed"))
        }
        _ => Err(ApiError::message(404, "HTTP 404 Not Found")),
    };
    match result {
        Ok(reply) => reply.into(),
        Err(error) => error.into(),
    }
}

/// Routes under `/v2/apps/{id}`: the app, its tasks, versions and restart.
fn app_route(shared: &Shared, request: &Request, rest: &str) -> Result<Reply, ApiError> {
    let method = request.method.as_str();
    if let Some(group) = rest.strip_suffix("/*") {
        let prefix = format!("{}/", normalize_id(group));
        let state = shared.state();
        let apps: Vec<Value> = state
            .apps
            .keys()
            .filter(|id| id.starts_with(&prefix))
            .filter_map(|id| state.render_app(id, embeds_tasks(request)))
            .collect();
        return Ok(Reply::json(200, &json!({ "*": apps })));
    }
    for suffix in ["tasks", "versions"] {
        let marker = format!("/{suffix}");
        let Some(at) = rest.rfind(&marker) else {
            continue;
        };
        let tail = &rest[at + marker.len()..];
        if !(tail.is_empty() || (tail.starts_with('/') && !tail[1..].contains('/'))) {
            continue;
        }
        let app_id = normalize_id(&rest[..at]);
        let item = tail.strip_prefix('/').filter(|t| !t.is_empty());
        return match (suffix, method) {
            ("tasks", "GET") => app_tasks(shared, &app_id),
            ("tasks", "DELETE") => kill_app_tasks(shared, request, &app_id, item),
            ("versions", "GET") => versions(shared, &app_id, item),
            _ => Err(ApiError::message(405, "HTTP 405 Method Not Allowed")),
        };
    }
    if let Some(id) = rest.strip_suffix("/restart") {
        if method != "POST" {
            return Err(ApiError::message(405, "HTTP 405 Method Not Allowed"));
        }
        let app_id = normalize_id(id);
        let (deployment, version) =
            shared
                .state()
                .restart_app(&shared.ctx, &app_id, request.flag("force"))?;
        return Ok(deployment_reply(200, &deployment, version));
    }
    let app_id = normalize_id(rest);
    match method {
        "GET" => {
            let state = shared.state();
            let app = state
                .render_app(&app_id, true)
                .ok_or_else(|| app_not_found(&app_id))?;
            Ok(Reply::json(200, &json!({ "app": app })))
        }
        "PUT" | "PATCH" => {
            let body = request.json()?;
            let partial =
                method == "PATCH" || request.param("partialUpdate").is_none_or(|v| v != "false");
            let mut state = shared.state();
            let (deployment, version, created) =
                state.update_app(&shared.ctx, &app_id, body, partial, request.flag("force"))?;
            post_event(shared, &state, request, &app_id);
            Ok(deployment_reply(
                if created { 201 } else { 200 },
                &deployment,
                version,
            ))
        }
        "DELETE" => {
            let mut state = shared.state();
            let definition = state.render_app(&app_id, false);
            let (deployment, version) =
                state.delete_app(&shared.ctx, &app_id, request.flag("force"))?;
            let uri = request.path.clone();
            let client = client_ip(request);
            shared.ctx.events.publish(
                "api_post_event",
                json!({ "clientIp": client, "uri": uri, "appDefinition": definition }),
            );
            Ok(deployment_reply(200, &deployment, version))
        }
        _ => Err(ApiError::message(405, "HTTP 405 Method Not Allowed")),
    }
}

fn app_not_found(app_id: &str) -> ApiError {
    ApiError::message(404, &format!("App '{app_id}' does not exist"))
}

/// `{"deploymentId","version"}` with the `Marathon-Deployment-Id` header.
fn deployment_reply(status: u16, deployment: &str, version: u64) -> Reply {
    Reply::json(
        status,
        &json!({ "deploymentId": deployment, "version": iso(version) }),
    )
    .with_header("Marathon-Deployment-Id", deployment)
}

/// The client's IP address, as in `api_post_event.clientIp`.
fn client_ip(request: &Request) -> String {
    request
        .remote
        .rsplit_once(':')
        .map_or(request.remote.clone(), |(ip, _)| ip.to_owned())
}

/// `api_post_event` for an app that was created or changed.
fn post_event(shared: &Shared, state: &State, request: &Request, app_id: &str) {
    shared.ctx.events.publish(
        "api_post_event",
        json!({ "clientIp": client_ip(request), "uri": request.path, "appDefinition": state.render_app(app_id, false) }),
    );
}

fn embeds_tasks(request: &Request) -> bool {
    request
        .params("embed")
        .iter()
        .any(|e| e == "apps.tasks" || e == "app.tasks")
}

/// `GET /v2/apps[?id=&cmd=&label=&embed=]`: counts and deployments always, tasks with `embed=apps.tasks`.
fn list_apps(shared: &Shared, request: &Request) -> Reply {
    let state = shared.state();
    let id_filter = request.param("id");
    let cmd_filter = request.param("cmd");
    let selector = request.param("label");
    let apps: Vec<Value> = state
        .apps
        .iter()
        .filter(|(id, _)| id_filter.as_deref().is_none_or(|f| id.contains(f)))
        .filter(|(_, a)| {
            cmd_filter.as_deref().is_none_or(|f| {
                a.def
                    .get("cmd")
                    .and_then(Value::as_str)
                    .is_some_and(|c| c.contains(f))
            })
        })
        .filter(|(_, a)| {
            selector
                .as_deref()
                .is_none_or(|s| matches_selector(s, a.def.get("labels").and_then(Value::as_object)))
        })
        .filter_map(|(id, _)| state.render_app(id, embeds_tasks(request)))
        .collect();
    Reply::json(200, &json!({ "apps": apps }))
}

/// `POST /v2/apps`: 201 with the app, `Location` and `Marathon-Deployment-Id`.
fn create_app(shared: &Shared, request: &Request) -> Result<Reply, ApiError> {
    let body = request.json()?;
    let mut state = shared.state();
    let (deployment, app_id) = state.create_app(&shared.ctx, body.clone())?;
    post_event(shared, &state, request, &app_id);
    let mut app = state.render_app(&app_id, false).unwrap_or(body);
    app["tasks"] = json!([]);
    Ok(Reply::json(201, &app)
        .with_header("Location", &format!("/v2/apps{app_id}"))
        .with_header("Marathon-Deployment-Id", &deployment))
}

fn app_tasks(shared: &Shared, app_id: &str) -> Result<Reply, ApiError> {
    let state = shared.state();
    if !state.apps.contains_key(app_id) {
        return Err(app_not_found(app_id));
    }
    let tasks: Vec<Value> = state
        .tasks
        .values()
        .filter(|t| t.app_id == app_id)
        .map(|t| state.render_task(t))
        .collect();
    Ok(Reply::json(200, &json!({ "tasks": tasks })))
}

/// `DELETE /v2/apps/{id}/tasks[/{taskId}][?scale=true]`.
fn kill_app_tasks(
    shared: &Shared,
    request: &Request,
    app_id: &str,
    task: Option<&str>,
) -> Result<Reply, ApiError> {
    let mut state = shared.state();
    if !state.apps.contains_key(app_id) {
        return Err(app_not_found(app_id));
    }
    let ids: Vec<String> = match task {
        Some(id) => vec![id.to_owned()],
        None => state
            .tasks
            .values()
            .filter(|t| t.app_id == app_id)
            .map(|t| t.id.clone())
            .collect(),
    };
    let killed = state.kill_tasks(
        &shared.ctx,
        &ids,
        request.flag("scale"),
        request.flag("force"),
    )?;
    Ok(match (killed, task) {
        (
            Killed::Scaled {
                deployment_id,
                version,
            },
            _,
        ) => deployment_reply(200, &deployment_id, version),
        (Killed::Tasks(tasks), Some(_)) => Reply::json(200, &json!({ "task": tasks.first() })),
        (Killed::Tasks(tasks), None) => Reply::json(200, &json!({ "tasks": tasks })),
    })
}

fn versions(shared: &Shared, app_id: &str, version: Option<&str>) -> Result<Reply, ApiError> {
    let state = shared.state();
    let app = state
        .apps
        .get(app_id)
        .ok_or_else(|| app_not_found(app_id))?;
    match version {
        None => {
            let list: Vec<String> = app.versions.iter().rev().map(|(v, _)| iso(*v)).collect();
            Ok(Reply::json(200, &json!({ "versions": list })))
        }
        Some(version) => state
            .render_version(app_id, version)
            .map(|def| Reply::json(200, &def))
            .ok_or_else(|| {
                ApiError::message(
                    404,
                    &format!("App '{app_id}' does not exist in version {version}"),
                )
            }),
    }
}

/// `GET /v2/tasks[?status=running|staging|killing]`.
fn list_tasks(shared: &Shared, request: &Request) -> Reply {
    let state = shared.state();
    let status = request
        .param("status")
        .map(|s| format!("TASK_{}", s.to_ascii_uppercase()));
    let tasks: Vec<Value> = state
        .tasks
        .values()
        .map(|t| state.render_task(t))
        .filter(|t| status.as_deref().is_none_or(|s| t["state"] == s))
        .collect();
    Reply::json(200, &json!({ "tasks": tasks }))
}

/// `POST /v2/tasks/delete?scale=…&force=…` with `{"ids": […]}`.
fn delete_tasks(shared: &Shared, request: &Request) -> Result<Reply, ApiError> {
    let scale = request.flag("scale");
    if scale && request.flag("wipe") {
        return Err(ApiError::message(
            400,
            "You cannot use scale and wipe at the same time.",
        ));
    }
    let body = request.json()?;
    let ids: Vec<String> = body
        .get("ids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let mut state = shared.state();
    Ok(
        match state.kill_tasks(&shared.ctx, &ids, scale, request.flag("force"))? {
            Killed::Scaled {
                deployment_id,
                version,
            } => deployment_reply(200, &deployment_id, version),
            Killed::Tasks(tasks) => Reply::json(200, &json!({ "tasks": tasks })),
        },
    )
}

/// `DELETE /v2/deployments/{id}`: rollback (200), or with `force=true` cancel only (202).
fn cancel_deployment(shared: &Shared, request: &Request, id: &str) -> Result<Reply, ApiError> {
    let rollback = shared
        .state()
        .cancel_deployment(&shared.ctx, id, request.flag("force"))?;
    Ok(match rollback {
        Some((deployment, version)) => deployment_reply(200, &deployment, version),
        None => Reply::empty(202),
    })
}

/// `GET /v2/events`: needs `Accept: text/event-stream`; `event_type` filters.
fn events(shared: &Shared, request: &Request) -> Outcome {
    if !request
        .header("accept")
        .is_some_and(|a| a.contains("text/event-stream"))
    {
        return ApiError::message(
            406,
            "HTTP 406 Not Acceptable: use 'Accept: text/event-stream'",
        )
        .into();
    }
    Outcome::Events(shared.ctx.events.subscribe(request.params("event_type")))
}

/// `GET /v2/queue`: apps waiting for tasks to be launched.
fn queue(state: &State) -> Value {
    let entries: Vec<Value> = state
        .apps
        .iter()
        .filter_map(|(id, a)| {
            let live = state.tasks.values().filter(|t| &t.app_id == id).count();
            let missing = app::instances(&a.def)
                .checked_sub(live)
                .filter(|n| *n > 0)?;
            Some(json!({
                "count": missing,
                "delay": { "timeLeftSeconds": 0, "overdue": false },
                "since": iso(a.version),
                "app": state.render_app(id, false),
            }))
        })
        .collect();
    json!({ "queue": entries })
}

fn info(shared: &Shared) -> Value {
    let leader = shared.addr.to_string();
    json!({
        "name": "marathon",
        "version": MARATHON_VERSION,
        "buildref": "marathon-sim",
        "elected": true,
        "leader": leader,
        "frameworkId": "sim-framework-0000",
        "marathon_config": { "master": "local", "hostname": "127.0.0.1", "http_port": shared.addr.port() },
        "http_config": { "http_port": shared.addr.port(), "https_port": 8443 },
        "event_subscriber": null,
        "zookeeper_config": { "zk": "zk://127.0.0.1:2181/marathon" },
    })
}
