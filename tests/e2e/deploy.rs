//! `dcos lb deploy` end to end: the real binary against the Marathon
//! simulator, a real HAProxy fed by our render (the marathon-lb stand-in)
//! and real traffic through the service port. Every scenario ends in the
//! right Marathon state with 0 failed requests.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::lb_standin::{LbStandin, free_port, haproxy_available};
use crate::support::load::{Counts, Load};
use crate::support::marathon_sim::{Fault, MarathonSim, SimConfig};

/// One test's world: Marathon, marathon-lb instances, a service port pair.
pub struct Harness {
    pub sim: MarathonSim,
    pub lbs: Vec<LbStandin>,
    pub port: u16,
    pub alt: u16,
    pub group: String,
    home: tempfile::TempDir,
}

impl Harness {
    pub fn new(lb_count: usize) -> Option<Self> {
        if !haproxy_available() {
            return None;
        }
        let sim = MarathonSim::start(SimConfig {
            time_scale: 0.1,
            ..SimConfig::default()
        });
        let lbs = (0..lb_count)
            .map(|_| LbStandin::start(&sim.url()))
            .collect();
        let port = free_port();
        Some(Self {
            sim,
            lbs,
            port,
            alt: free_port(),
            group: format!("web{port}"),
            home: tempfile::tempdir().unwrap(),
        })
    }

    /// Writes the app JSON of `version` and returns its path.
    pub fn app_file(&self, version: &str, instances: u32, env: Value) -> PathBuf {
        let mut env = env;
        env["VERSION"] = json!(version);
        let app = json!({
            "id": "/web", "cmd": "./task_server", "instances": instances, "cpus": 0.1, "mem": 32,
            "env": env,
            "portDefinitions": [{"port": self.port, "name": "http", "protocol": "tcp"}],
            "healthChecks": [{"protocol": "MESOS_HTTP", "path": "/health", "portIndex": 0,
                "gracePeriodSeconds": 5, "intervalSeconds": 1, "timeoutSeconds": 2, "maxConsecutiveFailures": 3}],
            "labels": {"HAPROXY_GROUP": "external", "HAPROXY_DEPLOYMENT_GROUP": self.group,
                "HAPROXY_DEPLOYMENT_ALT_PORT": self.alt.to_string(), "HAPROXY_0_BIND_ADDR": "127.0.0.1"}
        });
        let path = self.home.path().join(format!("{version}.json"));
        fs_err::write(&path, serde_json::to_vec_pretty(&app).unwrap()).unwrap();
        path
    }

    /// The binary with a clean environment, the simulator and every LB.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = self.plain_command(args);
        cmd.args(["-f", "-s", "0.5", "--timeout", "10"]);
        cmd
    }

    /// The binary with a clean environment, the simulator and every LB,
    /// without deploy flags.
    pub fn plain_command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("dcos-lb"));
        cmd.env_clear()
            .env("HOME", self.home.path())
            .env("DCOS_DIR", self.home.path().join(".dcos"))
            .env("NO_COLOR", "1")
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .arg("-m")
            .arg(self.sim.url());
        cmd.args(args);
        for lb in &self.lbs {
            cmd.arg("-l").arg(lb.url());
        }
        cmd
    }

    /// Runs the binary without deploy flags to its end (bounded).
    pub fn output(&self, args: &[&str]) -> std::process::Output {
        assert_cmd::Command::from_std(self.plain_command(args))
            .timeout(LIMIT)
            .output()
            .unwrap()
    }

    /// Runs the binary to its end (bounded) and returns its exit code and stderr.
    pub fn run(&self, args: &[&str], limit: Duration) -> (i32, String) {
        self.spawn(args).wait(limit)
    }

    /// Starts the binary with deploy flags; stderr goes to a file.
    pub fn spawn(&self, args: &[&str]) -> Running {
        let log = tempfile::NamedTempFile::new_in(self.home.path()).unwrap();
        let child = self
            .command(args)
            .stdout(Stdio::null())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap();
        Running {
            child,
            log,
            args: args.join(" "),
        }
    }

    /// The HOME of the runs (a private temporary directory).
    pub fn home(&self) -> &std::path::Path {
        self.home.path()
    }

    /// The group's apps and instance counts, sorted.
    pub fn apps(&self) -> Vec<(String, u64)> {
        let body: Value = reqwest::blocking::get(format!("{}/v2/apps", self.sim.url()))
            .unwrap()
            .json()
            .unwrap();
        let mut apps: Vec<(String, u64)> = body["apps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["labels"]["HAPROXY_DEPLOYMENT_GROUP"] == json!(self.group))
            .map(|a| {
                (
                    a["id"].as_str().unwrap().to_string(),
                    a["instances"].as_u64().unwrap(),
                )
            })
            .collect();
        apps.sort();
        apps
    }

    /// Load through the service port.
    pub fn load(&self) -> Load {
        Load::start(self.service_addr(), 4, Duration::from_secs(240), 1_000_000)
    }

    /// `per_client` requests from each of 4 clients through the service
    /// port, started now; waits for their answers (at most 30 s).
    pub fn requests_now(&self, per_client: u64) -> Counts {
        Load::start(self.service_addr(), 4, Duration::from_secs(30), per_client).finish()
    }

    fn service_addr(&self) -> SocketAddr {
        format!("127.0.0.1:{}", self.port).parse().unwrap()
    }
}

/// A running `dcos-lb`.
pub struct Running {
    child: Child,
    log: tempfile::NamedTempFile,
    args: String,
}

impl Running {
    /// What it wrote to stderr so far.
    pub fn stderr(&self) -> String {
        fs_err::read_to_string(self.log.path()).unwrap()
    }

    /// Sends SIGINT, as Ctrl-C does.
    pub fn interrupt(&self) {
        Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
    }

    /// Waits for the end (bounded) and returns the exit code and stderr.
    pub fn wait(mut self, limit: Duration) -> (i32, String) {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let stderr = self.stderr();
                eprintln!("$ dcos-lb {}\n{stderr}", self.args);
                return (status.code().unwrap_or(-1), stderr);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "dcos-lb {} did not finish within {limit:?}:\n{}",
                    self.args,
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

pub fn report(name: &str, counts: &Counts) {
    eprintln!(
        "{name}: {} ok, {} failed, {} keep-alive retries, by app {:?}, errors {:?}",
        counts.ok, counts.failed, counts.retried, counts.by_app, counts.errors
    );
}

/// Apps and instance counts as [`Harness::apps`] returns them.
pub fn owned(apps: &[(&str, u64)]) -> Vec<(String, u64)> {
    apps.iter().map(|(a, n)| ((*a).to_string(), *n)).collect()
}

const LIMIT: Duration = Duration::from_secs(90);

#[test]
fn deploy_first_then_blue_to_green_and_back_under_load() {
    let Some(h) = Harness::new(1) else { return };
    let v1 = h.app_file("v1", 3, json!({}));
    let (code, _) = h.run(&["deploy", v1.to_str().unwrap()], LIMIT);
    assert_eq!(code, 0);
    // zdd.py returns from a first deploy before the app is healthy; ours
    // returns once every LB has the new servers UP, so traffic started the
    // moment it returns is served.
    let first = h.requests_now(50);
    report("right after the first deploy", &first);
    assert_eq!((first.ok, first.failed), (200, 0), "{first:?}");
    assert_eq!(first.by_app.get("/web-blue"), Some(&200));
    assert_eq!(h.apps(), owned(&[("/web-blue", 3)]));
    let load = h.load();
    let v2 = h.app_file("v2", 3, json!({}));
    let (code, _) = h.run(&["deploy", "-j", v2.to_str().unwrap()], LIMIT);
    assert_eq!(code, 0);
    assert_eq!(h.apps(), owned(&[("/web-green", 3)]));
    let v3 = h.app_file("v3", 3, json!({}));
    let (code, _) = h.run(&["deploy", v3.to_str().unwrap(), "--surge"], LIMIT);
    assert_eq!(code, 0);
    assert_eq!(h.apps(), owned(&[("/web-blue", 3)]));
    let counts = load.stop();
    report("blue→green→blue", &counts);
    eprintln!(
        "HAProxy reloads: {}",
        h.lbs[0].reloads.load(std::sync::atomic::Ordering::SeqCst)
    );
    assert!(counts.ok > 100, "{counts:?}");
    assert_eq!(counts.failed, 0, "{counts:?}");
    assert!(counts.by_app.contains_key("/web-green") && counts.by_app.contains_key("/web-blue"));
}

#[test]
fn ctrl_c_in_the_middle_then_resume_under_load() {
    let Some(h) = Harness::new(1) else { return };
    let v1 = h.app_file("v1", 3, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let load = h.load();
    let v2 = h.app_file("v2", 3, json!({}));
    let running = h.spawn(&["deploy", v2.to_str().unwrap()]);
    let deadline = Instant::now() + LIMIT;
    while !h.apps().iter().any(|(id, n)| id == "/web-blue" && *n < 3) {
        assert!(
            Instant::now() < deadline,
            "the deploy never killed a blue task: {:?}",
            h.apps()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    running.interrupt();
    assert_eq!(running.wait(LIMIT).0, 130);
    let middle = h.apps();
    assert_eq!(middle.len(), 2, "{middle:?}");
    let (code, _) = h.run(&["deploy", v2.to_str().unwrap(), "--resume"], LIMIT);
    assert_eq!(code, 0);
    assert_eq!(h.apps(), owned(&[("/web-green", 3)]));
    let counts = load.stop();
    report(&format!("Ctrl-C at {middle:?} then --resume"), &counts);
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
fn marathon_500s_and_409s_in_the_middle_are_retried() {
    let Some(h) = Harness::new(2) else { return };
    let v1 = h.app_file("v1", 3, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let load = h.load();
    h.sim
        .inject(Fault::status(500).on("PUT", "/v2/apps").times(2));
    h.sim
        .inject(Fault::locked().on("POST", "/v2/tasks/delete").times(2));
    h.sim
        .inject(Fault::status(503).on("GET", "/v2/apps").times(3));
    let v2 = h.app_file("v2", 3, json!({}));
    let (code, stderr) = h.run(&["deploy", v2.to_str().unwrap()], LIMIT);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("retrying"), "{stderr}");
    assert_eq!(h.apps(), owned(&[("/web-green", 3)]));
    let counts = load.stop();
    report("500s/409s, two LBs", &counts);
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
fn an_app_that_never_gets_healthy_stops_the_deploy_and_leaves_the_old_app() {
    let Some(h) = Harness::new(1) else { return };
    let v1 = h.app_file("v1", 2, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    let load = h.load();
    let bad = h.app_file("bad", 2, json!({"TASK_HEALTH": "fail"}));
    let (code, stderr) = h.run(&["deploy", bad.to_str().unwrap(), "-w", "4"], LIMIT);
    assert_eq!(code, 10, "{stderr}");
    assert!(
        stderr.contains("did not become healthy") && stderr.contains("/web-blue was not touched"),
        "{stderr}"
    );
    assert!(h.apps().contains(&("/web-blue".to_string(), 2)));
    let counts = load.stop();
    report("never healthy", &counts);
    assert_eq!(counts.failed, 0, "{counts:?}");
}

#[test]
fn an_lb_that_stops_answering_blocks_every_kill() {
    let Some(h) = Harness::new(2) else { return };
    let v1 = h.app_file("v1", 2, json!({}));
    assert_eq!(h.run(&["deploy", v1.to_str().unwrap()], LIMIT).0, 0);
    h.lbs[1].freeze();
    let v2 = h.app_file("v2", 2, json!({}));
    let (code, stderr) = h.run(&["deploy", v2.to_str().unwrap(), "-w", "4"], LIMIT);
    h.lbs[1].thaw();
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains(&h.lbs[1].url()), "{stderr}");
    assert!(
        h.apps().contains(&("/web-blue".to_string(), 2)),
        "no blue task was killed: {:?}",
        h.apps()
    );
}
