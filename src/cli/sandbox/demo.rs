//! `dcos lb sandbox demo`: a guided run that exits by itself. It starts the
//! sandbox, deploys v1 of `examples/web.json`, then, under live traffic
//! through the service port, a blue/green deploy to v2, a split 2 → v3 and
//! its promotion, and a bad release (its health check fails) that the
//! deploy refuses to finish and `rollback` undoes. Each step is the real
//! `dcos-lb` command, its progress on stderr; after each, a line with the
//! requests served and failed, the version mix and the wall time; at the
//! end a table. Exit 0 only if every step ended as expected and no request
//! failed.

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Serialize;
use serde_json::{Value, json};

use super::{env_vars, sandbox_token};
use crate::cli::exit::{CliError, ExitCode};
use crate::cli::output_args::OutputArgs;
use crate::output::{Table, Ui};
use crate::sandbox::lb::LbStandin;
use crate::sandbox::load::{Counts, Load};
use crate::sandbox::marathon::{MarathonSim, SimConfig};

/// The example the demo deploys, as it ships.
const WEB_JSON: &str = include_str!("../../../examples/web.json");

pub(super) const AFTER_HELP: &str = "\
Examples:
  dcos lb sandbox demo
  dcos lb sandbox demo --port 20080     when 10080 or 10081 is taken
  dcos lb sandbox demo --json           the steps' figures as JSON

Each step runs the dcos-lb command a user would type, with a drain proof
that needs no wait: --drain-metric on the task's open_connections gauge.";

/// `dcos lb sandbox demo` flags.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// The service port HAProxy serves the example on (examples/web.json's
    /// 10080); the blue/green alternate is the next one.
    #[arg(long, default_value_t = 10080, value_name = "PORT")]
    pub port: u16,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Client threads of the live traffic (half keep-alive).
const CLIENTS: usize = 4;

/// The longest one step may take: the deploy's own bound (`--max-wait`
/// without progress) covers a stuck step; this only stops runaway load.
const STEP_LOAD_LIMIT: Duration = Duration::from_secs(900);

/// How long the bad release may fail its health check before the deploy
/// stops (resumable), as a user would bound it: the example's check
/// (grace 15 s, then 3 failures 2 s apart) has decided well before.
const BAD_RELEASE_MAX_WAIT: &str = "30";

/// The drain proof of every step: each task's `open_connections` gauge
/// reads 0 only when no HAProxy process, old or new, holds a connection.
const DRAIN_METRIC: [&str; 4] = [
    "--drain-metric",
    "http://{host}:{port}/metrics",
    "--drain-metric-gauge",
    "open_connections",
];

/// One step of the demo.
struct Step {
    name: &'static str,
    args: Vec<String>,
    /// The exit code the step must end with.
    expect: u8,
    /// Whether traffic runs during it.
    under_load: bool,
}

/// What one step did.
struct Outcome {
    name: &'static str,
    code: Option<i32>,
    expected: u8,
    counts: Counts,
    wall: Duration,
}

/// One step as `--json` prints it.
#[derive(Serialize)]
struct StepReport<'a> {
    step: &'a str,
    exit: Option<i32>,
    want: u8,
    served: u64,
    failed: u64,
    /// Answers per release.
    releases: &'a BTreeMap<String, u64>,
    wall_s: f64,
    ok: bool,
}

impl Outcome {
    fn report(&self) -> StepReport<'_> {
        StepReport {
            step: self.name,
            exit: self.code,
            want: self.expected,
            served: self.counts.ok,
            failed: self.counts.failed,
            releases: &self.counts.by_release,
            wall_s: (self.wall.as_secs_f64() * 10.0).round() / 10.0,
            ok: self.passed(),
        }
    }
}

impl Outcome {
    fn passed(&self) -> bool {
        self.code == Some(i32::from(self.expected)) && self.counts.failed == 0
    }
}

/// Runs the demo.
pub(super) fn run(ui: &mut Ui, haproxy: &Path, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let alternate = args.port.checked_add(1).ok_or_else(|| {
        CliError::new(
            ExitCode::Usage,
            format!(
                "--port {} leaves no port for the blue/green alternate",
                args.port
            ),
        )
    })?;
    for port in [args.port, alternate] {
        if let Err(e) = TcpListener::bind(("0.0.0.0", port)) {
            return Err(CliError::new(
                ExitCode::Failure,
                format!(
                    "port {port} is taken ({e}): the demo serves its app on {} and its blue/green alternate on {alternate}",
                    args.port
                ),
            )
            .hint("stop what listens there, or choose other ports with --port PORT")
            .into());
        }
    }
    let token = sandbox_token();
    ui.status(
        "Starting",
        "the sandbox: Marathon (simulated) and marathon-lb",
    );
    let sim = MarathonSim::start(SimConfig {
        token: Some(token.clone()),
        ..SimConfig::default()
    });
    let lb = LbStandin::start_with_token(haproxy, &sim.url(), &token);
    let dir = tempfile::tempdir().context("a folder for the demo's app files")?;
    let release = |version: &str, healthy: bool| -> anyhow::Result<String> {
        let mut app: Value = serde_json::from_str(WEB_JSON).context("examples/web.json")?;
        app["env"] = json!({ "VERSION": version });
        app["portDefinitions"][0]["port"] = json!(args.port);
        app["labels"]["HAPROXY_DEPLOYMENT_ALT_PORT"] = json!(alternate.to_string());
        if !healthy {
            app["env"]["TASK_HEALTH"] = json!("fail");
        }
        let path = dir.path().join(format!("web-{version}.json"));
        fs_err::write(&path, app.to_string())?;
        Ok(path.display().to_string())
    };
    let s = |v: &str| v.to_string();
    let steps = vec![
        Step {
            name: "deploy v1",
            args: vec![s("deploy"), release("v1", true)?, s("-f")],
            expect: 0,
            under_load: false,
        },
        Step {
            name: "blue/green to v2",
            args: vec![s("deploy"), release("v2", true)?, s("-f")],
            expect: 0,
            under_load: true,
        },
        Step {
            name: "split 2 → v3",
            args: vec![
                s("split"),
                release("v3", true)?,
                s("--new-instances"),
                s("2"),
                s("-f"),
            ],
            expect: 0,
            under_load: true,
        },
        Step {
            name: "promote v3",
            args: vec![s("promote"), s("web"), s("-f")],
            expect: 0,
            under_load: true,
        },
        Step {
            name: "bad release v4",
            args: vec![
                s("deploy"),
                release("v4", false)?,
                s("-f"),
                s("--max-wait"),
                s(BAD_RELEASE_MAX_WAIT),
            ],
            expect: ExitCode::Timeout.code(),
            under_load: true,
        },
        // The bad release's tasks never passed a health check, so
        // marathon-lb never listed them: the rollback deletes the release,
        // overriding Marathon's deployment of it, which never ends.
        Step {
            name: "rollback to v3",
            args: vec![s("rollback"), s("web"), s("-f")],
            expect: 0,
            under_load: true,
        },
    ];
    let env = env_vars(&sim.dcos_url(), &token, std::slice::from_ref(&lb));
    let home = tempfile::tempdir().context("a HOME for the demo's commands")?;
    let exe = crate::env::current_exe().context("finding dcos-lb")?;
    let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
    let mut outcomes = Vec::new();
    // Ctrl-C stops the step in progress as it would stop that command
    // (resumable), then the demo stops the sandbox as `dcos lb sandbox`
    // does. A terminal sends SIGINT to the step too; `kill -INT` of the
    // demo alone is passed on.
    let interrupted = Arc::new(AtomicBool::new(false));
    let running = Arc::new(AtomicU32::new(0));
    {
        let (interrupted, running) = (interrupted.clone(), running.clone());
        ctrlc::set_handler(move || {
            interrupted.store(true, Ordering::SeqCst);
            let pid = running.load(Ordering::SeqCst);
            if pid != 0 {
                let _ = Command::new("kill")
                    .args(["-INT", &pid.to_string()])
                    .status();
            }
        })
        .context("setting up Ctrl-C")?;
    }
    for step in steps {
        if interrupted.load(Ordering::SeqCst) {
            break;
        }
        ui.status("Step", step.name);
        let started = Instant::now();
        let load = step
            .under_load
            .then(|| Load::start(addr, CLIENTS, STEP_LOAD_LIMIT, u64::MAX));
        let mut args = step.args.clone();
        args.extend(DRAIN_METRIC.map(String::from));
        let mut child = command(&exe, &args, &env, home.path())
            .spawn()
            .with_context(|| format!("running dcos-lb {}", step.args.join(" ")))?;
        running.store(child.id(), Ordering::SeqCst);
        let code = child.wait()?.code();
        running.store(0, Ordering::SeqCst);
        let counts = load.map(Load::stop).unwrap_or_default();
        let outcome = Outcome {
            name: step.name,
            code,
            expected: step.expect,
            counts,
            wall: started.elapsed(),
        };
        ui.info(&line(&outcome));
        let stop = !outcome.passed() || interrupted.load(Ordering::SeqCst);
        outcomes.push(outcome);
        if stop {
            break;
        }
    }
    if interrupted.load(Ordering::SeqCst) {
        ui.warn("interrupted: the step in progress stopped resumable; stopping the sandbox");
    }
    let reports: Vec<StepReport<'_>> = outcomes.iter().map(Outcome::report).collect();
    ui.result_data(&format, &reports, || table(&outcomes))?;
    drop(lb);
    drop(sim);
    if interrupted.load(Ordering::SeqCst) {
        return Ok(ExitCode::Interrupted);
    }
    let all = outcomes.len() == 6 && outcomes.iter().all(Outcome::passed);
    let served: u64 = outcomes.iter().map(|o| o.counts.ok).sum();
    let failed: u64 = outcomes.iter().map(|o| o.counts.failed).sum();
    if all {
        ui.status(
            "Finished",
            &format!("{served} requests served during the deploys, {failed} failed"),
        );
        Ok(ExitCode::Success)
    } else {
        ui.warn(&format!(
            "the demo did not end as expected: {failed} of {} requests failed",
            served + failed
        ));
        Ok(ExitCode::Failure)
    }
}

/// `dcos-lb ARGS` pointed at the sandbox: its exports, a private HOME.
fn command(exe: &Path, args: &[String], env: &[(&str, String)], home: &Path) -> Command {
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .env("HOME", home)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    cmd
}

/// After a step: served, failed, the version mix, the wall time.
fn line(o: &Outcome) -> String {
    format!(
        "{}: exit {} (want {}), {} served, {} failed, {}, {:.1} s",
        o.name,
        o.code
            .map_or_else(|| "by signal".to_string(), |c| c.to_string()),
        o.expected,
        o.counts.ok,
        o.counts.failed,
        mix(&o.counts),
        o.wall.as_secs_f64()
    )
}

/// The share of answers per release, e.g. `v1 40%, v2 60%`.
fn mix(counts: &Counts) -> String {
    let total: u64 = counts.by_release.values().sum();
    if total == 0 {
        return "no traffic".to_string();
    }
    counts
        .by_release
        .iter()
        .map(|(app, n)| format!("{app} {}%", n * 100 / total))
        .collect::<Vec<_>>()
        .join(", ")
}

fn table(outcomes: &[Outcome]) -> Table {
    let mut table = Table::new(&[
        "step", "exit", "want", "served", "failed", "mix", "wall s", "ok",
    ]);
    for o in outcomes {
        table.row(vec![
            o.name.to_string(),
            o.code.map_or_else(|| "-".to_string(), |c| c.to_string()),
            o.expected.to_string(),
            o.counts.ok.to_string(),
            o.counts.failed.to_string(),
            mix(&o.counts),
            format!("{:.1}", o.wall.as_secs_f64()),
            if o.passed() { "yes" } else { "NO" }.to_string(),
        ]);
    }
    table
}
