//! Every error path of the manual commands: a clear message, the right exit
//! code, and no write request reaching Marathon.

use std::time::Duration;

use crate::support::cmd::{TestHome, assert_error, assert_run_snapshot, dcos_toml, run, web_app};
use crate::support::marathon_sim::{Fault, MarathonSim, SimConfig};

fn setup() -> (MarathonSim, TestHome) {
    let sim = MarathonSim::start(SimConfig {
        time_scale: 0.1,
        ..SimConfig::default()
    });
    let home = TestHome::new();
    home.cluster("c1", &dcos_toml(&sim.dcos_url(), None, "sim"), false);
    (sim, home)
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn malformed_json_is_reported_with_line_and_column_and_nothing_is_sent() {
    let (sim, home) = setup();
    let file = home.file(
        "bad.json",
        "{\n  \"id\": \"/x\",\n  \"cpus\": 0.1,\n  \"mem\" 32\n}\n",
    );
    let no_id = home.file("noid.json", r#"{"cmd": "sleep 1"}"#);
    let missing = home.dcos_dir().join("nope.json");
    let home_dir = home.path().display().to_string();
    let filters = [(home_dir.as_str(), "[HOME]")];
    let runs = [
        run(home.cmd(&["app", "add", path(&file)])),
        run(home.cmd(&["app", "add", path(&no_id)])),
        run(home.cmd(&["app", "add", "-"]).write_stdin("[1, 2")),
        run(home.cmd(&["app", "add", path(&missing)])),
    ];
    for (name, r) in ["malformed", "no_id", "stdin", "missing"].iter().zip(&runs) {
        assert_run_snapshot!(format!("app_add_{name}"), r, &filters);
    }
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[test]
fn an_existing_app_is_not_created_again() {
    let (sim, home) = setup();
    sim.create_app(serde_json::json!({"id": "/dup", "cmd": "sleep 100", "instances": 0}));
    let file = home.file("dup.json", r#"{"id": "dup", "cmd": "sleep 100"}"#);
    assert_run_snapshot!(
        "app_add_existing",
        run(home.cmd(&["app", "add", path(&file)])),
        &[]
    );
    sim.assert_nothing_written();
}

#[test]
fn marathon_rejections_show_the_details() {
    let (sim, home) = setup();
    let file = home.file(
        "invalid.json",
        r#"{"id": "/neg", "cmd": "x", "instances": -1}"#,
    );
    let r = run(home.cmd(&["app", "add", path(&file)]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Marathon rejected the request (HTTP 422)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("/instances: "), "{}", r.stderr);
    assert!(sim.app("/neg").is_none());
}

#[test]
fn unknown_apps_are_named_and_nothing_is_written() {
    let (sim, home) = setup();
    for (name, args) in [
        ("app_show", &["app", "show", "/nope"][..]),
        ("app_scale", &["app", "scale", "nope", "3"]),
        ("app_remove", &["app", "remove", "/nope", "--yes"]),
        ("task_list", &["task", "list", "/nope"]),
        ("health", &["health", "/nope"]),
    ] {
        assert_run_snapshot!(format!("unknown_app_{name}"), run(home.cmd(args)), &[]);
    }
    sim.assert_nothing_written();
}

#[test]
fn a_deployment_lock_names_the_deployment_and_suggests_force() {
    let (sim, home) = setup();
    sim.create_app(web_app("/locked", 1));
    sim.await_deployments(Duration::from_secs(30));
    sim.inject(Fault::locked().on("PUT", "/v2/apps"));
    let r = run(home.cmd(&["app", "scale", "/locked", "3"]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(
        r.stderr.contains("app '/locked' is locked by deployment "),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("retry with --force"), "{}", r.stderr);
    assert!(
        r.stderr.contains("dcos lb deployment watch "),
        "{}",
        r.stderr
    );
    assert_eq!(sim.app("/locked").expect("app")["instances"], 1);
    assert_eq!(sim.write_requests().len(), 1, "exactly one refused PUT");

    let r = run(home.cmd(&[
        "app",
        "scale",
        "/locked",
        "2",
        "--force",
        "--wait",
        "--timeout",
        "60",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let put = sim.write_requests().pop().expect("PUT");
    assert_eq!(put.query, "force=true");
    assert_eq!(sim.app("/locked").expect("app")["instances"], 2);
}

#[test]
fn unreachable_marathon_and_bad_ca_files() {
    let home = TestHome::new();
    let r = run(home.cmd(&["app", "list", "-m", "http://127.0.0.1:9"]));
    assert_error(
        &r,
        6,
        "Error: cannot reach Marathon at http://127.0.0.1:9/v2/apps",
    );
    let r = run(home.cmd(&[
        "app",
        "list",
        "-m",
        "http://127.0.0.1:9",
        "--ca-file",
        "/no/such/ca.pem",
    ]));
    assert_error(&r, 1, "Error: cannot read the CA bundle /no/such/ca.pem");
    let garbage = home.file("ca.pem", "not a certificate\n");
    let r = run(home
        .cmd(&["app", "list", "-m", "https://127.0.0.1:9"])
        .env("DCOS_TLS_CA_PATH", &garbage));
    assert_error(&r, 1, "holds no valid PEM certificate");
}

#[test]
fn tls_failures_print_the_ssl_verify_hint() {
    // A plain-HTTP server spoken to with TLS fails the handshake.
    let (sim, home) = setup();
    let https = sim.url().replace("http://", "https://");
    let r = run(home.cmd(&["app", "list", "-m", &https]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(
        r.stderr.contains("An SSL error occurred. To configure your SSL settings, please run: 'dcos config set core.ssl_verify <value>'"),
        "{}",
        r.stderr
    );
}

#[test]
fn destructive_commands_need_yes_without_a_terminal() {
    let (sim, home) = setup();
    sim.create_app(serde_json::json!({"id": "/keep", "cmd": "sleep 100", "instances": 0}));
    let r = run(home.cmd(&["app", "remove", "/keep"]));
    assert_error(&r, 1, "pass --yes to confirm");
    let r = run(home.cmd(&["task", "kill", "--scale", "keep.instance-x._app.1"]));
    assert_error(&r, 1, "pass --yes to confirm");
    sim.assert_nothing_written();
    assert!(sim.app("/keep").is_some());
}

#[test]
fn server_errors_retry_reads_but_never_writes() {
    let (sim, home) = setup();
    sim.create_app(serde_json::json!({"id": "/svc", "cmd": "sleep 100", "instances": 0}));
    sim.inject(Fault::status(503).on("GET", "/v2/apps").times(2));
    let r = run(home.cmd(&["app", "list", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let gets = sim
        .requests()
        .iter()
        .filter(|q| q.path.ends_with("/v2/apps"))
        .count();
    assert_eq!(gets, 3);

    sim.inject(Fault::status(500).on("PUT", "/v2/apps"));
    let r = run(home.cmd(&["app", "scale", "/svc", "1"]));
    assert_error(&r, 9, "failed with HTTP 500");
    assert_eq!(sim.write_requests().len(), 1, "{:?}", sim.write_requests());
}

#[test]
fn bad_jq_programs_are_rejected_before_any_request() {
    let (sim, home) = setup();
    let r = run(home.cmd(&["app", "list", "--jq", ".[] | .id["]));
    assert_error(&r, 2, "invalid jq filter");
    let r = run(home.cmd(&["health", "/x", "--filter", ".tasks[] | nosuch(1)"]));
    assert_error(&r, 2, "undefined filter");
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[test]
fn killing_unknown_tasks_is_reported() {
    let (sim, home) = setup();
    sim.create_app(serde_json::json!({"id": "/w", "cmd": "sleep 100", "instances": 0}));
    let r = run(home.cmd(&["task", "kill", "--scale", "--yes", "w.instance-nope._app.1"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Marathon rejected the request (HTTP 400)"),
        "{}",
        r.stderr
    );
}

/// `--timeout` bounds a whole request, retries included: against a
/// Marathon that accepts connections and never answers, `--timeout 3` ends
/// after one try of 3 s (before, three tries and their pauses took 10 s).
/// The bound below is the timeout twice over plus process start-up, room
/// for a loaded machine that still fails the old behaviour.
#[test]
fn the_request_timeout_bounds_the_request_with_its_retries() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let home = TestHome::new();
    let started = std::time::Instant::now();
    let r = run(home.cmd(&["app", "list", "-m", &url, "--timeout", "3"]));
    let took = started.elapsed();
    assert_error(&r, 6, "timed out");
    assert!(
        took < Duration::from_secs(3 * 2 + 2),
        "--timeout 3 took {took:?}: {}",
        r.stderr
    );
    drop(silent);
}

/// A deploy whose Marathon cannot be reached stops at the first look with
/// exit 6, not after `--max-wait` of retries.
#[test]
fn a_deploy_against_an_unreachable_marathon_stops_at_once() {
    let home = TestHome::new();
    let app = serde_json::json!({"id": "/web", "portDefinitions": [{"port": 10080}],
        "healthChecks": [{"protocol": "MESOS_HTTP", "path": "/health"}],
        "labels": {"HAPROXY_GROUP": "external",
        "HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": "10081"}});
    let file = home.file("web.json", &app.to_string());
    let r = run(home.cmd(&[
        "deploy",
        path(&file),
        "-m",
        "http://127.0.0.1:9",
        "-l",
        "http://127.0.0.1:9",
        "-f",
        "--dry-run",
    ]));
    assert_error(&r, 6, "nothing was changed");
    assert!(r.stderr.contains("127.0.0.1:9"), "{}", r.stderr);
}

#[test]
fn scale_remove_and_kill_report_success_only_after_it() {
    let (sim, home) = setup();
    sim.create_app(web_app("/svc", 1));
    assert!(
        crate::support::marathon_sim::wait_until(Duration::from_secs(10), || {
            sim.tasks("/svc").len() == 1
        }),
        "the task of /svc never started"
    );
    let task = sim.tasks("/svc")[0]["id"].as_str().expect("id").to_string();
    for (method, prefix, args, code) in [
        ("PUT", "/v2/apps", vec!["app", "scale", "/svc", "2"], 9),
        (
            "DELETE",
            "/v2/apps",
            vec!["app", "remove", "/svc", "--yes"],
            8,
        ),
        (
            "POST",
            "/v2/tasks/delete",
            vec!["task", "kill", &task, "--yes"],
            6,
        ),
    ] {
        for status in [500, 409] {
            sim.inject(Fault::status(status).on(method, prefix));
            let r = run(home.cmd(&args));
            let said = format!("{}{}", r.stdout, r.stderr);
            assert_ne!(r.code, 0, "{args:?} on {status}: {said}");
            if status == 500 {
                assert_eq!(r.code, code, "{args:?}: {said}");
            }
            for claim in ["Created deployment", "Killed tasks", "scaled", "deleted"] {
                assert!(
                    !said.contains(claim),
                    "{args:?} claimed {claim:?} on HTTP {status}: {said}"
                );
            }
        }
    }
    assert_eq!(sim.app("/svc").expect("app")["instances"], 1);
}
