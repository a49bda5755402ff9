//! `dcos lb deploy` and `split` on bad input: each refusal says what to fix,
//! exits with zdd.py's code for that failure, and sends no write request to
//! Marathon. Also `--dry-run`, which shows the final app and the plan and
//! changes nothing.

use serde_json::{Value, json};

use crate::support::cmd::{Run, TestHome, dcos_toml, run, web_app};
use crate::support::marathon_sim::{MarathonSim, SimConfig};

fn world() -> (MarathonSim, TestHome) {
    let sim = MarathonSim::start(SimConfig {
        time_scale: 0.1,
        ..SimConfig::default()
    });
    let home = TestHome::new();
    home.cluster("c1", &dcos_toml(&sim.dcos_url(), None, "sim"), false);
    (sim, home)
}

fn zdd_app(labels: Value) -> Value {
    let mut app = web_app("/web", 3);
    app["labels"] = labels;
    app["portDefinitions"] = json!([{ "port": 10080, "name": "http" }]);
    app
}

fn deploy(home: &TestHome, name: &str, app: &str, extra: &[&str]) -> Run {
    let file = home.file(name, app);
    let file = file.to_str().expect("utf-8").to_string();
    let mut args = vec!["deploy", file.as_str(), "-l", "http://127.0.0.1:9"];
    args.extend_from_slice(extra);
    run(home.cmd(&args))
}

fn assert_refused(sim: &MarathonSim, result: &Run, code: i32, words: &[&str]) {
    assert_eq!(
        result.code, code,
        "stdout: {}\nstderr: {}",
        result.stdout, result.stderr
    );
    for word in words {
        assert!(
            result.stderr.contains(word),
            "{word:?} missing from: {}",
            result.stderr
        );
    }
    sim.assert_nothing_written();
}

#[test]
fn bad_app_json_is_refused_before_anything_is_sent() {
    let (sim, home) = world();
    let labels = json!({"HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": "10081"});

    let result = deploy(
        &home,
        "broken.json",
        "{\n  \"id\": \"/web\",\n  \"instances\": 3,,\n}",
        &["-f"],
    );
    assert_refused(&sim, &result, 3, &["broken.json", "line 3"]);

    let no_group = zdd_app(json!({"HAPROXY_DEPLOYMENT_ALT_PORT": "10081"})).to_string();
    let result = deploy(&home, "no-group.json", &no_group, &["-f"]);
    assert_refused(&sim, &result, 4, &["HAPROXY_DEPLOYMENT_GROUP"]);

    let no_alt = zdd_app(json!({"HAPROXY_DEPLOYMENT_GROUP": "web"})).to_string();
    let result = deploy(&home, "no-alt.json", &no_alt, &["-f"]);
    assert_refused(&sim, &result, 4, &["HAPROXY_DEPLOYMENT_ALT_PORT"]);

    let good = zdd_app(labels).to_string();
    let result = deploy(&home, "good.json", &good, &["--complete-cur", "-f"]);
    assert_refused(&sim, &result, 3, &["web"]);

    let result = deploy(&home, "good.json", &good, &[]);
    assert_ne!(
        result.code, 0,
        "without a terminal and without --force it must refuse"
    );
    assert!(result.stderr.contains("--force"), "{}", result.stderr);
    sim.assert_nothing_written();
}

#[test]
fn dry_run_prints_the_final_app_and_the_plan_and_sends_nothing() {
    let (sim, home) = world();
    let labels = json!({"HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": "10081"});
    let app = zdd_app(labels).to_string();
    let result = deploy(&home, "web.json", &app, &["--dry-run"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let printed = format!("{}{}", result.stdout, result.stderr);
    for part in [
        "\"/web-blue\"",
        "HAPROXY_DEPLOYMENT_COLOUR",
        "HAPROXY_DEPLOYMENT_TARGET_INSTANCES",
        "10080",
    ] {
        assert!(printed.contains(part), "{part:?} missing from:\n{printed}");
    }
    sim.assert_nothing_written();
    assert!(sim.app("/web-blue").is_none());
}
