//! `dcos lb sandbox` as a user runs it: a child process that writes its
//! ready file, driven only with the public commands, then stopped with
//! SIGINT, after which none of its processes may be left.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::cmd::{Run, TestHome, run};
use crate::support::component;

/// How long the sandbox may take to start: a Marathon thread and one HAProxy
/// that loads a config of a few lines, on a loaded 2-core machine.
const READY_WITHIN: Duration = Duration::from_secs(30);

/// How long Ctrl-C may take: stopping HAProxy and the tasks (each gets its
/// kill signal at once) and joining the simulator's threads.
const STOPPED_WITHIN: Duration = Duration::from_secs(20);

/// The running sandbox and the exports it wrote.
struct Sandbox {
    child: Child,
    exports: BTreeMap<String, String>,
}

impl Sandbox {
    fn start(home: &TestHome) -> Self {
        let ready = home.path().join("sandbox.env");
        let path = format!(
            "{}:/usr/bin:/bin",
            component::haproxy().parent().expect("a folder").display()
        );
        let child = Command::new(env!("CARGO_BIN_EXE_dcos-lb"))
            .args(["sandbox", "--ready-file"])
            .arg(&ready)
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dcos-lb sandbox");
        let started = Instant::now();
        while !ready.exists() {
            assert!(
                started.elapsed() < READY_WITHIN,
                "the sandbox wrote no ready file {} within {READY_WITHIN:?}",
                ready.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let text = std::fs::read_to_string(&ready).expect("ready file");
        let exports = text
            .lines()
            .filter_map(|l| l.strip_prefix("export "))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Self { child, exports }
    }

    /// `dcos-lb ARGS` with the ready file's exports, as after `. FILE`.
    fn run(&self, home: &TestHome, args: &[&str]) -> Run {
        let mut cmd = home.cmd(args);
        for (k, v) in &self.exports {
            cmd.env(k, v);
        }
        run(cmd)
    }

    fn export(&self, key: &str) -> &str {
        self.exports
            .get(key)
            .unwrap_or_else(|| panic!("{key} is not in the ready file: {:?}", self.exports))
    }
}

/// Whether something accepts connections at `host:port` of `url`.
fn answers(url: &str) -> bool {
    let addr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    std::net::TcpStream::connect_timeout(
        &addr.parse().expect("ip:port"),
        Duration::from_millis(200),
    )
    .is_ok()
}

/// Whether process `pid` runs (a zombie waiting for its reaper does not).
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(Path::new("/proc").join(pid).join("stat"))
        .ok()
        .and_then(|stat| {
            let state = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .next()?
                .to_string();
            Some(state != "Z" && state != "X")
        })
        .unwrap_or(false)
}

/// The processes whose parent is `pid`.
fn children_of(pid: u32) -> Vec<String> {
    let out = Command::new("ps")
        .args(["-eo", "pid=,ppid=,args="])
        .output()
        .expect("ps");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.split_whitespace().nth(1) == Some(pid.to_string().as_str()))
        .map(str::to_string)
        .collect()
}

fn app_json(home: &TestHome) -> std::path::PathBuf {
    let app = json!({
        "id": "/web", "cmd": "./serve", "instances": 2, "cpus": 0.1, "mem": 32,
        "portDefinitions": [{"port": 10731, "name": "http"}],
        "labels": {
            "HAPROXY_GROUP": "external",
            "HAPROXY_DEPLOYMENT_GROUP": "web",
            "HAPROXY_DEPLOYMENT_ALT_PORT": "10732"
        },
        "healthChecks": [{
            "protocol": "MESOS_HTTP", "path": "/health", "portIndex": 0,
            "gracePeriodSeconds": 5, "intervalSeconds": 1, "timeoutSeconds": 2,
            "maxConsecutiveFailures": 3
        }]
    });
    home.file("web.json", &app.to_string())
}

fn ok(r: &Run, what: &str) {
    assert_eq!(
        r.code, 0,
        "{what}:\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
}

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn the_sandbox_serves_a_deploy_through_its_haproxy_and_leaves_nothing_behind() {
    let home = TestHome::new();
    let mut sandbox = Sandbox::start(&home);
    let pid = sandbox.child.id();
    let lb = sandbox.export("DCOS_LB_MARATHON_LB_URL").to_string();
    let marathon = sandbox.export("DCOS_URL").to_string();
    assert!(
        sandbox.export("DCOS_ACS_TOKEN").starts_with("sandbox-"),
        "{:?}",
        sandbox.exports
    );

    let app = app_json(&home);
    let app = app.to_str().expect("utf-8");
    ok(
        &sandbox.run(&home, &["deploy", app, "-f", "--max-wait", "60"]),
        "the first deploy",
    );
    let status = sandbox.run(&home, &["status", "web"]);
    ok(&status, "status");
    assert!(
        status.stdout.contains("steady") && status.stdout.contains("2 UP"),
        "{}",
        status.stdout
    );
    let served = reqwest::blocking::get("http://127.0.0.1:10731/")
        .and_then(|r| r.text())
        .expect("the service port answers through HAProxy");
    assert!(served.contains("\"app\":\"/web-blue\""), "{served}");
    // The sandbox's marathon-lb runs marathon-lb's config for these apps
    // but for the lines its module docs list as known differences.
    let diff = sandbox.run(
        &home,
        &[
            "render",
            "--group",
            "external",
            "--dont-bind-http-https",
            "--diff",
        ],
    );
    assert!(
        diff.stdout.contains(&lb),
        "{}\n{}",
        diff.stdout,
        diff.stderr
    );
    let localized = [
        "maxconn ",
        "stats socket ",
        "server-state-base ",
        "lua-load ",
        "bind 127.0.0.1:",
        "bind 0.0.0.0:9090",
    ];
    let unexpected: Vec<&str> = diff
        .stdout
        .lines()
        .filter(|l| (l.starts_with('-') || l.starts_with('+')) && !l.starts_with("---"))
        .filter(|l| !l.starts_with("+++"))
        .filter(|l| !localized.iter().any(|k| l[1..].trim_start().starts_with(k)))
        .collect();
    assert!(
        unexpected.is_empty(),
        "the sandbox runs another config than marathon-lb would: {unexpected:#?}\n{}",
        diff.stdout
    );
    let tasks_before = children_of(pid);
    assert!(
        tasks_before.iter().any(|p| p.contains("sandbox-task"))
            && tasks_before.iter().any(|p| p.contains("haproxy")),
        "{tasks_before:?}"
    );

    let kill = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let stopped = Instant::now();
    let code = loop {
        if let Some(status) = sandbox.child.try_wait().expect("wait") {
            break status.code();
        }
        assert!(
            stopped.elapsed() < STOPPED_WITHIN,
            "the sandbox did not stop within {STOPPED_WITHIN:?} of SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(0));
    let left: Vec<String> = tasks_before
        .iter()
        .filter_map(|p| p.split_whitespace().next())
        .filter(|p| alive(p))
        .map(str::to_string)
        .collect();
    assert!(left.is_empty(), "processes left after SIGINT: {left:?}");
    assert!(!answers(&marathon), "Marathon still answers at {marathon}");
    assert!(!answers(&lb), "marathon-lb still answers at {lb}");
    assert!(
        !home.path().join("sandbox.env").exists(),
        "the ready file outlived the sandbox"
    );
}

/// Every process below `pid` now (children, their children, …).
fn descendants(pid: u32) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut parents = vec![pid.to_string()];
    while let Some(parent) = parents.pop() {
        for line in children_of(parent.parse().expect("a pid")) {
            let mut words = line.split_whitespace();
            let child = words.next().unwrap_or_default().to_string();
            parents.push(child.clone());
            found.push((child, line));
        }
    }
    found
}

/// The demo's own bound: its bad release waits out a 30 s `--max-wait`
/// twice over at most (grace, then replaced tasks), and each other step
/// is a deploy of three tasks that start in well under a second; this
/// leaves ten times the measured minute for a loaded 2-core machine.
const DEMO_WITHIN: Duration = Duration::from_secs(600);

#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn the_demo_runs_every_step_under_load_with_no_failed_request_and_leaves_nothing() {
    let home = TestHome::new();
    let path = format!(
        "{}:/usr/bin:/bin",
        component::haproxy().parent().expect("a folder").display()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_dcos-lb"))
        .args(["sandbox", "demo", "--port", "10741", "--json"])
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dcos-lb sandbox demo");
    let pid = child.id();
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    let read = |pipe: Option<std::process::ChildStdout>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut pipe.expect("piped"), &mut text).ok();
            text
        })
    };
    let stdout = read(stdout);
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr.expect("piped"), &mut text).ok();
        text
    });
    let started = Instant::now();
    let mut seen = BTreeMap::new();
    let code = loop {
        for (pid, line) in descendants(pid) {
            seen.entry(pid).or_insert(line);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if started.elapsed() > DEMO_WITHIN {
            child.kill().ok();
            panic!("the demo did not finish within {DEMO_WITHIN:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (stdout, stderr) = (stdout.join().unwrap(), stderr.join().unwrap());
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let steps: Vec<serde_json::Value> =
        serde_json::from_str(&stdout).expect("--json prints the steps");
    let names: Vec<&str> = steps.iter().filter_map(|s| s["step"].as_str()).collect();
    assert_eq!(
        names,
        [
            "deploy v1",
            "blue/green to v2",
            "split 2 → v3",
            "promote v3",
            "bad release v4",
            "rollback to v3"
        ],
        "{stdout}"
    );
    for step in &steps {
        assert_eq!(step["ok"], true, "{step}\n{stderr}");
        assert_eq!(step["exit"], step["want"], "{step}");
        assert_eq!(step["failed"], 0, "{step}");
    }
    let served: u64 = steps.iter().filter_map(|s| s["served"].as_u64()).sum();
    assert!(
        served >= 1000,
        "only {served} requests ran during the demo: {stdout}"
    );
    let releases = |n: usize| {
        steps[n]["releases"]
            .as_object()
            .cloned()
            .unwrap_or_default()
    };
    assert!(
        releases(1).contains_key("v1") && releases(1).contains_key("v2"),
        "the blue/green step served both releases: {}",
        steps[1]
    );
    assert_eq!(
        steps[4]["exit"], 10,
        "the bad release stops with zdd.py's timeout code"
    );
    assert!(
        !releases(4).contains_key("v4") && !releases(5).contains_key("v4"),
        "no request reached the release that never got healthy: {stdout}"
    );
    assert!(
        releases(5).keys().all(|r| r == "v3"),
        "after the rollback only v3 serves: {}",
        steps[5]
    );
    assert!(
        seen.values().any(|l| l.contains("sandbox-task"))
            && seen.values().any(|l| l.contains("haproxy")),
        "{seen:?}"
    );
    let left: Vec<&String> = seen
        .iter()
        .filter(|(p, _)| alive(p))
        .map(|(_, l)| l)
        .collect();
    assert!(left.is_empty(), "processes left after the demo: {left:?}");
}
