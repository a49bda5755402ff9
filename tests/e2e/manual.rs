//! The Marathon blue/green procedure done by hand with `dcos lb app|task|
//! health|deployment`, against the simulator, through a `~/.dcos` cluster.

use std::time::Duration;

use serde_json::Value;

use crate::support::cmd::{Run, TestHome, assert_run_snapshot, dcos_toml, run, web_app};
use crate::support::marathon_sim::{MarathonSim, SimConfig};

const WAIT: Duration = Duration::from_secs(30);

fn sim() -> MarathonSim {
    MarathonSim::start(SimConfig {
        time_scale: 0.1,
        ..SimConfig::default()
    })
}

fn home_for(sim: &MarathonSim) -> TestHome {
    let home = TestHome::new();
    home.cluster("c1", &dcos_toml(&sim.dcos_url(), None, "sim"), false);
    home
}

fn ok(home: &TestHome, args: &[&str]) -> Run {
    let r = run(home.cmd(args));
    assert_eq!(
        r.code, 0,
        "{args:?}\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    r
}

fn task_ids(home: &TestHome, app: &str) -> Vec<String> {
    let r = ok(home, &["task", "list", app, "--jq", ".[].id"]);
    r.stdout.lines().map(str::to_string).collect()
}

#[test]
fn blue_green_by_hand_ends_with_only_green() {
    let sim = sim();
    sim.create_app(web_app("/blue-myapp", 2));
    sim.await_deployments(WAIT);
    let home = home_for(&sim);

    // 1. add green with one instance
    let mut green = web_app("/green-myapp", 1);
    green["labels"] = serde_json::json!({"COLOUR": "green"});
    let file = home.file(
        "green.json",
        &serde_json::to_string_pretty(&green).expect("json"),
    );
    let r = ok(&home, &["app", "add", file.to_str().expect("utf-8")]);
    assert!(r.stderr.contains("Created deployment "), "{}", r.stderr);
    let posted: Vec<_> = sim
        .write_requests()
        .into_iter()
        .filter(|q| q.method == "POST" && q.path.ends_with("/v2/apps"))
        .collect();
    assert_eq!(posted.len(), 1);
    let body: Value = serde_json::from_str(&posted[0].body).expect("json body");
    let keys: Vec<&String> = body.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "cmd",
            "instances",
            "cpus",
            "mem",
            "portDefinitions",
            "healthChecks",
            "labels"
        ],
        "field order kept"
    );

    // Marathon locks the app until the add's deployment ends (a scale sent
    // earlier is refused with 409): the manual procedure waits for it.
    sim.await_deployments(WAIT);

    // 2. scale green up and wait for the deployment
    let r = ok(
        &home,
        &[
            "app",
            "scale",
            "/green-myapp",
            "2",
            "--wait",
            "--timeout",
            "60",
        ],
    );
    assert!(r.stderr.contains("finished"), "{}", r.stderr);

    // 3. wait until green is healthy (strict)
    let r = ok(
        &home,
        &["health", "/green-myapp", "--wait", "--timeout", "60"],
    );
    assert!(
        r.stdout
            .starts_with("/green-myapp is healthy (2/2 tasks running, 2 healthy)"),
        "{}",
        r.stdout
    );

    // 4. the listing shows both apps
    let r = ok(&home, &["app", "list"]);
    assert_run_snapshot!("app_list_blue_and_green", r, &[]);

    // 5. kill blue's tasks one by one, scaling blue down
    let r = ok(&home, &["task", "list", "/blue-myapp"]);
    let columns: Vec<&str> = r
        .stdout
        .lines()
        .next()
        .expect("header")
        .split_whitespace()
        .collect();
    assert_eq!(columns, ["APP", "HEALTHY", "STARTED", "HOST", "ID"]);
    let blue = task_ids(&home, "/blue-myapp");
    assert_eq!(blue.len(), 2);
    for (left, task) in [(1, &blue[0]), (0, &blue[1])] {
        let r = ok(&home, &["task", "kill", "--scale", "--yes", task]);
        assert!(r.stderr.contains("Created deployment: "), "{}", r.stderr);
        sim.await_deployments(WAIT);
        assert_eq!(sim.app("/blue-myapp").expect("blue")["instances"], left);
    }
    let kills: Vec<_> = sim
        .write_requests()
        .into_iter()
        .filter(|q| q.path.ends_with("/v2/tasks/delete"))
        .collect();
    assert_eq!(kills.len(), 2);
    assert!(kills.iter().all(|k| k.query == "scale=true"), "{kills:?}");

    // 6. remove blue
    ok(&home, &["app", "remove", "/blue-myapp", "--yes"]);
    sim.await_deployments(WAIT);
    assert!(sim.app("/blue-myapp").is_none());
    let green = sim.app("/green-myapp").expect("green");
    assert_eq!(green["instances"], 2);
    assert_eq!(green["tasksHealthy"], 2);

    let r = run(home.cmd(&["deployment", "list"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("There are no deployments"),
        "{}",
        r.stderr
    );
    assert_eq!(
        ok(&home, &["deployment", "list", "--json"]).stdout.trim(),
        "[]"
    );
}

#[test]
fn deployments_are_listed_and_watched_until_gone() {
    let sim = MarathonSim::start(SimConfig {
        time_scale: 0.1,
        task_start_delay: Duration::from_millis(1500),
        ..SimConfig::default()
    });
    let home = home_for(&sim);
    let deployment = sim.create_app(web_app("/slow", 1));
    let r = ok(&home, &["deployment", "list", "/slow"]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["APP", "POD", "ACTION", "PROGRESS", "ID"]
    );
    assert!(
        lines[1].starts_with("/slow") && lines[1].ends_with(&deployment),
        "{}",
        r.stdout
    );
    let r = ok(
        &home,
        &["deployment", "watch", &deployment, "--timeout", "60"],
    );
    assert!(
        r.stderr
            .contains(&format!("Deployment {deployment} finished")),
        "{}",
        r.stderr
    );
    assert!(sim.deployments().is_empty());
}

#[test]
fn health_wait_times_out_with_exit_10_and_filters_work() {
    let sim = sim();
    sim.set_app_health("/sick", false);
    sim.create_app(web_app("/sick", 1));
    let home = home_for(&sim);
    let r = run(home.cmd(&[
        "health",
        "/sick",
        "--wait",
        "--timeout",
        "2",
        "--interval",
        "1",
    ]));
    assert_eq!(r.code, 10, "{}", r.stderr);
    assert!(r.stderr.contains("timed out after 2 s"), "{}", r.stderr);

    let r = run(home.cmd(&["health", "/sick"]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("/sick is not healthy"), "{}", r.stdout);

    // a filter over the app JSON, jq -e truthiness
    ok(&home, &["health", "/sick", "--filter", ".instances == 1"]);
    let r = run(home.cmd(&["health", "/sick", "--filter", ".instances == 2"]));
    assert_eq!(r.code, 1);
    let r = ok(&home, &["app", "show", "/sick", "--jq", ".id"]);
    assert_eq!(r.stdout, "/sick\n");
    let r = ok(
        &home,
        &["health", "/sick", "--json", "--filter", ".instances == 1"],
    );
    let report: Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(report["healthy"], true);
    assert_eq!(report["app"], "/sick");
}

#[test]
fn waits_follow_the_event_stream_and_reconnect_when_it_drops() {
    use crate::support::marathon_sim::{Fault, wait_until};
    let sim = MarathonSim::start(SimConfig {
        time_scale: 0.1,
        task_start_delay: Duration::from_secs(4),
        ..SimConfig::default()
    });
    let home = home_for(&sim);
    let deployment = sim.create_app(web_app("/streamed", 1));
    let mut watch = home.cmd(&[
        "deployment",
        "watch",
        &deployment,
        "--interval",
        "30",
        "--timeout",
        "60",
    ]);
    let child = std::thread::spawn(move || crate::support::cmd::run(&mut watch));
    assert!(
        wait_until(WAIT, || sim.event_streams() == 1),
        "no event stream opened"
    );
    sim.inject(Fault::drop_event_streams());
    assert!(
        wait_until(WAIT, || sim.event_streams() == 1),
        "the stream was not reopened"
    );
    let r = child.join().expect("watch thread");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("finished"), "{}", r.stderr);
    let streams: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|q| q.path.ends_with("/v2/events"))
        .collect();
    assert!(streams.len() >= 2, "{streams:?}");
    assert!(streams.iter().all(|q| q.query
        == "plan-format=light&event_type=deployment_success&event_type=deployment_failed"));
}

#[test]
fn app_add_from_stdin_prints_the_created_app_as_json() {
    let sim = sim();
    let home = home_for(&sim);
    let mut cmd = home.cmd(&["app", "add", "-", "--json"]);
    cmd.write_stdin(r#"{"id": "from-stdin", "cmd": "sleep 100", "instances": 0}"#);
    let r = crate::support::cmd::run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let created: Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(created["id"], "/from-stdin");
    assert!(r.stderr.contains("Created deployment "), "{}", r.stderr);
    assert!(sim.app("/from-stdin").is_some());
    let r = ok(&home, &["app", "show", "from-stdin"]);
    let shown: Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(shown["cmd"], "sleep 100");
}

#[test]
fn watching_a_deployment_marathon_does_not_list_fails_and_says_why() {
    let sim = sim();
    let home = home_for(&sim);
    let r = run(home.cmd(&[
        "deployment",
        "watch",
        "97c136bf-5a28-4821-9d94-480d9fbb01c8",
        "--timeout",
        "5",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "Marathon has no deployment 97c136bf-5a28-4821-9d94-480d9fbb01c8 in progress: it never \
             existed, or it finished before this watch began"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("dcos lb deployment list"), "{}", r.stderr);
    assert!(!r.stderr.contains("finished\n"), "{}", r.stderr);
}
