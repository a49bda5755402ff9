//! `dcos lb render` through the real binary: every conformance case run the
//! way a user would (`--apps apps.json` plus marathon-lb's argv, in the
//! case's folder, with its environment), compared byte for byte; and the
//! flags only the CLI has (`--output`, `--validate`, `--json`, errors).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::cmd::{TestHome, run};
use crate::support::{component, conformance};

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read json")).expect("parse json")
}

#[test]
#[cfg_attr(
    missing_conformance,
    ignore = "needs the conformance data at ../shared/conformance (or DCOS_LB_CONFORMANCE_DIR)"
)]
fn every_conformance_case_renders_identically_through_the_binary() {
    let root = component::conformance();
    let home = TestHome::new();
    let dirs = conformance::case_dirs(Some(root));
    let own = conformance::case_dirs(None).len();
    assert!(
        own > 0 && dirs.len() >= 138 + own,
        "expected the 138 shared conformance cases and the {own} of tests/conformance, found {}",
        dirs.len()
    );
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let args = read_json(&dir.join("args.json"));
        let out = tempfile::tempdir().expect("out dir");
        let mut argv = vec![
            "lb".to_string(),
            "render".into(),
            "--apps".into(),
            "apps.json".into(),
        ];
        argv.extend(
            args["argv"]
                .as_array()
                .expect("argv")
                .iter()
                .map(|a| a.as_str().expect("arg").to_string()),
        );
        argv.extend(["-o".to_string(), out.path().display().to_string()]);
        let env: BTreeMap<String, String> = args["env"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().expect("env").to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let argv_refs: Vec<&str> = argv.iter().map(String::as_str).collect();
        let mut cmd = home.cmd(&argv_refs);
        cmd.current_dir(dir).envs(&env);
        let result = run(cmd);
        let expect_error = args["expect_error"].as_bool().unwrap_or(false);
        if expect_error {
            if result.code == 0 {
                failures.push(format!("{name}: expected a failure, got exit 0"));
            } else if !result.stderr.contains("Error:") {
                failures.push(format!(
                    "{name}: failed without an error message: {}",
                    result.stderr
                ));
            }
            continue;
        }
        if result.code != 0 {
            failures.push(format!("{name}: exit {}: {}", result.code, result.stderr));
            continue;
        }
        for file in ["haproxy.cfg", "domain2backend.map", "app2backend.map"] {
            let expected = dir.join(file);
            if !expected.is_file() {
                continue;
            }
            let want = std::fs::read(&expected).expect("expected file");
            let got = std::fs::read(out.path().join(file)).unwrap_or_default();
            if want != got {
                failures.push(format!("{name}: {file} differs from marathon-lb's"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}

fn write_apps(home: &TestHome) -> PathBuf {
    home.file(
        "apps.json",
        r#"{"apps":[{"id":"/web","labels":{"HAPROXY_GROUP":"external","HAPROXY_0_VHOST":"web.example.com"},
        "portDefinitions":[{"port":10001,"protocol":"tcp"}],"healthChecks":[],
        "tasks":[{"id":"web.1","host":"10.0.0.5","ports":[31001],"servicePorts":[10001],"state":"TASK_RUNNING"}]}]}"#,
    )
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn validate_runs_real_haproxy_and_output_writes_files() {
    let home = TestHome::new();
    let apps = write_apps(&home);
    let out = tempfile::tempdir().expect("out");
    let apps_arg = apps.display().to_string();
    let out_arg = out.path().display().to_string();
    let result = run(home.cmd(&[
        "render",
        "--apps",
        &apps_arg,
        "--group",
        "external",
        "--haproxy-map",
        "--validate",
        "-o",
        &out_arg,
    ]));
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("haproxy -c accepts the configuration"),
        "{}",
        result.stderr
    );
    let cfg = std::fs::read_to_string(out.path().join("haproxy.cfg")).expect("haproxy.cfg");
    assert!(
        cfg.contains("server 10_0_0_5_31001 10.0.0.5:31001"),
        "{cfg}"
    );
    let map = std::fs::read_to_string(out.path().join("domain2backend.map")).expect("map");
    assert_eq!(map, "web.example.com web_10001\n");
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn validate_explains_directives_removed_in_haproxy_2_1() {
    let home = TestHome::new();
    let apps = home.file(
        "apps.json",
        r#"{"apps":[{"id":"/web","labels":{"HAPROXY_GROUP":"external","HAPROXY_0_VHOST":"web.example.com",
        "HAPROXY_0_USE_HSTS":"true"},"portDefinitions":[{"port":10001}],
        "tasks":[{"id":"web.1","host":"10.0.0.5","ports":[31001]}]}]}"#,
    );
    let apps_arg = apps.display().to_string();
    let result = run(home.cmd(&[
        "render",
        "--apps",
        &apps_arg,
        "--group",
        "external",
        "--validate",
    ]));
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("`rspadd` was removed in HAProxy 2.1"),
        "{}",
        result.stderr
    );
}

#[test]
fn json_output_holds_every_file() {
    let home = TestHome::new();
    let apps = write_apps(&home);
    let apps_arg = apps.display().to_string();
    let result = run(home.cmd(&[
        "render",
        "--apps",
        &apps_arg,
        "--group",
        "external",
        "--haproxy-map",
        "--json",
    ]));
    assert_eq!(result.code, 0, "{}", result.stderr);
    let files: Value = serde_json::from_str(&result.stdout).expect("json");
    assert!(
        files["haproxy.cfg"]
            .as_str()
            .expect("cfg")
            .starts_with("global\n")
    );
    assert_eq!(files["app2backend.map"], "/web web_10001\n");
}

#[test]
fn bad_inputs_fail_with_a_message_that_names_the_problem() {
    let home = TestHome::new();
    let broken = home.file("broken.json", "{\"apps\": [");
    let broken_arg = broken.display().to_string();
    let result = run(home.cmd(&["render", "--apps", &broken_arg, "--group", "external"]));
    assert_eq!(result.code, 3, "{}", result.stderr);
    assert!(result.stderr.contains("broken.json"), "{}", result.stderr);

    let bad_label = home.file(
        "label.json",
        r#"{"apps":[{"id":"/web","labels":{"HAPROXY_GROUP":"external","HAPROXY_0_PORT":"eighty"},
        "portDefinitions":[{"port":10001}],"tasks":[{"id":"web.1","host":"10.0.0.5","ports":[31001]}]}]}"#,
    );
    let bad_label_arg = bad_label.display().to_string();
    let result = run(home.cmd(&["render", "--apps", &bad_label_arg, "--group", "external"]));
    assert_ne!(result.code, 0);
    assert!(
        result.stderr.contains("/web") && result.stderr.contains("HAPROXY_0_PORT"),
        "{}",
        result.stderr
    );

    let result = run(home.cmd(&["render", "--apps", &broken_arg]));
    assert_eq!(
        result.code, 2,
        "missing --group is a usage error: {}",
        result.stderr
    );

    let hosts = home.file("hosts.json", r#"{"agent-1": "not-an-ip"}"#);
    let hosts_arg = hosts.display().to_string();
    let apps = write_apps(&home).display().to_string();
    let result = run(home.cmd(&[
        "render", "--apps", &apps, "--group", "external", "--hosts", &hosts_arg,
    ]));
    assert_eq!(result.code, 3, "{}", result.stderr);
    assert!(result.stderr.contains("agent-1"), "{}", result.stderr);
}

/// A marathon-lb stand-in that serves one running config on
/// `/_haproxy_getconfig` and records the `Authorization` headers it saw.
struct RunningConfig {
    url: String,
    authorization_seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

fn serve_running_config(config: String) -> RunningConfig {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen_by_server = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                if line.to_ascii_lowercase().starts_with("authorization:") {
                    seen_by_server.lock().expect("lock").push(line.clone());
                }
                line.clear();
            }
            let (status, body) = if request_line.starts_with("GET /_haproxy_getconfig ") {
                ("200 OK", config.as_str())
            } else {
                ("404 Not Found", "")
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    RunningConfig {
        url,
        authorization_seen: seen,
    }
}

#[test]
fn diff_compares_with_what_each_marathon_lb_runs() {
    let home = TestHome::new();
    let apps = write_apps(&home).display().to_string();
    let rendered = run(home.cmd(&["render", "--apps", &apps, "--group", "external"]));
    assert_eq!(rendered.code, 0, "{}", rendered.stderr);

    let same = serve_running_config(rendered.stdout.clone());
    let stale = serve_running_config(rendered.stdout.replace("10.0.0.5:31001", "10.0.0.9:31001"));
    let mut cmd = home.cmd(&[
        "render", "--apps", &apps, "--group", "external", "--diff", "-l", &same.url, "-l",
        &stale.url,
    ]);
    cmd.env("DCOS_URL", "http://127.0.0.1:9")
        .env("DCOS_ACS_TOKEN", "cluster-secret");
    let result = run(cmd);
    assert_eq!(result.code, 1, "a difference exits 1: {}", result.stderr);
    assert!(
        result
            .stderr
            .contains(&format!("{} runs exactly this configuration", same.url)),
        "{}",
        result.stderr
    );
    assert!(
        result
            .stdout
            .contains(&format!("--- {} (running)", stale.url)),
        "{}",
        result.stdout
    );
    assert!(
        result
            .stdout
            .contains("-  server 10_0_0_5_31001 10.0.0.9:31001"),
        "{}",
        result.stdout
    );
    assert!(
        result
            .stdout
            .contains("+  server 10_0_0_5_31001 10.0.0.5:31001"),
        "{}",
        result.stdout
    );
    for lb in [&same, &stale] {
        assert!(
            lb.authorization_seen.lock().expect("lock").is_empty(),
            "the token must never reach marathon-lb"
        );
    }

    let result = run(home.cmd(&["render", "--apps", &apps, "--group", "external", "--diff"]));
    assert_ne!(
        result.code, 0,
        "without -l and without a cluster there is nothing to compare with"
    );
    assert!(
        result.stderr.contains("(or pass -l URL)"),
        "{}",
        result.stderr
    );
}
