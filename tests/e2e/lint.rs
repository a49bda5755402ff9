//! `dcos lb lint APP.json`: a clean app has no error (exit 0); each seeded
//! mistake gives its finding and exit 3; `--json` is machine-readable. The
//! offline tests need no cluster; the cluster tests lint against the
//! Marathon simulator and a marathon-lb stand-in, and deploy each seeded
//! mistake to show the same refusal with no write reaching Marathon.

use serde_json::{Value, json};

use std::time::Duration;

use crate::support::cmd::{Run, TestHome, run};
use crate::support::harness::Harness;
use crate::support::lb_standin::free_port;

/// An app that a blue/green deploy takes as is.
fn clean() -> Value {
    json!({
        "id": "/web", "instances": 2, "cmd": "./task_server", "cpus": 0.1, "mem": 32,
        "labels": {
            "HAPROXY_DEPLOYMENT_GROUP": "web",
            "HAPROXY_DEPLOYMENT_ALT_PORT": "10081",
            "HAPROXY_GROUP": "external"
        },
        "portDefinitions": [{"port": 10080, "name": "http"}],
        "healthChecks": [{
            "protocol": "MESOS_HTTP", "path": "/health", "portIndex": 0,
            "gracePeriodSeconds": 5, "intervalSeconds": 1, "timeoutSeconds": 2,
            "maxConsecutiveFailures": 3
        }]
    })
}

fn lint(app: &Value, extra: &[&str]) -> Run {
    let home = TestHome::new();
    let file = home.file("app.json", &app.to_string());
    let mut args = vec!["lint", file.to_str().expect("utf-8"), "--offline"];
    args.extend_from_slice(extra);
    run(home.cmd(&args))
}

/// The clean app changed by `edit`.
fn seeded(edit: impl FnOnce(&mut Value)) -> Value {
    let mut app = clean();
    edit(&mut app);
    app
}

fn stdout_has(r: &Run, needle: &str) {
    assert!(
        r.stdout.contains(needle),
        "{needle:?} missing from stdout:\n{}",
        r.stdout
    );
}

fn labels(app: &mut Value) -> &mut serde_json::Map<String, Value> {
    app["labels"].as_object_mut().expect("labels")
}

#[test]
fn a_clean_app_has_no_error() {
    let r = lint(&clean(), &[]);
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    stdout_has(&r, "SEVERITY");
    stdout_has(&r, "frontend web_10080 and backend web_10080");
    assert!(!r.stdout.contains("error"), "{}", r.stdout);
    assert!(r.stderr.contains("0 error(s)"), "{}", r.stderr);
}

#[test]
fn each_seeded_mistake_gives_its_finding_and_exit_3() {
    let cases: Vec<(&str, Value)> = vec![
        (
            "the label HAPROXY_DEPLOYMENT_GROUP is missing",
            seeded(|a| {
                labels(a).remove("HAPROXY_DEPLOYMENT_GROUP");
            }),
        ),
        (
            "the label HAPROXY_DEPLOYMENT_ALT_PORT is missing",
            seeded(|a| {
                labels(a).remove("HAPROXY_DEPLOYMENT_ALT_PORT");
            }),
        ),
        (
            "Marathon takes only strings as label values",
            seeded(|a| a["labels"]["HAPROXY_DEPLOYMENT_ALT_PORT"] = json!(10081)),
        ),
        (
            "not a port number from 1 to 65535",
            seeded(|a| a["labels"]["HAPROXY_DEPLOYMENT_ALT_PORT"] = json!("70000")),
        ),
        (
            "HAPROXY_DEPLOYMENT_ALT_PORT (10080) is the service port",
            seeded(|a| a["labels"]["HAPROXY_DEPLOYMENT_ALT_PORT"] = json!("10080")),
        ),
        (
            "the app has 2 service ports",
            seeded(|a| a["portDefinitions"] = json!([{"port": 10080}, {"port": 10090}])),
        ),
        (
            "the app has no service port",
            seeded(|a| {
                a.as_object_mut().expect("app").remove("portDefinitions");
            }),
        ),
        (
            "the app has no health check",
            seeded(|a| {
                a.as_object_mut().expect("app").remove("healthChecks");
            }),
        ),
        (
            "holds characters HAProxy refuses",
            seeded(|a| a["labels"]["HAPROXY_DEPLOYMENT_GROUP"] = json!("web shop")),
        ),
        (
            "marathon-lb's render fails",
            seeded(|a| a["labels"]["HAPROXY_0_BACKEND_WEIGHT"] = json!("heavy")),
        ),
        ("the app has no id", seeded(|a| a["id"] = json!("/"))),
    ];
    assert!(cases.len() >= 10);
    for (finding, app) in cases {
        let r = lint(&app, &[]);
        assert_eq!(
            r.code, 3,
            "{finding}\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        stdout_has(&r, finding);
        stdout_has(&r, "\nerror ");
        stdout_has(&r, "fix: ");
    }
}

#[test]
fn warnings_alone_exit_0() {
    let slow = seeded(|a| {
        labels(a).remove("HAPROXY_GROUP");
        a["healthChecks"] = json!([{"protocol": "MESOS_HTTP", "path": "/health"}]);
    });
    let r = lint(&slow, &[]);
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    stdout_has(&r, "the label HAPROXY_GROUP is missing");
    stdout_has(&r, "more than --max-wait 300 s");
    let r = lint(&slow, &["--max-wait", "480"]);
    assert!(!r.stdout.contains("--max-wait 300"), "{}", r.stdout);
}

#[test]
fn json_gives_machine_readable_findings() {
    let app = seeded(|a| {
        labels(a).remove("HAPROXY_DEPLOYMENT_ALT_PORT");
    });
    let r = lint(&app, &["--json"]);
    assert_eq!(r.code, 3, "stderr: {}", r.stderr);
    let report: Value = serde_json::from_str(&r.stdout).expect("JSON on stdout");
    assert_eq!(report["errors"], 1, "{report}");
    assert_eq!(report["offline"], true, "{report}");
    let first = &report["findings"][0];
    assert_eq!(first["severity"], "error", "{report}");
    assert_eq!(first["check"], "labels", "{report}");
    for key in ["message", "why", "fix"] {
        assert!(
            first[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key}: {report}"
        );
    }
    let r = lint(
        &clean(),
        &[
            "--jq",
            ".findings[] | select(.check == \"render\") | .severity",
        ],
    );
    assert_eq!((r.code, r.stdout.trim()), (0, "note"), "{}", r.stderr);
}

/// Lints `app` against the harness's cluster (no `--offline`).
fn lint_on(h: &Harness, app: &Value, extra: &[&str]) -> Run {
    let path = h.home().join("linted.json");
    fs_err::write(&path, app.to_string()).expect("write app");
    let mut args = vec!["lint", path.to_str().expect("utf-8")];
    args.extend_from_slice(extra);
    let out = h.output(&args);
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A second group beside the harness's: the ports it holds are taken.
fn another_group(h: &Harness, port: u16, alt: u16) {
    h.sim.create_app(json!({
        "id": "/shop", "cmd": "./task_server", "instances": 1, "cpus": 0.1, "mem": 32,
        "portDefinitions": [{"port": port}],
        "labels": {"HAPROXY_GROUP": "external", "HAPROXY_DEPLOYMENT_GROUP": "shop",
                   "HAPROXY_DEPLOYMENT_ALT_PORT": alt.to_string()}
    }));
}

/// A group served by one marathon-lb, another group beside it, then v2 of
/// the group linted: clean, and with each seeded mistake. Every mistake a
/// deploy can be given is then deployed: refused before any write, by
/// zdd.py's own check where it has one, else with lint's finding.
#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn on_a_cluster_each_seeded_mistake_is_found_and_refused_by_deploy_with_no_write() {
    let h = Harness::new(1);
    let v1 = h.app_file("v1", 1, json!({}));
    let (code, stderr) = h.run(
        &["deploy", v1.to_str().expect("utf-8")],
        Duration::from_secs(90),
    );
    assert_eq!(code, 0, "{stderr}");
    let (shop_port, shop_alt) = (free_port(), free_port());
    another_group(&h, shop_port, shop_alt);
    h.sim.await_deployments(Duration::from_secs(30));
    let v2: Value =
        serde_json::from_slice(&fs_err::read(h.app_file("v2", 1, json!({}))).expect("v2"))
            .expect("v2 JSON");
    let clean = lint_on(&h, &v2, &[]);
    assert_eq!(clean.code, 0, "{}\n{}", clean.stdout, clean.stderr);
    for note in [
        "HAPROXY_GROUP external is served by marathon-lb at",
        "drain proof: horizon",
        "timeout tunnel 3600s",
        "other app(s), marathon-lb --group external renders frontends",
    ] {
        stdout_has(&clean, note);
    }
    assert!(!clean.stdout.contains("\nerror "), "{}", clean.stdout);

    let edit = |f: &dyn Fn(&mut Value)| {
        let mut app = v2.clone();
        f(&mut app);
        app
    };
    let label =
        |key: &'static str, value: Value| move |a: &mut Value| a["labels"][key] = value.clone();
    let port = v2["portDefinitions"][0]["port"].clone();
    let zdd = |text: &'static str, code: i32| Some((text, code));
    // (lint's finding, the edit, what deploy says instead when zdd.py's
    // own check refuses first, with its exit code)
    #[allow(clippy::type_complexity)]
    let cases: Vec<(String, Value, Option<(&str, i32)>)> = vec![
        (
            "the label HAPROXY_DEPLOYMENT_GROUP is missing".into(),
            edit(&|a| {
                labels(a).remove("HAPROXY_DEPLOYMENT_GROUP");
            }),
            zdd("Please define the HAPROXY_DEPLOYMENT_GROUP label", 4),
        ),
        (
            "the label HAPROXY_DEPLOYMENT_ALT_PORT is missing".into(),
            edit(&|a| {
                labels(a).remove("HAPROXY_DEPLOYMENT_ALT_PORT");
            }),
            zdd("Please define the HAPROXY_DEPLOYMENT_ALT_PORT label", 4),
        ),
        (
            "Marathon takes only strings as label values".into(),
            edit(&label("HAPROXY_DEPLOYMENT_ALT_PORT", json!(10081))),
            zdd("Marathon takes only strings as label values", 3),
        ),
        (
            "not a port number from 1 to 65535".into(),
            edit(&label("HAPROXY_DEPLOYMENT_ALT_PORT", json!("70000"))),
            zdd("must be a port number from 1 to 65535", 3),
        ),
        (
            format!("HAPROXY_DEPLOYMENT_ALT_PORT ({port}) is the service port"),
            edit(&label(
                "HAPROXY_DEPLOYMENT_ALT_PORT",
                json!(port.to_string()),
            )),
            None,
        ),
        (
            "the app has 2 service ports".into(),
            edit(&|a| a["portDefinitions"] = json!([{"port": port}, {"port": 1}])),
            None,
        ),
        (
            "the app has no health check".into(),
            edit(&|a| {
                a.as_object_mut().expect("app").remove("healthChecks");
            }),
            None,
        ),
        (
            "holds characters HAProxy refuses".into(),
            edit(&label("HAPROXY_DEPLOYMENT_GROUP", json!("web shop"))),
            None,
        ),
        (
            "marathon-lb's render fails".into(),
            edit(&label("HAPROXY_0_BACKEND_WEIGHT", json!("heavy"))),
            None,
        ),
        (
            format!(
                "HAPROXY_DEPLOYMENT_ALT_PORT {shop_port} is a service port of /shop in Marathon"
            ),
            edit(&label(
                "HAPROXY_DEPLOYMENT_ALT_PORT",
                json!(shop_port.to_string()),
            )),
            None,
        ),
        (
            format!(
                "HAPROXY_DEPLOYMENT_ALT_PORT {shop_alt} is the HAPROXY_DEPLOYMENT_ALT_PORT of /shop in Marathon"
            ),
            edit(&label(
                "HAPROXY_DEPLOYMENT_ALT_PORT",
                json!(shop_alt.to_string()),
            )),
            None,
        ),
        (
            format!("the service port {shop_port} is a service port of /shop in Marathon"),
            edit(&|a| a["portDefinitions"][0]["port"] = json!(shop_port)),
            None,
        ),
    ];
    assert!(cases.len() >= 10);
    for (finding, app, zdd) in &cases {
        let linted = lint_on(&h, app, &[]);
        assert_eq!(
            linted.code, 3,
            "{finding}\n{}\n{}",
            linted.stdout, linted.stderr
        );
        stdout_has(&linted, finding);
        let path = h.home().join("mistake.json");
        fs_err::write(&path, app.to_string()).expect("write app");
        h.sim.clear_requests();
        let (code, stderr) = h.run(
            &["deploy", path.to_str().expect("utf-8")],
            Duration::from_secs(30),
        );
        let (said, want) = zdd.unwrap_or((finding.as_str(), 3));
        assert_eq!(code, want, "{finding}: {stderr}");
        assert!(
            stderr.contains(said),
            "{finding}: deploy should say {said:?}:\n{stderr}"
        );
        h.sim.assert_nothing_written();
    }

    let unserved = edit(&label("HAPROXY_GROUP", json!("internal")));
    let linted = lint_on(&h, &unserved, &["--surge"]);
    assert_eq!(linted.code, 3, "{}", linted.stderr);
    stdout_has(
        &linted,
        "no marathon-lb serves HAPROXY_GROUP internal; they serve external",
    );
    stdout_has(&linted, "--surge runs both colours at full size");
}

/// A cluster that cannot be reached skips the cluster checks with a note:
/// lint still gives the offline findings and exits by them.
#[test]
fn an_unreachable_cluster_skips_the_cluster_checks_with_a_note() {
    let home = TestHome::new();
    let file = home.file("app.json", &clean().to_string());
    let r = run(home.cmd(&[
        "lint",
        file.to_str().expect("utf-8"),
        "-m",
        "http://127.0.0.1:9",
        "-l",
        "http://127.0.0.1:9",
    ]));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    stdout_has(&r, "Marathon could not be read");
    stdout_has(&r, "marathon-lb at http://127.0.0.1:9 does not answer");
}

#[test]
fn a_file_that_is_not_json_is_invalid_input() {
    let home = TestHome::new();
    let file = home.file("app.json", "{ not json");
    let r = run(home.cmd(&["lint", file.to_str().expect("utf-8"), "--offline"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("error loading JSON from"), "{}", r.stderr);
}

#[test]
fn the_readme_shows_the_real_output_for_the_example_app() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let home = TestHome::new();
    let mut cmd = home.cmd(&["lint", "examples/web.json", "--offline"]);
    cmd.current_dir(root);
    let r = run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let shown = format!(
        "$ dcos lb lint examples/web.json --offline\n{}{}",
        r.stdout, r.stderr
    );
    assert!(
        readme.contains(&shown),
        "README's \"Before you deploy\" should show:\n{shown}"
    );
}

/// `deploy` and `split` run the offline checks before anything is sent:
/// an app lint finds an error in is refused with exit 3 and no request
/// reaches Marathon's write endpoints; `--no-lint` skips the checks.
#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn deploy_and_split_refuse_what_lint_finds_before_any_write() {
    let h = crate::support::harness::Harness::new(1);
    let path = h.app_file("v1", 1, serde_json::json!({}));
    let mut app: serde_json::Value = serde_json::from_slice(&fs_err::read(&path).unwrap()).unwrap();
    app.as_object_mut().unwrap().remove("healthChecks");
    fs_err::write(&path, app.to_string()).unwrap();
    for args in [
        vec!["deploy", path.to_str().unwrap()],
        vec!["split", path.to_str().unwrap(), "-n", "1"],
    ] {
        h.sim.clear_requests();
        let (code, stderr) = h.run(&args, std::time::Duration::from_secs(30));
        assert_eq!(code, 3, "{args:?}: {stderr}");
        assert!(
            stderr.contains("the app JSON would not deploy safely: the app has no health check")
                && stderr.contains("--no-lint"),
            "{stderr}"
        );
        h.sim.assert_nothing_written();
    }
    let (code, stderr) = h.run(
        &["deploy", path.to_str().unwrap(), "--no-lint", "--dry-run"],
        std::time::Duration::from_secs(30),
    );
    assert_eq!(code, 0, "{stderr}");
}
