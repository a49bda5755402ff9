//! `dcos lb sandbox`: a local Marathon (the simulator, with the DC/OS login
//! and token check and the `/service/marathon` prefix) and marathon-lb
//! stand-ins over real HAProxy, in the foreground until Ctrl-C. It prints
//! how to point `dcos lb` and curl at them; it adds a dcos CLI cluster entry
//! only with `--dcos-cluster` (`cluster`) and keeps its files only with
//! `--state-dir` (`state` holds the folder's lock). On Ctrl-C it stops every
//! process it started and removes what it wrote. `demo` is the guided run.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use clap::Args;

use crate::cli::context::Context;
use crate::cli::exit::{CliError, ExitCode};
use crate::output::Ui;
use crate::render::validate::haproxy_binary;
use crate::sandbox::lb::LbStandin;
use crate::sandbox::marathon::{MarathonSim, SimConfig};

mod cluster;
mod demo;
mod state;

use cluster::ClusterEntry;
use state::StateLock;

const AFTER_HELP: &str = "\
Examples:
  dcos lb sandbox                          one Marathon, one marathon-lb; Ctrl-C stops both
  dcos lb sandbox --lbs 2 --ready-file /tmp/sandbox.env
  . /tmp/sandbox.env && dcos lb app add examples/web.json && dcos lb status    (another shell)

The sandbox never changes the dcos CLI's attached cluster: the printed
`export` lines point dcos-lb at it for one shell.";

/// `dcos lb sandbox` flags.
#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP, args_conflicts_with_subcommands = true)]
pub struct SandboxArgs {
    /// A guided run instead of the foreground sandbox.
    #[command(subcommand)]
    pub run: Option<SandboxRun>,
    /// How many marathon-lb instances (each a real HAProxy).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=8))]
    pub lbs: u32,
    /// Write the `export` lines to FILE once the sandbox is ready (for
    /// scripts and CI); removed on Ctrl-C.
    #[arg(long, value_name = "FILE")]
    pub ready_file: Option<PathBuf>,
    /// Print only the `export` lines on stdout once ready.
    #[arg(long)]
    pub print_env: bool,
    /// Run each app's own `cmd` (`/bin/sh -c`, with PORT0…, HOST,
    /// MARATHON_APP_ID…) or `args`, as Marathon would, instead of the
    /// built-in task server; apps with a container keep the built-in one.
    #[arg(long)]
    pub run_commands: bool,
    /// Keep the sandbox's files here (each marathon-lb's HAProxy config and
    /// log, each task's sandbox with its stdout and stderr; sandbox.env
    /// while it runs) and refuse a second sandbox in the same folder;
    /// without it nothing is left on disk.
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Also add a cluster entry NAME under the dcos CLI's config (never
    /// attached; removed on stop), so `DCOS_CLUSTER=NAME dcos lb …` or
    /// `dcos cluster attach NAME` reach the sandbox.
    #[arg(long, value_name = "NAME")]
    pub dcos_cluster: Option<String>,
}

/// Guided runs of the sandbox.
#[derive(Debug, clap::Subcommand)]
pub enum SandboxRun {
    /// Deploy v1 of examples/web.json, then under live traffic a blue/green
    /// deploy, a split and its promotion, and a bad release rolled back;
    /// exits 0 only if no request failed.
    #[command(after_help = demo::AFTER_HELP)]
    Demo(demo::DemoArgs),
}

/// Runs the sandbox until Ctrl-C, or the demo.
pub fn cmd_sandbox(ui: &mut Ui, ctx: &Context, args: &SandboxArgs) -> anyhow::Result<ExitCode> {
    let haproxy = haproxy_binary().ok_or_else(|| {
        CliError::new(
            ExitCode::Failure,
            "the sandbox runs marathon-lb's HAProxy, and haproxy is not installed",
        )
        .hint("apt-get install -y haproxy (Debian, Ubuntu), then run it again")
    })?;
    if let Some(SandboxRun::Demo(demo)) = &args.run {
        return demo::run(ui, &haproxy, demo);
    }
    let lock = args.state_dir.as_deref().map(StateLock::take).transpose()?;
    let (stop, stopped) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .context("setting up Ctrl-C")?;
    let token = sandbox_token();
    let password = sandbox_token();
    ui.status("Starting", "Marathon (simulated) and marathon-lb");
    let kept = |name: &str| args.state_dir.as_ref().map(|dir| dir.join(name));
    let sim = MarathonSim::start(SimConfig {
        token: Some(token.clone()),
        users: vec![(SANDBOX_USER.to_string(), password.clone())],
        run_commands: args.run_commands,
        state_dir: kept("marathon"),
        ..SimConfig::default()
    });
    let lbs: Vec<LbStandin> = (1..=args.lbs)
        .map(|n| match kept(&format!("marathon-lb-{n}")) {
            Some(dir) => LbStandin::start_kept(&haproxy, &sim.url(), &token, dir),
            None => LbStandin::start_with_token(&haproxy, &sim.url(), &token),
        })
        .collect();
    let exports = exports(&sim.dcos_url(), &token, &lbs);
    let lb_urls: Vec<String> = lbs.iter().map(LbStandin::url).collect();
    let cluster = args
        .dcos_cluster
        .as_deref()
        .map(|name| {
            ClusterEntry::add(
                ctx.env(),
                &cluster::Settings {
                    name,
                    dcos_url: &sim.dcos_url(),
                    token: &token,
                    lb_urls: &lb_urls,
                },
            )
        })
        .transpose()?;
    let ready_files: Vec<PathBuf> = args
        .ready_file
        .iter()
        .cloned()
        .chain(kept("sandbox.env"))
        .collect();
    for file in &ready_files {
        write_ready_file(file, &exports)?;
    }
    if args.print_env {
        ui.result_text(&exports)?;
    } else {
        let mut text = summary(&sim.dcos_url(), &lbs, &exports);
        text.push_str(&format!(
            "\nLogin (dcos cluster setup, or dcos-lb's prompt): {SANDBOX_USER} / {password}\n"
        ));
        if let (Some(entry), Some(name)) = (&cluster, &args.dcos_cluster) {
            text.push_str(&format!(
                "dcos CLI cluster {name} ({}): DCOS_CLUSTER={name} dcos lb status, or dcos cluster attach {name}\n",
                entry.dir().display()
            ));
        }
        ui.result_text(&text)?;
    }
    ui.status("Ready", "Ctrl-C stops the sandbox and every task");
    let _ = stopped.recv();
    ui.status("Stopping", "marathon-lb, the tasks and Marathon");
    drop(cluster);
    drop(lbs);
    drop(sim);
    for file in &ready_files {
        let _ = fs_err::remove_file(file);
    }
    drop(lock);
    Ok(ExitCode::Success)
}

/// The DC/OS user the sandbox's login accepts, as a fresh DC/OS cluster's
/// first superuser is named.
const SANDBOX_USER: &str = "bootstrapuser";

/// A token for this sandbox only: it names the moment and the process.
pub(super) fn sandbox_token() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("sandbox-{:x}{:x}", nanos, std::process::id())
}

/// The `export` lines that point `dcos lb` at the sandbox.
pub(super) fn exports(dcos_url: &str, token: &str, lbs: &[LbStandin]) -> String {
    env_vars(dcos_url, token, lbs)
        .iter()
        .map(|(key, value)| format!("export {key}={value}\n"))
        .collect()
}

/// The variables that point `dcos lb` at the sandbox.
pub(super) fn env_vars(
    dcos_url: &str,
    token: &str,
    lbs: &[LbStandin],
) -> [(&'static str, String); 3] {
    let lb_urls: Vec<String> = lbs.iter().map(LbStandin::url).collect();
    [
        ("DCOS_URL", dcos_url.to_string()),
        ("DCOS_ACS_TOKEN", token.to_string()),
        ("DCOS_LB_MARATHON_LB_URL", lb_urls.join(",")),
    ]
}

/// What a person reads once the sandbox is ready.
fn summary(dcos_url: &str, lbs: &[LbStandin], exports: &str) -> String {
    let mut out = format!("Marathon:    {dcos_url}/service/marathon\n");
    for (n, lb) in lbs.iter().enumerate() {
        out.push_str(&format!(
            "marathon-lb {}: {} (stats: {}/haproxy?stats)\n",
            n + 1,
            lb.url(),
            lb.url()
        ));
    }
    out.push_str("\nIn another shell:\n");
    out.push_str(exports);
    out
}

/// Writes `text` to `file` whole (a temporary file renamed into place), so
/// a script that waits for it never reads half of it.
fn write_ready_file(file: &Path, text: &str) -> anyhow::Result<()> {
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty());
    let mut tmp = tempfile::NamedTempFile::new_in(dir.unwrap_or(Path::new(".")))
        .with_context(|| format!("writing {}", file.display()))?;
    tmp.write_all(text.as_bytes())?;
    tmp.persist(file)
        .with_context(|| format!("writing {}", file.display()))?;
    Ok(())
}
