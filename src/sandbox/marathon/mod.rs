//! A Marathon simulator, shared by the end-to-end tests and `dcos lb
//! sandbox`, following Marathon's documented REST API (`docs/docs/rest-api/public/api/v2/*.raml`, `event-bus.md`,
//! `health-checks.md`, `deployments.md` in mesosphere/marathon).
//!
//! It serves Marathon both at the root (bare Marathon) and under
//! `/service/marathon` (DC/OS Admin Router), plus the DC/OS login endpoints.
//! Tasks are real local processes (`dcos-lb sandbox-task`, or with
//! [`SimConfig::run_commands`] the app's own `cmd`), each in its own process
//! group that a kill signals whole, on their own ports; health checks
//! really probe them; deployments take time and lock their app; `/v2/events` streams events live. Faults can be injected and
//! every request is logged for assertions. Dropping the simulator stops its
//! threads and kills every task process.
//!
//! Durations from app definitions (health check intervals, grace periods,
//! kill grace periods, backoff) are multiplied by [`SimConfig::time_scale`];
//! fractional seconds are accepted too.
//!
//! ```ignore
//! let sim = MarathonSim::start(SimConfig { token: Some("t".into()), time_scale: 0.1, ..SimConfig::default() });
//! sim.create_app(json!({"id": "/web-blue", "cmd": "x", "instances": 2,
//!     "healthChecks": [{"protocol": "MESOS_HTTP", "path": "/health", "intervalSeconds": 1}]}));
//! assert!(sim.wait_for_deployments(Duration::from_secs(10)));
//! // run the CLI against sim.dcos_url() (Marathon at + "/service/marathon") or sim.url()
//! sim.inject(Fault::status(503).on("GET", "/v2/apps").times(2));
//! let puts: Vec<Recorded> = sim.write_requests();
//! ```
//!
//! Known simplifications: the task process is `dcos-lb sandbox-task` unless
//! [`SimConfig::run_commands`] is set; then `cmd` runs through `/bin/sh -c`
//! (or `args` directly) in a per-task `MESOS_SANDBOX` holding its `stdout`
//! and `stderr`, it is TASK_RUNNING as soon as it started (as Mesos reports a
//! command task), and apps with a `container` still run the built-in server,
//! as images are not run; one deployment per app (a
//! `tasks/delete?scale=true` over several apps starts one each); events use
//! the light plan format whatever `plan-format` says, and
//! `event_stream_attached` is sent even when filtered out; `COMMAND` health
//! checks pass while the process runs; pods, groups and readiness checks are
//! not simulated.

mod api;
mod app;
pub mod auth;
mod clock;
mod engine;
mod events;
mod fault;
mod health;
mod process;
mod server;
mod wire;

pub use fault::{Fault, FaultKind};
pub use process::TASK_SUBCOMMAND;

use crate::sandbox::folder::Folder;
use auth::Tokens;
use engine::{Ctx, State};
use events::EventBus;
use serde_json::Value;
use std::collections::HashMap;
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// `CLUSTER_ID` reported by `GET /metadata`.
pub const CLUSTER_ID: &str = "0d3c3d8e-sim0-4c1d-9a57-marathonsim0";

/// How often the scheduler and the health prober run.
const TICK: Duration = Duration::from_millis(20);

/// A service account allowed to log in with a signed JWT.
#[derive(Clone, Debug, Default)]
pub struct ServiceAccount {
    pub uid: String,
    /// PEM public key; when set, the login JWT's RS256 signature is verified.
    pub public_key_pem: Option<String>,
}

/// How the simulator behaves.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Require `Authorization: token=<token>` on every Marathon request.
    pub token: Option<String>,
    /// Users for `POST /acs/api/v1/auth/login` with `{"uid","password"}`.
    pub users: Vec<(String, String)>,
    /// Service accounts for `POST /acs/api/v1/auth/login` with `{"uid","token":<JWT>}`.
    pub service_accounts: Vec<ServiceAccount>,
    /// Also (or instead) accept HTTP basic auth with these credentials, as a bare
    /// Marathon started with `--http_credentials user:pass`.
    pub basic_auth: Option<(String, String)>,
    /// Every token (configured or from a login) is refused after this many requests.
    pub token_expires_after: Option<u32>,
    /// Marathon path prefixes (e.g. `/v2/deployments`) answered with 403.
    pub forbidden_paths: Vec<String>,
    /// Factor for durations in app definitions (1.0 = real time).
    pub time_scale: f64,
    /// How long each task process waits before listening (it stays `TASK_STAGING`),
    /// so deployments last long enough to observe; an app's own
    /// `env.TASK_START_DELAY_MS` wins.
    pub task_start_delay: Duration,
    /// Run each app's own `cmd` (through `/bin/sh -c`) or `args` with
    /// Marathon's task environment (`PORT0`…, `HOST`, `MARATHON_APP_ID`…,
    /// `MESOS_SANDBOX`, and the caller's `PATH`) instead of the built-in task
    /// server. Apps with a `container` keep the built-in server.
    pub run_commands: bool,
    /// Keep the task flag files and sandboxes (`MESOS_SANDBOX`, with each
    /// task's stdout and stderr) here instead of in a temporary folder.
    pub state_dir: Option<PathBuf>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            token: None,
            users: Vec::new(),
            service_accounts: Vec::new(),
            basic_auth: None,
            token_expires_after: None,
            forbidden_paths: Vec::new(),
            time_scale: 1.0,
            task_start_delay: Duration::ZERO,
            run_commands: false,
            state_dir: None,
        }
    }
}

/// One request as the simulator received it.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub method: String,
    /// Path as sent, including any `/service/marathon` prefix.
    pub path: String,
    /// Raw query string, without `?`.
    pub query: String,
    pub authorization: Option<String>,
    pub body: String,
}

/// State shared by the server, scheduler and prober threads.
struct Shared {
    config: SimConfig,
    addr: SocketAddr,
    ctx: Ctx,
    state: Mutex<State>,
    tokens: Mutex<Tokens>,
    faults: Mutex<Vec<fault::Fault>>,
    log: Mutex<Vec<Recorded>>,
    connections: Mutex<HashMap<u64, TcpStream>>,
    shutdown: AtomicBool,
}

/// Locks a mutex, ignoring poisoning (a panicking test thread must not wedge the simulator).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn tokens(&self) -> MutexGuard<'_, Tokens> {
        lock(&self.tokens)
    }

    fn record(&self, request: Recorded) {
        lock(&self.log).push(request);
    }

    /// Uses up one matching injected fault and returns what it does.
    fn take_fault(&self, method: &str, path: &str) -> Option<FaultKind> {
        let mut faults = lock(&self.faults);
        let fault = faults.iter_mut().find(|f| f.matches(method, path))?;
        fault.times -= 1;
        let kind = fault.kind.clone();
        faults.retain(|f| f.times > 0);
        Some(kind)
    }
}

/// A running Marathon simulator. Stops and kills its tasks when dropped.
pub struct MarathonSim {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
    _flag_dir: Folder,
}

impl MarathonSim {
    /// Binds 127.0.0.1 on a free port and starts serving.
    pub fn start(config: SimConfig) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let flag_dir =
            Folder::new(config.state_dir.clone()).expect("a folder for task flags and sandboxes");
        let shared = Arc::new(Shared {
            addr,
            ctx: Ctx {
                time_scale: config.time_scale,
                task_start_delay: config.task_start_delay,
                task_binary: process::task_program(),
                run_commands: config.run_commands,
                flag_dir: flag_dir.path().to_owned(),
                events: EventBus::default(),
            },
            state: Mutex::new(State::default()),
            tokens: Mutex::new(Tokens::new(&config)),
            faults: Mutex::new(Vec::new()),
            log: Mutex::new(Vec::new()),
            connections: Mutex::new(HashMap::new()),
            shutdown: AtomicBool::new(false),
            config,
        });
        let threads = vec![
            spawn_named("marathon-sim-accept", &shared, move |s| {
                accept_loop(&s, &listener);
            }),
            spawn_named("marathon-sim-scheduler", &shared, |s| {
                while !s.shutdown.load(Ordering::SeqCst) {
                    s.state().tick(&s.ctx);
                    thread::sleep(TICK);
                }
            }),
            spawn_named("marathon-sim-health", &shared, |s| {
                while !s.shutdown.load(Ordering::SeqCst) {
                    let probes = health::due(&mut s.state(), &s.ctx);
                    for probe in &probes {
                        let outcome = health::run(probe, &s.ctx);
                        health::apply(&mut s.state(), &s.ctx, probe, outcome);
                    }
                    thread::sleep(TICK);
                }
            }),
        ];
        Self {
            shared,
            threads,
            _flag_dir: flag_dir,
        }
    }

    /// Base URL of the bare Marathon, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    /// Base URL of the DC/OS cluster; Marathon is at `dcos_url() + "/service/marathon"`.
    pub fn dcos_url(&self) -> String {
        self.url()
    }

    /// Injects a fault (event-stream drops take effect at once).
    pub fn inject(&self, fault: Fault) {
        if fault.kind == FaultKind::DropEventStreams {
            self.shared.ctx.events.drop_all();
        } else {
            lock(&self.shared.faults).push(fault);
        }
    }

    /// Makes every task of `app_id`, current and future, answer `/health` with 503 (or 200 again).
    pub fn set_app_health(&self, app_id: &str, healthy: bool) {
        write_flag(
            &self.shared.ctx.app_health_file(&app::normalize_id(app_id)),
            healthy,
        );
    }

    /// Makes one task answer `/health` with 503 (or 200 again).
    pub fn set_task_health(&self, task_id: &str, healthy: bool) {
        write_flag(&self.shared.ctx.task_health_file(task_id), healthy);
    }

    /// Sets the `pending_operations` gauge a task reports on `/metrics`.
    pub fn set_pending_operations(&self, task_id: &str, pending: u64) {
        std::fs::write(self.shared.ctx.pending_file(task_id), pending.to_string())
            .expect("write pending file");
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.log).clone()
    }

    /// The requests that were not `GET`/`HEAD`.
    pub fn write_requests(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.method != "GET" && r.method != "HEAD")
            .collect()
    }

    /// Panics, listing them, if any write request reached the simulator.
    #[track_caller]
    pub fn assert_nothing_written(&self) {
        let writes = self.write_requests();
        assert!(
            writes.is_empty(),
            "nothing may be written, but saw: {writes:?}"
        );
    }

    /// Forgets the logged requests.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// The app as `GET /v2/apps/{id}` returns it (with tasks and deployments).
    pub fn app(&self, app_id: &str) -> Option<Value> {
        self.shared
            .state()
            .render_app(&app::normalize_id(app_id), true)
    }

    /// The app's tasks as `GET /v2/apps/{id}/tasks` returns them.
    pub fn tasks(&self, app_id: &str) -> Vec<Value> {
        let app_id = app::normalize_id(app_id);
        let state = self.shared.state();
        state
            .tasks
            .values()
            .filter(|t| t.app_id == app_id)
            .map(|t| state.render_task(t))
            .collect()
    }

    /// The deployments as `GET /v2/deployments` returns them.
    pub fn deployments(&self) -> Vec<Value> {
        self.shared
            .state()
            .deployments
            .iter()
            .map(State::render_deployment)
            .collect()
    }

    /// Creates an app as `POST /v2/apps` does (without logging a request); returns the deployment id.
    /// Panics if Marathon would refuse the definition.
    pub fn create_app(&self, definition: Value) -> String {
        let created = self.shared.state().create_app(&self.shared.ctx, definition);
        created
            .map(|(deployment, _)| deployment)
            .unwrap_or_else(|e| panic!("app refused: {} {}", e.status, e.body))
    }

    /// Waits until no deployment is in progress; false on timeout.
    pub fn wait_for_deployments(&self, timeout: Duration) -> bool {
        wait_until(timeout, || self.shared.state().deployments.is_empty())
    }

    /// Waits until no deployment is in progress; on timeout panics with
    /// the bound and the deployments still open.
    #[track_caller]
    pub fn await_deployments(&self, bound: Duration) {
        assert!(
            self.wait_for_deployments(bound),
            "timed out after {bound:?} waiting for Marathon's deployments to finish; still open: {:?}",
            self.deployments()
        );
    }

    /// How many `/v2/events` streams are open.
    pub fn event_streams(&self) -> usize {
        self.shared.ctx.events.subscriber_count()
    }
}

impl Drop for MarathonSim {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        TcpStream::connect(self.shared.addr).ok();
        for handle in self.threads.drain(..) {
            handle.join().ok();
        }
        for stream in lock(&self.shared.connections).values() {
            stream.shutdown(Shutdown::Both).ok();
        }
        self.shared.state().kill_all();
    }
}

/// Waits until `condition` holds; on timeout panics with the bound and
/// what was awaited.
#[track_caller]
pub fn wait_for(what: &str, bound: Duration, condition: impl FnMut() -> bool) {
    assert!(
        wait_until(bound, condition),
        "timed out after {bound:?} waiting for {what}"
    );
}

/// Polls `condition` every 20 ms until it holds (true) or `timeout` passes (false).
pub fn wait_until(timeout: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if condition() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(TICK);
    }
}

fn spawn_named(
    name: &str,
    shared: &Arc<Shared>,
    body: impl FnOnce(Arc<Shared>) + Send + 'static,
) -> JoinHandle<()> {
    let shared = Arc::clone(shared);
    thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || body(shared))
        .expect("spawn simulator thread")
}

/// Accepts connections until shutdown, one thread each.
fn accept_loop(shared: &Arc<Shared>, listener: &TcpListener) {
    static NEXT_ID: AtomicU64 = AtomicU64::new(0);
    for stream in listener.incoming() {
        if shared.shutdown.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else {
            continue;
        };
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        if let Ok(clone) = stream.try_clone() {
            lock(&shared.connections).insert(id, clone);
        }
        let shared = Arc::clone(shared);
        thread::spawn(move || {
            server::serve_connection(&shared, stream);
            lock(&shared.connections).remove(&id);
        });
    }
}

/// Writes (`fail`) or removes a health flag file.
fn write_flag(path: &std::path::Path, healthy: bool) {
    if healthy {
        std::fs::remove_file(path).ok();
    } else {
        std::fs::write(path, "fail").expect("write health flag");
    }
}
