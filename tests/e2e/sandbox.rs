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

/// A sandbox a failed assertion left running is stopped, so that no test
/// leaves processes (and their service ports) to the next.
impl Drop for Sandbox {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = Command::new("kill")
                .args(["-INT", &self.child.id().to_string()])
                .status();
            let _ = self.child.wait();
        }
    }
}

/// `dcos-lb ARGS` as a user runs the sandbox: only HOME, a PATH with
/// haproxy, NO_COLOR; no stdin.
fn dcos_lb(home: &TestHome, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dcos-lb"));
    cmd.args(args)
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", haproxy_path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

/// A PATH with haproxy and the base system.
fn haproxy_path() -> String {
    format!(
        "{}:/usr/bin:/bin",
        component::haproxy().parent().expect("a folder").display()
    )
}

impl Sandbox {
    fn start(home: &TestHome) -> Self {
        Self::start_with(home, &[])
    }

    /// `dcos-lb sandbox --ready-file HOME/sandbox.env ARGS`.
    fn start_with(home: &TestHome, args: &[&str]) -> Self {
        let ready = home.path().join("sandbox.env");
        let child = dcos_lb(home, &["sandbox", "--ready-file"])
            .arg(&ready)
            .args(args)
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

    /// SIGINT, then waits (bounded) for the exit code.
    fn interrupt(&mut self) -> Option<i32> {
        let kill = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(kill.success());
        let stopped = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            assert!(
                stopped.elapsed() < STOPPED_WITHIN,
                "the sandbox did not stop within {STOPPED_WITHIN:?} of SIGINT"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
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
    let mut v2: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(app).unwrap()).unwrap();
    v2["env"] = json!({"VERSION": "v2"});
    let v2 = home.file("web-v2.json", &v2.to_string());
    ok(
        &sandbox.run(
            &home,
            &[
                "split",
                v2.to_str().unwrap(),
                "--new-instances",
                "1",
                "-f",
                "--max-wait",
                "60",
            ],
        ),
        "a split",
    );
    let status = sandbox.run(&home, &["status", "web", "--json"]);
    ok(&status, "status of the split");
    assert!(
        status.stdout.contains("/web-green") && status.stdout.contains("/web-blue"),
        "{}",
        status.stdout
    );
    let plain = home.file(
        "plain.json",
        &json!({"id": "/plain", "cmd": "serve", "instances": 1,
                "portDefinitions": [{"port": 10735}], "labels": {"HAPROXY_GROUP": "external"}})
        .to_string(),
    );
    ok(
        &sandbox.run(&home, &["app", "add", plain.to_str().unwrap()]),
        "app add",
    );
    // marathon-lb follows Marathon a moment later: a task start and one
    // reload, a few seconds on a loaded machine.
    let listed_within = Duration::from_secs(30);
    let added = Instant::now();
    while !reqwest::blocking::get("http://127.0.0.1:10735/")
        .and_then(|r| r.text())
        .is_ok_and(|t| t.contains("/plain"))
    {
        assert!(
            added.elapsed() < listed_within,
            "HAProxy did not serve /plain on 10735 within {listed_within:?} of app add"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
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

    assert_eq!(sandbox.interrupt(), Some(0));
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

/// Reads a pipe to its end on a thread of its own, so that a full pipe
/// never blocks the child.
fn read_all(mut pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        pipe.read_to_string(&mut text).ok();
        text
    })
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
    let mut child = dcos_lb(&home, &["sandbox", "demo", "--port", "10741", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dcos-lb sandbox demo");
    let pid = child.id();
    let stdout = read_all(child.stdout.take().expect("piped"));
    let stderr = read_all(child.stderr.take().expect("piped"));
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

/// `--run-commands` runs the app's own `cmd` with Marathon's task
/// environment in its sandbox folder; `--state-dir` keeps that folder and
/// refuses a second sandbox; `--dcos-cluster` adds a cluster entry that
/// reaches the sandbox without exports and leaves which cluster is current
/// as it was.
#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn own_commands_a_kept_state_dir_and_a_dcos_cluster_entry() {
    let home = TestHome::new();
    let prod = home.cluster(
        "prod-id",
        &crate::support::cmd::dcos_toml("https://prod.example.com", Some("prod-token"), "prod"),
        false,
    );
    let state = home.path().join("state");
    let state_arg = state.to_str().expect("utf-8");
    let mut sandbox = Sandbox::start_with(
        &home,
        &[
            "--run-commands",
            "--state-dir",
            state_arg,
            "--dcos-cluster",
            "sb",
        ],
    );

    let mut second = home.cmd(&["sandbox", "--state-dir", state_arg]);
    second.env("PATH", haproxy_path());
    let second = run(second);
    assert_eq!(second.code, 1, "{}", second.stderr);
    assert!(
        second.stderr.contains("a sandbox already runs in")
            && second.stderr.contains(&sandbox.child.id().to_string())
            && second.stderr.contains("--state-dir"),
        "{}",
        second.stderr
    );

    assert!(
        prod.join("attached").is_file(),
        "the lone cluster stays current: it gets the marker it implied"
    );
    let entry = home.dcos_dir().join("clusters/sandbox-sb/dcos.toml");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&entry).expect("entry").permissions(),
    );
    assert_eq!(mode & 0o777, 0o600, "the entry holds a token");

    let task = env!("CARGO_BIN_EXE_dcos-lb");
    let mut app: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(app_json(&home)).unwrap()).unwrap();
    app["cmd"] = json!(format!(
        "echo \"$MARATHON_APP_ID on $HOST:$PORT0\" > hello.txt && exec '{task}' sandbox-task"
    ));
    app["instances"] = json!(1);
    // Its own service ports: tests run side by side, and HAProxy binds
    // with SO_REUSEPORT, so two sandboxes on one port would share it.
    app["portDefinitions"][0]["port"] = json!(10733);
    app["labels"]["HAPROXY_DEPLOYMENT_ALT_PORT"] = json!("10734");
    let app_file = home.file("own.json", &app.to_string());
    let mut deploy = home.cmd(&[
        "deploy",
        app_file.to_str().unwrap(),
        "-f",
        "--max-wait",
        "60",
    ]);
    deploy.env("DCOS_CLUSTER", "sb");
    ok(&run(deploy), "a deploy through the dcos cluster entry");
    let hello: Vec<String> = std::fs::read_dir(state.join("marathon/sandboxes"))
        .expect("task sandboxes in the state dir")
        .flatten()
        .filter_map(|d| std::fs::read_to_string(d.path().join("hello.txt")).ok())
        .collect();
    assert_eq!(hello.len(), 1, "{hello:?}");
    assert!(
        hello[0].starts_with("/web-blue on 127.0.0.1:"),
        "the command saw Marathon's task environment: {hello:?}"
    );
    let served = reqwest::blocking::get("http://127.0.0.1:10733/")
        .and_then(|r| r.text())
        .expect("the own command serves through HAProxy");
    assert!(served.contains("/web-blue"), "{served}");

    assert_eq!(sandbox.interrupt(), Some(0));
    assert!(!entry.exists(), "the cluster entry goes with the sandbox");
    assert!(
        !prod.join("attached").exists(),
        "the marker it added goes too"
    );
    assert!(prod.join("dcos.toml").is_file(), "the user's cluster stays");
    assert!(
        state.join("marathon-lb-1/haproxy.cfg").is_file(),
        "the state dir keeps marathon-lb's config"
    );
    assert!(!state.join("sandbox.pid").exists(), "the lock is released");
    assert!(!state.join("sandbox.env").exists(), "no stale exports");
}

/// Ctrl-C in the middle of the demo's blue/green step: the step stops as
/// that deploy would (resumable), the demo exits 130 and leaves nothing.
#[test]
#[cfg_attr(missing_haproxy, ignore = "needs haproxy: apt-get install -y haproxy")]
fn ctrl_c_during_the_demo_stops_it_cleanly() {
    use std::io::BufRead as _;
    let home = TestHome::new();
    let mut child = dcos_lb(&home, &["sandbox", "demo", "--port", "10743"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dcos-lb sandbox demo");
    let pid = child.id();
    let (lines, seen_lines) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().expect("piped");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut stderr = String::new();
    let mut seen = BTreeMap::new();
    loop {
        let line = seen_lines.recv_timeout(READY_WITHIN).unwrap_or_else(|_| {
            panic!("the demo reached no blue/green step within {READY_WITHIN:?}:\n{stderr}")
        });
        stderr.push_str(&line);
        stderr.push('\n');
        if line.contains("Step blue/green") {
            break;
        }
    }
    for (pid, line) in descendants(pid) {
        seen.insert(pid, line);
    }
    let kill = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let stopped = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        for (pid, line) in descendants(pid) {
            seen.entry(pid).or_insert(line);
        }
        assert!(
            stopped.elapsed() < STOPPED_WITHIN,
            "the demo did not stop within {STOPPED_WITHIN:?} of SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    stderr.extend(seen_lines.try_iter().map(|l| l + "\n"));
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(seen.values().any(|l| l.contains("haproxy")), "{seen:?}");
    let left: Vec<&String> = seen
        .iter()
        .filter(|(p, _)| alive(p))
        .map(|(_, l)| l)
        .collect();
    assert!(left.is_empty(), "processes left after SIGINT: {left:?}");
}
