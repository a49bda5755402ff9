//! The world of a deploy test (or benchmark): the Marathon simulator,
//! marathon-lb stand-ins on real HAProxy, a service port pair, the
//! `dcos-lb` binary with a clean environment, and load through the port.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::component;
use crate::support::lb_standin::{LbStandin, free_port};
use crate::support::load::{Counts, Load};
use crate::support::marathon_sim::{MarathonSim, SimConfig};

/// The longest a bounded `dcos-lb` run without deploy flags may take.
const LIMIT: Duration = Duration::from_secs(90);

/// One test's world: Marathon, marathon-lb instances, a service port pair.
pub struct Harness {
    pub sim: MarathonSim,
    pub lbs: Vec<LbStandin>,
    pub port: u16,
    pub alt: u16,
    pub group: String,
    /// Flags every deploy-like run gets (`-f -s 0.5 --timeout 10`).
    pub deploy_flags: Vec<String>,
    home: tempfile::TempDir,
}

/// Clients of [`Harness::load`]: each sends a request, waits 5 ms and sends
/// the next, about 85 a second on a new connection each; the 4 such clients
/// of these 8 make the 300 new connections a second and more that issue 7
/// asks zero-downtime tests to carry (the other 4 reuse keep-alive
/// connections).
pub const LOAD_CLIENTS: usize = 8;

/// How the deploys of these tests prove drain by default: the task server's
/// own gauge of open connections (`src/sandbox/task.rs`), which reads 0
/// only when no HAProxy worker, old or new, holds a connection to the task.
/// The stand-in runs marathon-lb's threaded HAProxy, where the other fork-free
/// proof, the reload horizon, takes a minute per kill at marathon-lb's
/// timeouts and does not exist for the `mode tcp` backends these apps get;
/// the tests of `--drain-proof` choose theirs with [`Harness::drain_by`].
pub const DRAIN_BY_CONNECTIONS: [&str; 4] = [
    "--drain-metric",
    "http://{host}:{port}/metrics",
    "--drain-metric-gauge",
    "open_connections",
];

impl Harness {
    /// Replaces the default drain flags ([`DRAIN_BY_CONNECTIONS`]).
    pub fn drain_by(&mut self, flags: &[&str]) {
        let at = self
            .deploy_flags
            .iter()
            .position(|f| f == DRAIN_BY_CONNECTIONS[0])
            .expect("the default drain flags are set");
        self.deploy_flags.truncate(at);
        self.deploy_flags
            .extend(flags.iter().map(|f| f.to_string()));
    }

    /// A world whose app durations run 10 times faster than written.
    pub fn new(lb_count: usize) -> Self {
        Self::with_time_scale(lb_count, 0.1)
    }

    /// A world whose app durations are multiplied by `time_scale`.
    pub fn with_time_scale(lb_count: usize, time_scale: f64) -> Self {
        Self::build(lb_count, time_scale, None)
    }

    /// [`Self::new`] with HAProxy at `threads` threads (`nbthread`).
    pub fn with_lb_threads(lb_count: usize, threads: u32) -> Self {
        Self::build(lb_count, 0.1, Some(threads))
    }

    fn build(lb_count: usize, time_scale: f64, threads: Option<u32>) -> Self {
        let sim = MarathonSim::start(SimConfig {
            time_scale,
            ..SimConfig::default()
        });
        let lbs = (0..lb_count)
            .map(|_| LbStandin::start_with_threads(component::haproxy(), &sim.url(), threads))
            .collect();
        let port = free_port();
        Self {
            sim,
            lbs,
            port,
            alt: free_port(),
            group: format!("web{port}"),
            deploy_flags: ["-f", "-s", "0.5", "--timeout", "10"]
                .iter()
                .chain(&DRAIN_BY_CONNECTIONS)
                .map(|f| f.to_string())
                .collect(),
            home: tempfile::tempdir().unwrap(),
        }
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
        cmd.args(&self.deploy_flags);
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

    /// Load through the service port: [`LOAD_CLIENTS`] clients, half of
    /// them on a new connection per request.
    pub fn load(&self) -> Load {
        Load::start(
            self.service_addr(),
            LOAD_CLIENTS,
            Duration::from_secs(240),
            1_000_000,
        )
    }

    /// `per_client` requests from each of 4 clients through the service
    /// port, started now; waits for their answers (at most 30 s).
    pub fn requests_now(&self, per_client: u64) -> Counts {
        Load::start(self.service_addr(), 4, Duration::from_secs(30), per_client).finish()
    }

    /// The service port on loopback, where HAProxy serves the app.
    pub fn service_addr(&self) -> SocketAddr {
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
    let per_second = |n: u64| n as f64 / counts.elapsed.as_secs_f64().max(0.001);
    eprintln!(
        "{name}: {} ok, {} failed, {} keep-alive retries, by app {:?}, errors {:?}; \
         {:.0} requests/s, {:.0} new connections/s over {:.1} s",
        counts.ok,
        counts.failed,
        counts.retried,
        counts.by_app,
        counts.errors,
        per_second(counts.ok + counts.failed),
        per_second(counts.connections),
        counts.elapsed.as_secs_f64()
    );
}

/// Apps and instance counts as [`Harness::apps`] returns them.
pub fn owned(apps: &[(&str, u64)]) -> Vec<(String, u64)> {
    apps.iter().map(|(a, n)| ((*a).to_string(), *n)).collect()
}
