//! Tests of the Marathon simulator itself: it must follow Marathon's documented
//! REST API closely enough that the CLI's end-to-end tests mean something.

use crate::support::keys::{SERVICE_ACCOUNT_PRIVATE_KEY, SERVICE_ACCOUNT_PUBLIC_KEY};
use crate::support::marathon_sim::auth::sign_login_jwt;
use crate::support::marathon_sim::{
    Fault, MarathonSim, ServiceAccount, SimConfig, wait_for, wait_until,
};
use reqwest::blocking::{Client, Response};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

/// Durations in app definitions run ten times faster.
const SCALE: f64 = 0.1;
/// Upper bound for every wait: what is awaited is one simulated deployment
/// or task change at time scale 0.1 (a task starts in well under a second;
/// a 5 s grace period and 1 s checks become 0.5 s and 0.1 s), about a
/// second in all; 15 s leave ten times that for a loaded 2-core machine.
const WAIT: Duration = Duration::from_secs(15);

fn start() -> MarathonSim {
    MarathonSim::start(SimConfig {
        time_scale: SCALE,
        ..SimConfig::default()
    })
}

/// A simulator whose tasks take `delay_ms` to start listening.
fn start_slow(delay_ms: u64) -> MarathonSim {
    MarathonSim::start(SimConfig {
        time_scale: SCALE,
        task_start_delay: Duration::from_millis(delay_ms),
        ..SimConfig::default()
    })
}

/// A simulator with `app` created and its deployment finished.
fn running(app: Value) -> MarathonSim {
    let sim = start();
    sim.create_app(app);
    sim.await_deployments(WAIT);
    sim
}

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("HTTP client")
}

/// Sends a request and returns status, `Marathon-Deployment-Id` header and JSON body (`Null` if none).
fn call(method: &str, url: &str, body: Option<&Value>) -> (u16, Option<String>, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = client().request(method, url);
    if let Some(body) = body {
        request = request.json(body);
    }
    decode(request.send().expect("request"))
}

fn decode(response: Response) -> (u16, Option<String>, Value) {
    let status = response.status().as_u16();
    let deployment = response
        .headers()
        .get("Marathon-Deployment-Id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().expect("body");
    (
        status,
        deployment,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

fn get(url: &str) -> Value {
    let (status, _, body) = call("GET", url, None);
    assert_eq!(status, 200, "GET {url}: {body}");
    body
}

/// An app whose tasks are checked on `/health` every 1 s (0.1 s scaled).
fn web_app(id: &str, instances: u64) -> Value {
    json!({
        "id": id,
        "cmd": "./task_server",
        "instances": instances,
        "cpus": 0.1,
        "mem": 32,
        "portDefinitions": [{ "port": 0, "name": "http" }],
        "healthChecks": [{
            "protocol": "MESOS_HTTP", "path": "/health", "portIndex": 0,
            "gracePeriodSeconds": 5, "intervalSeconds": 1, "timeoutSeconds": 2, "maxConsecutiveFailures": 3,
        }],
    })
}

fn ports_of(tasks: &[Value]) -> Vec<u16> {
    tasks
        .iter()
        .filter_map(|t| t["ports"][0].as_u64())
        .filter_map(|p| u16::try_from(p).ok())
        .collect()
}

fn accepts(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

fn deployment_ids(sim: &MarathonSim) -> Vec<String> {
    sim.deployments()
        .iter()
        .filter_map(|d| d["id"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn create_runs_real_healthy_tasks_behind_a_locking_deployment() {
    let sim = start_slow(800);
    let (status, header, app) = call(
        "POST",
        &format!("{}/v2/apps", sim.url()),
        Some(&web_app("/shop/web", 2)),
    );
    assert_eq!(status, 201, "{app}");
    let deployment = header.expect("Marathon-Deployment-Id header");
    assert_eq!(app["deployments"], json!([{ "id": deployment }]));
    assert_eq!(app["id"], "/shop/web");
    assert_eq!(
        app["portDefinitions"][0]["port"], 10_000,
        "service port assigned from 10000"
    );

    let plans = get(&format!("{}/v2/deployments", sim.url()));
    assert_eq!(plans[0]["id"], deployment.as_str());
    assert_eq!(plans[0]["affectedApps"], json!(["/shop/web"]));
    assert_eq!(
        plans[0]["steps"][0]["actions"][0]["action"],
        "StartApplication"
    );
    assert_eq!(plans[0]["totalSteps"], 2);

    let (status, _, locked) = call(
        "PUT",
        &format!("{}/v2/apps/shop/web", sim.url()),
        Some(&json!({ "instances": 3 })),
    );
    assert_eq!(status, 409);
    let message = format!(
        "App is locked by one or more deployments. Override with the option '?force=true'. \
         View details at '/v2/deployments/{deployment}'."
    );
    assert_eq!(
        locked,
        json!({ "message": message, "deployments": [{ "id": deployment }] })
    );

    // The engine launches tasks on its own tick, after the POST returned:
    // wait for both launches; they stay staged for the 800 ms start delay.
    wait_for("2 launched tasks of /shop/web", WAIT, || {
        sim.app("/shop/web")
            .is_some_and(|a| a["tasks"].as_array().is_some_and(|t| t.len() == 2))
    });
    let staged = sim.app("/shop/web").expect("app");
    assert_eq!(
        (
            staged["tasksStaged"].as_u64(),
            staged["tasksRunning"].as_u64()
        ),
        (Some(2), Some(0)),
        "{staged}"
    );
    assert!(
        staged["tasks"][0].get("healthCheckResults").is_none(),
        "no results before the first check"
    );
    sim.await_deployments(WAIT);
    let app = get(&format!("{}/v2/apps/shop/web", sim.url()))["app"].clone();
    assert_eq!(
        (app["tasksRunning"].as_u64(), app["tasksHealthy"].as_u64()),
        (Some(2), Some(2)),
        "{app}"
    );
    assert_eq!(app["deployments"], json!([]));
    for task in app["tasks"].as_array().expect("tasks embedded") {
        let id = task["id"].as_str().expect("task id");
        assert!(
            id.starts_with("shop_web.instance-") && id.ends_with("._app.1"),
            "{id}"
        );
        assert_eq!(task["state"], "TASK_RUNNING");
        assert_eq!(task["host"], "127.0.0.1");
        assert_eq!(task["servicePorts"], json!([10_000]));
        let result = &task["healthCheckResults"][0];
        assert_eq!(
            (result["alive"].as_bool(), result["taskId"].as_str()),
            (Some(true), Some(id))
        );
        assert!(result["firstSuccess"].is_string() && result["instanceId"].is_string());
        let port = task["ports"][0].as_u64().expect("port");
        let answer = get(&format!("http://127.0.0.1:{port}/anything"));
        assert_eq!(
            (answer["app"].as_str(), answer["task"].as_str()),
            (Some("/shop/web"), Some(id))
        );
        assert_eq!(answer["version"], app["version"]);
    }
}

#[test]
fn force_replaces_the_deployment_and_restarts_every_task() {
    let sim = start_slow(300);
    let first = sim.create_app(web_app("/api", 2));
    wait_for("2 tasks of /api", WAIT, || sim.tasks("/api").len() == 2);
    let (status, header, body) = call(
        "PUT",
        &format!("{}/service/marathon/v2/apps/api?force=true", sim.url()),
        Some(&json!({ "env": { "COLOUR": "green" } })),
    );
    assert_eq!(status, 200, "{body}");
    let second = header.expect("deployment header");
    assert_eq!(body["deploymentId"], second.as_str());
    assert_eq!(
        deployment_ids(&sim),
        std::slice::from_ref(&second),
        "the forced deployment replaced {first}"
    );
    let overlap = wait_until(WAIT, || sim.tasks("/api").len() == 4);
    assert!(
        overlap,
        "minimumHealthCapacity 1 starts new tasks before killing old ones"
    );
    assert_eq!(
        sim.deployments()[0]["currentActions"][0]["action"],
        "RestartApplication"
    );

    sim.await_deployments(WAIT);
    let app = sim.app("api").expect("app");
    let config_version = &app["versionInfo"]["lastConfigChangeAt"];
    assert_eq!(app["version"], *config_version);
    let tasks = app["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 2);
    assert!(
        tasks.iter().all(|t| t["version"] == *config_version),
        "{tasks:?}"
    );
    let versions = get(&format!("{}/v2/apps/api/versions", sim.url()));
    assert_eq!(versions["versions"][0], *config_version);
    let old = get(&format!(
        "{}/v2/apps/api/versions/{}",
        sim.url(),
        versions["versions"][1].as_str().unwrap_or("")
    ));
    assert_eq!(old["env"], json!({}));
}

#[test]
fn unhealthy_app_never_finishes_until_its_health_endpoint_recovers() {
    let sim = start();
    sim.set_app_health("/sick", false);
    let deployment = sim.create_app(web_app("/sick", 1));
    wait_for("/sick to count 1 unhealthy task", WAIT, || {
        sim.app("/sick").is_some_and(|a| a["tasksUnhealthy"] == 1)
    });
    let task = sim.tasks("/sick")[0].clone();
    assert_eq!(task["healthCheckResults"][0]["alive"], false);
    thread::sleep(Duration::from_millis(500));
    assert_eq!(
        deployment_ids(&sim),
        [deployment],
        "an unhealthy app must keep its deployment"
    );

    sim.set_app_health("/sick", true);
    sim.await_deployments(WAIT);
    assert_eq!(sim.app("/sick").expect("app")["tasksHealthy"], 1);
}

#[test]
fn unhealthy_tasks_are_killed_and_replaced_after_max_failures() {
    let sim = running(web_app("/flaky", 1));
    let task = sim.tasks("/flaky")[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    sim.set_task_health(&task, false);
    let replaced = wait_until(WAIT, || {
        let tasks = sim.tasks("/flaky");
        tasks.len() == 1 && tasks[0]["id"] != task.as_str() && tasks[0]["state"] == "TASK_RUNNING"
    });
    assert!(replaced, "{:?}", sim.tasks("/flaky"));
}

#[test]
fn scaling_and_killing_tasks_follow_marathon() {
    let sim = running(json!({ "id": "/worker", "cmd": "./task_server", "instances": 1 }));
    let before = sim.app("worker").expect("app");

    let (status, _, body) = call(
        "PUT",
        &format!("{}/v2/apps/worker", sim.url()),
        Some(&json!({ "instances": 3 })),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        sim.deployments()[0]["steps"],
        json!([{ "actions": [{ "action": "ScaleApplication", "app": "/worker" }] }])
    );
    sim.await_deployments(WAIT);
    let after = sim.app("worker").expect("app");
    assert_eq!(after["tasksRunning"], 3);
    assert_eq!(
        after["versionInfo"]["lastConfigChangeAt"],
        before["versionInfo"]["lastConfigChangeAt"]
    );
    assert_ne!(
        after["versionInfo"]["lastScalingAt"],
        before["versionInfo"]["lastScalingAt"]
    );

    let tasks = sim.tasks("worker");
    let victim = tasks[0]["id"].as_str().expect("id").to_owned();
    let victim_port = ports_of(&tasks)[0];
    let kill = |query: &str, ids: Value| {
        call(
            "POST",
            &format!("{}/v2/tasks/delete?{query}", sim.url()),
            Some(&json!({ "ids": ids })),
        )
    };
    let (status, _, body) = kill("scale=true", json!([victim]));
    assert_eq!(status, 200, "{body}");
    assert!(
        body["deploymentId"].is_string() && body["version"].is_string(),
        "{body}"
    );
    sim.await_deployments(WAIT);
    assert_eq!(sim.app("worker").expect("app")["instances"], 2);
    assert_eq!(sim.tasks("worker").len(), 2);
    assert!(
        wait_until(WAIT, || !accepts(victim_port)),
        "killed task still serves"
    );

    let (status, _, body) = kill("scale=true", json!(["worker.instance-nope._app.1"]));
    assert_eq!(
        (status, body["message"].as_str()),
        (400, Some("Invalid task id worker.instance-nope._app.1"))
    );

    let survivor = sim.tasks("worker")[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (status, _, body) = kill("scale=false", json!([survivor]));
    assert_eq!(
        (status, body["tasks"][0]["state"].as_str()),
        (200, Some("TASK_KILLING")),
        "{body}"
    );
    let replaced = wait_until(WAIT, || {
        let tasks = sim.tasks("worker");
        tasks.len() == 2
            && tasks
                .iter()
                .all(|t| t["id"] != survivor.as_str() && t["state"] == "TASK_RUNNING")
    });
    assert!(replaced, "{:?}", sim.tasks("worker"));
    assert_eq!(sim.app("worker").expect("app")["instances"], 2);
}

#[test]
fn deleting_an_app_stops_its_processes() {
    let sim = running(web_app("/gone", 2));
    let ports = ports_of(&sim.tasks("gone"));
    assert!(ports.iter().all(|p| accepts(*p)));
    let (status, header, body) = call("DELETE", &format!("{}/v2/apps/gone", sim.url()), None);
    assert_eq!(
        (status, header.as_deref()),
        (200, body["deploymentId"].as_str())
    );
    let (status, _, body) = call("GET", &format!("{}/v2/apps/gone", sim.url()), None);
    assert_eq!(
        (status, body),
        (404, json!({ "message": "App '/gone' does not exist" }))
    );
    sim.await_deployments(WAIT);
    assert!(sim.tasks("gone").is_empty());
    assert!(
        wait_until(WAIT, || ports.iter().all(|p| !accepts(*p))),
        "processes survived the delete"
    );
}

#[test]
fn dropping_the_simulator_kills_every_task() {
    let sim = running(json!({ "id": "/leak", "cmd": "./task_server", "instances": 2 }));
    let ports = ports_of(&sim.tasks("leak"));
    assert_eq!(ports.len(), 2);
    drop(sim);
    wait_for(
        "every task process to stop listening after the simulator is dropped",
        WAIT,
        || ports.iter().all(|p| !accepts(*p)),
    );
}

#[test]
fn label_selectors_and_id_filters() {
    let sim = start();
    for (id, labels) in [
        (
            "/lb/blue",
            json!({ "HAPROXY_DEPLOYMENT_GROUP": "shop", "HAPROXY_DEPLOYMENT_COLOUR": "blue" }),
        ),
        (
            "/lb/green",
            json!({ "HAPROXY_DEPLOYMENT_GROUP": "shop", "HAPROXY_DEPLOYMENT_COLOUR": "green" }),
        ),
        ("/other", json!({ "HAPROXY_GROUP": "external" })),
    ] {
        sim.create_app(json!({ "id": id, "cmd": "x", "instances": 0, "labels": labels }));
    }
    let ids = |query: &str| -> Vec<String> {
        let body = get(&format!("{}/v2/apps?{query}", sim.url()));
        body["apps"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["id"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        ids("label=HAPROXY_DEPLOYMENT_GROUP"),
        ["/lb/blue", "/lb/green"]
    );
    assert_eq!(
        ids("label=HAPROXY_DEPLOYMENT_GROUP==shop,HAPROXY_DEPLOYMENT_COLOUR!=blue"),
        ["/lb/green"]
    );
    assert_eq!(
        ids("label=HAPROXY_DEPLOYMENT_COLOUR%20in%20(blue,red)"),
        ["/lb/blue"]
    );
    assert_eq!(ids("id=/lb/"), ["/lb/blue", "/lb/green"]);
    let embedded = get(&format!("{}/v2/apps?embed=apps.tasks&id=other", sim.url()));
    assert_eq!(embedded["apps"][0]["tasks"], json!([]));
    assert!(
        get(&format!("{}/v2/apps", sim.url()))["apps"][0]
            .get("tasks")
            .is_none()
    );
}

#[test]
fn invalid_definitions_are_refused_like_marathon_does() {
    let sim = start();
    let post = |body: &Value| call("POST", &format!("{}/v2/apps", sim.url()), Some(body));
    let (status, _, body) = post(&json!({ "id": "/Bad_Id", "cmd": "x" }));
    assert_eq!(
        (
            status,
            body["message"].as_str(),
            body["details"][0]["path"].as_str()
        ),
        (422, Some("Object is not valid"), Some("/id"))
    );
    let (status, _, body) = post(&json!({ "id": "/ok", "cmd": "x", "instances": -1 }));
    assert_eq!(
        (status, body["details"][0]["path"].as_str()),
        (422, Some("/instances"))
    );
    assert_eq!(
        post(&json!({ "id": "/dup", "cmd": "x", "instances": 0 })).0,
        201
    );
    let (status, _, body) = post(&json!({ "id": "dup", "cmd": "x", "instances": 0 }));
    assert_eq!(
        (status, body["message"].as_str()),
        (409, Some("An app with id [/dup] already exists."))
    );
    let response = client()
        .post(format!("{}/v2/apps", sim.url()))
        .body("{nope")
        .send()
        .expect("request");
    let (status, _, body) = decode(response);
    assert_eq!(
        (status, body["message"].as_str()),
        (400, Some("Invalid JSON"))
    );
}

/// Reads SSE events `(type, data)` on a thread; the channel closes when the stream ends.
fn subscribe(url: &str) -> Receiver<(String, Value)> {
    let response = Client::builder()
        .timeout(None)
        .build()
        .expect("client")
        .get(url)
        .header("Accept", "text/event-stream")
        .send()
        .expect("event stream");
    assert_eq!(response.status().as_u16(), 200);
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(response).lines() {
            let Ok(line) = line else {
                return;
            };
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_owned();
            } else if let Some(data) = line.strip_prefix("data: ") {
                let data = serde_json::from_str(data).unwrap_or(Value::Null);
                if tx.send((event.clone(), data)).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

#[test]
fn event_stream_is_filtered_and_live() {
    let sim = start();
    let (status, _, _) = call("GET", &format!("{}/v2/events", sim.url()), None);
    assert_eq!(status, 406, "the stream needs Accept: text/event-stream");
    let events = subscribe(&format!(
        "{}/v2/events?plan-format=light&event_type=deployment_success&event_type=app_terminated_event",
        sim.url()
    ));
    let next = || events.recv_timeout(WAIT).expect("an event");
    assert_eq!(next().0, "event_stream_attached");
    let deployment = sim.create_app(json!({ "id": "/evt", "cmd": "x", "instances": 1 }));
    let (kind, data) = next();
    assert_eq!(
        (kind.as_str(), data["id"].as_str()),
        ("deployment_success", Some(deployment.as_str()))
    );
    assert_eq!(data["eventType"], "deployment_success");
    assert!(data["timestamp"].is_string() && data["plan"]["steps"].is_array());
    assert_eq!(
        call("DELETE", &format!("{}/v2/apps/evt", sim.url()), None).0,
        200
    );
    let types: Vec<String> = [next(), next()].into_iter().map(|(kind, _)| kind).collect();
    assert_eq!(types, ["deployment_success", "app_terminated_event"]);

    let all = subscribe(&format!("{}/v2/events", sim.url()));
    assert_eq!(
        all.recv_timeout(WAIT).expect("attached").0,
        "event_stream_attached"
    );
    assert_eq!(sim.event_streams(), 2);
    sim.inject(Fault::drop_event_streams());
    let deadline = Instant::now() + WAIT;
    while all.recv_timeout(deadline - Instant::now()).is_ok() {}
    assert!(Instant::now() < deadline, "the stream was not dropped");
    assert_eq!(sim.event_streams(), 0);
}

#[test]
fn status_and_health_events_describe_tasks() {
    let sim = start();
    let events = subscribe(&format!(
        "{}/v2/events?event_type=status_update_event&event_type=health_status_changed_event&event_type=api_post_event",
        sim.url()
    ));
    assert_eq!(
        events.recv_timeout(WAIT).expect("attached").0,
        "event_stream_attached"
    );
    assert_eq!(
        call(
            "POST",
            &format!("{}/v2/apps", sim.url()),
            Some(&web_app("/ev", 1))
        )
        .0,
        201
    );
    let mut seen: Vec<(String, Value)> = Vec::new();
    let complete = wait_until(WAIT, || {
        seen.extend(events.try_iter());
        seen.iter()
            .any(|(kind, _)| kind == "health_status_changed_event")
    });
    assert!(complete, "{seen:?}");
    let post = &seen
        .iter()
        .find(|(kind, _)| kind == "api_post_event")
        .expect("api_post_event")
        .1;
    assert_eq!(
        (post["uri"].as_str(), post["appDefinition"]["id"].as_str()),
        (Some("/v2/apps"), Some("/ev"))
    );
    let statuses: Vec<&str> = seen
        .iter()
        .filter(|(kind, _)| kind == "status_update_event")
        .filter_map(|(_, data)| data["taskStatus"].as_str())
        .collect();
    assert_eq!(statuses, ["TASK_STAGING", "TASK_RUNNING"]);
    let health = &seen
        .iter()
        .find(|(kind, _)| kind == "health_status_changed_event")
        .expect("health")
        .1;
    assert_eq!(
        (health["appId"].as_str(), health["alive"].as_bool()),
        (Some("/ev"), Some(true))
    );
    assert!(
        health["instanceId"]
            .as_str()
            .is_some_and(|i| i.starts_with("ev.instance-"))
    );
}

#[test]
fn rollback_and_forced_stop_of_deployments() {
    let sim = start();
    sim.set_app_health("/stuck", false);
    let deployment = sim.create_app(web_app("/stuck", 1));
    let (status, _, body) = call(
        "DELETE",
        &format!("{}/v2/deployments/{deployment}", sim.url()),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let rollback = body["deploymentId"]
        .as_str()
        .expect("rollback deployment")
        .to_owned();
    assert_ne!(rollback, deployment);
    assert!(
        sim.app("/stuck").is_none(),
        "rolling back a create removes the app"
    );
    sim.await_deployments(WAIT);
    assert!(sim.tasks("/stuck").is_empty());

    let stuck = sim.create_app(web_app("/stuck", 1));
    let (status, _, body) = call(
        "DELETE",
        &format!("{}/v2/deployments/{stuck}?force=true", sim.url()),
        None,
    );
    assert_eq!((status, body), (202, Value::Null));
    assert!(sim.deployments().is_empty());
    assert!(
        sim.app("/stuck").is_some(),
        "a forced stop leaves the app as it is"
    );
    let (status, _, body) = call(
        "DELETE",
        &format!("{}/v2/deployments/{rollback}", sim.url()),
        None,
    );
    assert_eq!(
        (status, body["message"].as_str()),
        (
            404,
            Some(format!("DeploymentPlan {rollback} does not exist").as_str())
        )
    );
}

#[test]
fn tokens_prefix_and_logins() {
    let sim = MarathonSim::start(SimConfig {
        token: Some("secret".into()),
        users: vec![("alice".into(), "pw".into())],
        service_accounts: vec![ServiceAccount {
            uid: "ci".into(),
            public_key_pem: Some(SERVICE_ACCOUNT_PUBLIC_KEY.into()),
        }],
        forbidden_paths: vec!["/v2/deployments".into()],
        ..SimConfig::default()
    });
    let marathon = format!("{}/service/marathon", sim.dcos_url());
    let with_token = |path: &str, token: &str| {
        decode(
            client()
                .get(format!("{marathon}{path}"))
                .header("Authorization", format!("token={token}"))
                .send()
                .expect("request"),
        )
    };
    let (status, _, body) = call("GET", &format!("{marathon}/v2/apps"), None);
    assert_eq!(
        (status, body["message"].as_str()),
        (401, Some("Invalid username or password."))
    );
    assert_eq!(with_token("/v2/apps", "wrong").0, 401);
    assert_eq!(with_token("/v2/apps", "secret").0, 200);
    assert_eq!(with_token("/v2/info", "secret").2["name"], "marathon");
    assert_eq!(with_token("/v2/deployments", "secret").0, 403);
    let logged = sim.requests();
    let last = logged.last().expect("logged");
    assert_eq!(
        (last.path.as_str(), last.authorization.as_deref()),
        ("/service/marathon/v2/deployments", Some("token=secret"))
    );

    let login = |body: Value| {
        call(
            "POST",
            &format!("{}/acs/api/v1/auth/login", sim.dcos_url()),
            Some(&body),
        )
    };
    let (status, _, body) = login(json!({ "uid": "alice", "password": "pw" }));
    assert_eq!(status, 200);
    let token = body["token"].as_str().expect("token").to_owned();
    assert_eq!(with_token("/v2/apps", &token).0, 200);
    let (status, _, body) = login(json!({ "uid": "alice", "password": "nope" }));
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("ERR_INVALID_CREDENTIALS"))
    );

    let exp = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs(),
    )
    .expect("time")
        + 300;
    let (status, _, body) = login(
        json!({ "uid": "ci", "token": sign_login_jwt("ci", SERVICE_ACCOUNT_PRIVATE_KEY, exp) }),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        with_token("/ping", body["token"].as_str().expect("token")).0,
        200
    );
    let forged = sign_login_jwt("alice", SERVICE_ACCOUNT_PRIVATE_KEY, exp);
    assert_eq!(login(json!({ "uid": "ci", "token": forged })).0, 401);
    let expired = sign_login_jwt("ci", SERVICE_ACCOUNT_PRIVATE_KEY, exp - 600);
    assert_eq!(login(json!({ "uid": "ci", "token": expired })).0, 401);
}

#[test]
fn tokens_expire_and_basic_auth_works_for_bare_marathon() {
    let sim = MarathonSim::start(SimConfig {
        token: Some("t".into()),
        token_expires_after: Some(2),
        users: vec![("bob".into(), "pw".into())],
        basic_auth: Some(("ops".into(), "s3cret".into())),
        ..SimConfig::default()
    });
    let get_with = |auth: &str| {
        client()
            .get(format!("{}/v2/apps", sim.url()))
            .header("Authorization", auth)
            .send()
            .expect("request")
            .status()
            .as_u16()
    };
    assert_eq!(
        [
            get_with("token=t"),
            get_with("token=t"),
            get_with("token=t")
        ],
        [200, 200, 401]
    );
    let (_, _, body) = call(
        "POST",
        &format!("{}/acs/api/v1/auth/login", sim.url()),
        Some(&json!({ "uid": "bob", "password": "pw" })),
    );
    let fresh = format!("token={}", body["token"].as_str().expect("token"));
    assert_eq!(get_with(&fresh), 200);
    let basic = client()
        .get(format!("{}/v2/apps", sim.url()))
        .basic_auth("ops", Some("s3cret"))
        .send()
        .expect("request");
    assert_eq!(basic.status().as_u16(), 200);
    let wrong = client()
        .get(format!("{}/v2/apps", sim.url()))
        .basic_auth("ops", Some("no"))
        .send()
        .expect("request");
    assert_eq!(wrong.status().as_u16(), 401);
}

#[test]
fn injected_faults_hit_only_matching_requests() {
    let sim = start();
    sim.inject(Fault::status(503).on("GET", "/v2/apps").times(2));
    sim.inject(Fault::locked().on("PUT", "/v2/apps"));
    sim.inject(Fault::latency(Duration::from_millis(300)).on("GET", "/v2/info"));
    let apps = format!("{}/service/marathon/v2/apps", sim.url());
    assert_eq!(
        call("GET", &format!("{}/v2/deployments", sim.url()), None).0,
        200
    );
    assert_eq!(
        [
            call("GET", &apps, None).0,
            call("GET", &apps, None).0,
            call("GET", &apps, None).0
        ],
        [503, 503, 200]
    );
    let (status, _, body) = call(
        "PUT",
        &format!("{apps}/x"),
        Some(&json!({ "instances": 1 })),
    );
    assert_eq!(status, 409);
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("App is locked by one or more deployments."))
    );
    let started = Instant::now();
    assert_eq!(call("GET", &format!("{}/v2/info", sim.url()), None).0, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    let writes = sim.write_requests();
    assert_eq!(writes.len(), 1);
    assert_eq!(
        (writes[0].method.as_str(), writes[0].body.as_str()),
        ("PUT", r#"{"instances":1}"#)
    );
    assert_eq!(sim.requests().len(), 6);
    sim.clear_requests();
    assert!(sim.requests().is_empty());
}

#[test]
fn task_servers_expose_metrics_and_marathon_environment() {
    let sim = running(json!({
        "id": "/env", "cmd": "x", "instances": 1, "labels": { "HAPROXY_GROUP": "external" },
        "portDefinitions": [{ "port": 0, "name": "http" }, { "port": 10_500 }],
        "env": { "GREETING": "hi" },
    }));
    let task = sim.tasks("env")[0].clone();
    assert_eq!(task["servicePorts"], json!([10_000, 10_500]));
    let port = ports_of(std::slice::from_ref(&task))[0];
    let id = task["id"].as_str().expect("id");
    let fetch = |path: &str| {
        client()
            .get(format!("http://127.0.0.1:{port}{path}"))
            .send()
            .expect("task answers")
            .text()
            .expect("text")
    };
    assert!(fetch("/metrics").contains("pending_operations 0"));
    sim.set_pending_operations(id, 4);
    assert!(fetch("/metrics").contains("pending_operations 4"));
    assert_eq!(task["ports"].as_array().map(Vec::len), Some(2));
    let env = |name: &str| fetch(&format!("/env/{name}"));
    assert_eq!(env("PORT_HTTP"), port.to_string());
    assert_eq!(env("PORT"), port.to_string());
    assert_eq!(env("PORTS"), format!("{port},{}", task["ports"][1]));
    assert_eq!(env("PORT_10500"), task["ports"][1].to_string());
    assert_eq!(env("MARATHON_APP_LABEL_HAPROXY_GROUP"), "external");
    assert_eq!(env("MARATHON_APP_ID"), "/env");
    assert_eq!(env("MESOS_TASK_ID"), id);
    assert_eq!(env("HOST"), "127.0.0.1");
    assert_eq!(env("GREETING"), "hi");
    assert_eq!(
        get(&format!("{}/v2/queue", sim.url())),
        json!({ "queue": [] })
    );
    assert_eq!(
        get(&format!("{}/v2/tasks?status=running", sim.url()))["tasks"][0]["id"],
        id
    );
}

/// The task subcommand is not a user command: without Marathon's task
/// environment it says what it needs, and no --help lists it.
#[test]
fn sandbox_task_needs_marathons_port_and_hides_from_help() {
    let home = crate::support::cmd::TestHome::new();
    let r = crate::support::cmd::run(home.cmd(&["sandbox-task"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("PORT0 must be set to a port, as Marathon sets it"),
        "{}",
        r.stderr
    );
    let help = crate::support::cmd::run(home.cmd(&["--help"]));
    assert!(!help.stdout.contains("sandbox-task"), "{}", help.stdout);
}

/// A release told to misbehave (from its env or its labels) does so on the
/// user paths while its health check still passes: the bad release one
/// rehearses in the sandbox and the canary tests use.
#[test]
fn task_servers_fail_slow_down_and_crash_as_their_app_says() {
    let sim = running(json!({
        "id": "/bad", "cmd": "x", "instances": 1,
        "portDefinitions": [{ "port": 0 }],
        "env": { "SANDBOX_FAIL_PERCENT": "50", "SANDBOX_LATENCY_MS": "150" },
        "labels": { "VERSION": "v2", "SANDBOX_CRASH_AFTER": "6" },
    }));
    let port = ports_of(&sim.tasks("bad"))[0];
    let url = |path: &str| format!("http://127.0.0.1:{port}{path}");
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let asked = Instant::now();
        let response = client().get(url("/")).send().expect("an answer");
        assert!(
            asked.elapsed() >= Duration::from_millis(150),
            "answered before its latency"
        );
        statuses.push(response.status().as_u16());
        let body: Value = response.json().expect("JSON");
        assert_eq!(body["release"], "v2", "{body}");
    }
    assert_eq!(statuses, [200, 500, 200, 500, 200, 500]);
    let health = client().get(url("/health")).send().expect("health answers");
    assert_eq!(
        health.status().as_u16(),
        200,
        "the health check still passes"
    );
    assert!(
        client().get(url("/")).send().is_err(),
        "the seventh request meets a crashed process"
    );
}
