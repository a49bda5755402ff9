//! `dcos lb deploy` and `split` on bad input: each refusal says what to fix,
//! exits with zdd.py's code for that failure, and sends no write request to
//! Marathon. Also `--dry-run`, which shows the final app and the plan and
//! changes nothing.

use serde_json::{Value, json};

use crate::support::cmd::{Run, TestHome, dcos_toml, run, web_app};
use crate::support::marathon_sim::{MarathonSim, SimConfig};

/// A simulator and a HOME whose only cluster is it (no token).
pub fn world() -> (MarathonSim, TestHome) {
    let sim = MarathonSim::start(SimConfig {
        time_scale: 0.1,
        ..SimConfig::default()
    });
    let home = TestHome::new();
    home.cluster("c1", &dcos_toml(&sim.dcos_url(), None, "sim"), false);
    (sim, home)
}

/// `/web`, 3 instances on service port 10080, with these labels.
pub fn zdd_app(labels: Value) -> Value {
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

/// A bad input: what it is, the app JSON, extra flags, the exit code and
/// the words the refusal must contain.
type BadInput<'a> = (&'a str, String, Vec<&'a str>, i32, Vec<&'a str>);

/// Numbers, labels, flags, the hook and the LBs are checked before the
/// first write: each bad one is refused with what to fix and nothing sent
/// (before, some were rewritten silently and others were found only after
/// the new app was created).
#[test]
fn every_checkable_input_is_refused_before_the_first_write() {
    let (sim, home) = world();
    let labels = json!({"HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": "10081"});
    let with = |key: &str, value: Value| {
        let mut app = zdd_app(labels.clone());
        app[key] = value;
        app.to_string()
    };
    let with_alt = |alt: Value| {
        zdd_app(json!({"HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": alt}))
            .to_string()
    };
    let good = zdd_app(labels.clone()).to_string();
    let plain = home.file("hook-not-executable", "#!/bin/sh\nexit 0\n");
    let plain = plain.to_str().unwrap().to_string();
    let cases: Vec<BadInput> = vec![
        (
            "instances as text",
            with("instances", json!("two")),
            vec![],
            3,
            vec!["\"instances\" must be a whole number", "\"two\""],
        ),
        (
            "negative instances",
            with("instances", json!(-1)),
            vec![],
            3,
            vec!["\"instances\" must be a whole number", "-1"],
        ),
        (
            "fractional instances",
            with("instances", json!(1.5)),
            vec![],
            3,
            vec!["\"instances\"", "1.5"],
        ),
        (
            "null instances",
            with("instances", Value::Null),
            vec![],
            3,
            vec!["\"instances\"", "null"],
        ),
        (
            "10^12 instances",
            with("instances", json!(1_000_000_000_000_u64)),
            vec![],
            3,
            vec!["from 0 to 2147483647", "1000000000000"],
        ),
        (
            "ALT_PORT as a JSON number",
            with_alt(json!(10081)),
            vec![],
            3,
            vec![
                "only strings as label values",
                "\"HAPROXY_DEPLOYMENT_ALT_PORT\": \"10081\"",
            ],
        ),
        (
            "ALT_PORT out of range",
            with_alt(json!("70000")),
            vec![],
            3,
            vec!["from 1 to 65535", "70000"],
        ),
        (
            "ALT_PORT zero",
            with_alt(json!("0")),
            vec![],
            3,
            vec!["from 1 to 65535"],
        ),
        ("-w 0", good.clone(), vec!["-w", "0"], 2, vec!["--max-wait"]),
        (
            "-i 0",
            good.clone(),
            vec!["-i", "0"],
            2,
            vec!["--initial-instances"],
        ),
        (
            "--linear-increase 0",
            good.clone(),
            vec!["--linear-increase", "0"],
            2,
            vec!["--linear-increase"],
        ),
        (
            "-s 0",
            good.clone(),
            vec!["-s", "0"],
            2,
            vec!["--step-delay", "above 0"],
        ),
        (
            "-s nan",
            good.clone(),
            vec!["-s", "NaN"],
            2,
            vec!["--step-delay", "above 0"],
        ),
        (
            "a missing hook",
            good.clone(),
            vec!["--pre-kill-hook", "/nonexistent/hook"],
            2,
            vec![
                "--pre-kill-hook /nonexistent/hook can't be run",
                "nothing was changed",
            ],
        ),
        (
            "a hook that is not executable",
            good.clone(),
            vec!["--pre-kill-hook", plain.as_str()],
            2,
            vec!["is not executable", "chmod +x"],
        ),
        (
            "an unreachable -l",
            good.clone(),
            vec![],
            5,
            vec![
                "marathon-lb could not be read: http://127.0.0.1:9",
                "nothing was changed",
            ],
        ),
    ];
    for (what, app, extra, code, words) in cases {
        let mut flags = vec!["-f", "--timeout", "5"];
        flags.extend(extra);
        let result = deploy(&home, "case.json", &app, &flags);
        assert_eq!(result.code, code, "{what}: stderr: {}", result.stderr);
        for word in words {
            assert!(
                result.stderr.contains(word),
                "{what}: {word:?} missing from: {}",
                result.stderr
            );
        }
        sim.assert_nothing_written();
    }
}

#[test]
fn new_instances_above_the_target_are_clamped_with_one_line() {
    let (sim, home) = world();
    let mut running = zdd_app(json!({
        "HAPROXY_DEPLOYMENT_GROUP": "web",
        "HAPROXY_DEPLOYMENT_ALT_PORT": "10081",
        "HAPROXY_DEPLOYMENT_COLOUR": "blue",
        "HAPROXY_0_PORT": "10080",
        "HAPROXY_DEPLOYMENT_TARGET_INSTANCES": "3",
        "HAPROXY_DEPLOYMENT_STARTED_AT": "2026-01-01T00:00:00Z",
    }));
    running["id"] = json!("/web-blue");
    running["instances"] = json!(0);
    sim.create_app(running);
    sim.clear_requests();
    let v2 =
        zdd_app(json!({"HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": "10081"}));
    let file = home.file("v2.json", &v2.to_string());
    let file = file.to_str().expect("utf-8");
    let split = |n: &str| {
        run(home.cmd(&[
            "split",
            file,
            "-n",
            n,
            "--dry-run",
            "-l",
            "http://127.0.0.1:9",
        ]))
    };
    let r = split("9");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let clamped: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("--new-instances"))
        .collect();
    assert_eq!(
        clamped,
        [
            "warning: --new-instances 9 is more than group web's target of 3 instances: all 3 will run the new version (zdd.py clamps it too)"
        ],
        "{}",
        r.stderr
    );
    let r = split("3");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("clamps"), "{}", r.stderr);
    sim.assert_nothing_written();
}
