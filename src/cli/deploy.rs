//! `dcos lb deploy APP.json`: zdd.py's zero-downtime blue/green deploy, with
//! its flags, short forms, labels and exit codes. Also the runner shared by
//! `split`, `promote` and `rollback`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Args;
use serde_json::Value;

use crate::cli::context::Context;
use crate::cli::exit::{CliError, ExitCode};
use crate::cli::interrupt;
use crate::cli::lb_args::LbArgs;
use crate::cli::util;
use crate::deploy::driver::{self, Frontend, LiveIo};
use crate::deploy::event::DeployEvent;
use crate::deploy::machine::{Config, Input, Machine, Mode, Outcome, Question};
use crate::deploy::metric::{DrainMetric, MetricReader};
use crate::deploy::plan::{self, BuildOptions};
use crate::deploy::proof::ProofChoice;
use crate::deploy::stop::{DeployError, Hint, StopReason};
use crate::jq::JqFilter;
use crate::lb::client::LbClient;
use crate::output::Ui;
use crate::output::progress::{Report, Reporter};

const AFTER_HELP: &str = "\
Examples:
  dcos lb deploy app.json -l http://marathon-lb.marathon.mesos:9090 -f
  dcos lb deploy -j app.json --dry-run             final app JSON and the plan, nothing sent
  dcos lb deploy app.json --surge -f               start every new instance at once
  dcos lb deploy app.json --resume -f              finish an interrupted deploy
  dcos lb deploy app.json --complete-prev -f       go back (same as `dcos lb rollback GROUP`)
  dcos lb deploy app.json -f --json                NDJSON progress events on stdout

The app needs the labels HAPROXY_DEPLOYMENT_GROUP and HAPROXY_DEPLOYMENT_ALT_PORT.
Without -l, the marathon-lb instances are the tasks of --lb-app (port 9090).
A task is killed only when it is MAINT with no session on every marathon-lb.";

/// Flags shared by deploy, split, promote and rollback.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Where the marathon-lb instances are.
    #[command(flatten)]
    pub lb: LbArgs,
    /// Print the final app JSON and the plan; change nothing.
    #[arg(short = 'd', long)]
    pub dry_run: bool,
    /// Do not ask before creating, killing or deleting.
    #[arg(short = 'f', long)]
    pub force: bool,
    /// Longest wait in seconds between two looks at Marathon (events end it sooner).
    #[arg(short = 's', long, default_value_t = 5.0, value_name = "SECONDS", value_parser = positive_seconds, allow_negative_numbers = true)]
    pub step_delay: f64,
    /// Seconds without progress before stopping (resumable, exit 10).
    #[arg(short = 'w', long, default_value_t = 300, value_name = "SECONDS", value_parser = at_least_one::<u64>, allow_negative_numbers = true)]
    pub max_wait: u64,
    /// Grow the new app by this many instances per step instead of +50 %.
    #[arg(long, value_name = "K", value_parser = at_least_one::<u32>, allow_negative_numbers = true)]
    pub linear_increase: Option<u32>,
    /// Start every new instance at once, then drain and kill old ones.
    #[arg(long)]
    pub surge: bool,
    /// After --max-wait, kill tasks that still hold sessions instead of stopping.
    #[arg(long)]
    pub force_kill_after_max_wait: bool,
    /// Run before each kill with: old app JSON, task ids JSON, new app JSON.
    #[arg(long, value_name = "PATH")]
    pub pre_kill_hook: Option<PathBuf>,
    /// A per-task metrics URL ({host}, {port}) that must read 0 before a kill.
    #[arg(long, value_name = "URL-TEMPLATE")]
    pub drain_metric: Option<String>,
    /// The Prometheus gauge read from --drain-metric.
    #[arg(
        long,
        value_name = "NAME",
        requires = "drain_metric",
        conflicts_with = "drain_metric_jq"
    )]
    pub drain_metric_gauge: Option<String>,
    /// A jq program over --drain-metric's JSON body that must give 0.
    #[arg(long, value_name = "EXPR", requires = "drain_metric")]
    pub drain_metric_jq: Option<String>,
    #[arg(long, value_enum, default_value_t = ProofChoice::Auto, value_name = "PROOF")]
    pub drain_proof: ProofChoice,
}

/// Deploy flags (zdd.py's).
#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct DeployArgs {
    /// The app JSON (as zdd.py's -j).
    #[arg(value_name = "APP.json")]
    pub app: Option<PathBuf>,
    /// The app JSON; a bare --json prints NDJSON progress events instead.
    #[arg(short = 'j', long = "json", value_name = "APP.json", num_args = 0..=1)]
    pub json: Option<Option<PathBuf>>,
    /// Instances the new app starts with.
    #[arg(short = 'i', long, default_value_t = 1, value_name = "N", value_parser = at_least_one::<u32>, allow_negative_numbers = true)]
    pub initial_instances: u32,
    /// Finish the group's deployment in progress.
    #[arg(short = 'r', long)]
    pub resume: bool,
    /// Hybrid: run N new instances next to target−N old ones.
    #[arg(
        short = 'n',
        long,
        default_value_t = 0,
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub new_instances: u32,
    /// Move a hybrid group entirely to the current (new) app.
    #[arg(short = 'c', long, conflicts_with_all = ["complete_prev", "resume"])]
    pub complete_cur: bool,
    /// Move a hybrid group entirely back to the previous app.
    #[arg(short = 'p', long, conflicts_with = "resume")]
    pub complete_prev: bool,
    /// The group, when no app JSON is given (with --resume/--complete-*).
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
    /// Skip `dcos lb lint`'s checks of the app JSON and of the ports and deployments in Marathon.
    #[arg(long)]
    pub no_lint: bool,
    /// Shared deploy flags.
    #[command(flatten)]
    pub run: RunArgs,
}

/// Runs deploy.
pub fn cmd_deploy(ui: &mut Ui, ctx: &Context, args: &DeployArgs) -> anyhow::Result<ExitCode> {
    let ndjson = matches!(args.json, Some(None));
    let path = args.app.clone().or_else(|| args.json.clone().flatten());
    let app = path.as_deref().map(|p| util::read_app(ui, p)).transpose()?;
    let mode = if args.resume {
        Mode::Resume
    } else if args.complete_cur {
        Mode::CompleteCurrent
    } else if args.complete_prev {
        Mode::CompletePrevious
    } else {
        Mode::Deploy(app.clone().ok_or_else(|| {
            CliError::new(ExitCode::Usage, "the app JSON is required")
                .hint("dcos lb deploy APP.json (or -j APP.json)")
        })?)
    };
    let group = group_of(app.as_ref(), args.group.as_deref())?;
    let job = Job {
        group,
        mode,
        initial_instances: args.initial_instances,
        new_instances: args.new_instances,
        lint: !args.no_lint,
    };
    run_machine(ui, ctx, &args.run, job, ndjson)
}

/// A duration in seconds that is a finite number above 0.
fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Ok(s),
        _ => Err(format!(
            "{text:?} is not a number of seconds above 0 (for example 0.5 or 5)"
        )),
    }
}

/// A whole number of at least 1 (a count or a number of seconds).
pub fn at_least_one<T: std::str::FromStr + From<u8> + PartialOrd>(text: &str) -> Result<T, String> {
    match text.trim().parse::<T>() {
        Ok(n) if n >= T::from(1) => Ok(n),
        _ => Err(format!("{text:?} is not a whole number of at least 1")),
    }
}

/// `--pre-kill-hook` names an executable file: found before the first
/// write, not at the first kill with two apps running.
/// Refuses a hook (`flag` names it) that cannot run, before anything is sent.
pub fn check_hook(flag: &str, hook: &std::path::Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let problem = match fs_err::metadata(hook) {
        Err(e) => format!("can't be run: {e}"),
        Ok(m) if !m.is_file() => "is not a file".to_string(),
        Ok(m) if m.permissions().mode() & 0o111 == 0 => {
            format!("is not executable (chmod +x {})", hook.display())
        }
        Ok(_) => return Ok(()),
    };
    Err(CliError::new(
        ExitCode::Usage,
        format!("{flag} {} {problem}; nothing was changed", hook.display()),
    )
    .into())
}

/// `dcos lb lint`'s offline checks of a new app and its cheap cluster
/// checks (the ports other apps hold, a Marathon deployment on the group:
/// two reads the deploy makes anyway), before anything is sent: an error
/// refuses the deploy (exit 3), a warning is printed once. Only an app
/// that zdd.py's own validation accepts is linted, so that its refusals
/// keep zdd.py's messages and exit codes. When Marathon cannot be read the
/// cluster checks are left to the deploy, which reports that itself.
fn lint_before_deploy(
    ui: &mut Ui,
    ctx: &Context,
    app: &Value,
    max_wait: u64,
) -> anyhow::Result<()> {
    if plan::validate(app).is_err() {
        return Ok(());
    }
    let mut findings = crate::lint::offline(app, &crate::lint::Options { max_wait });
    if let Ok(marathon) = ctx.marathon() {
        let query = crate::marathon::client::AppQuery {
            embed_tasks: true,
            ..Default::default()
        };
        if let (Ok(apps), Ok(deployments)) = (marathon.list_apps(&query), marathon.deployments()) {
            findings.extend(crate::lint::cluster::marathon(app, &apps, &deployments));
        }
    }
    let (errors, others): (Vec<_>, Vec<_>) = findings
        .iter()
        .partition(|f| f.severity == crate::lint::Severity::Error);
    for warning in others
        .iter()
        .filter(|f| f.severity == crate::lint::Severity::Warning)
    {
        ui.warn(&format!("{} ({})", warning.message, warning.fix));
    }
    let Some(first) = errors.first() else {
        return Ok(());
    };
    let all: Vec<String> = errors.iter().map(|f| f.message.clone()).collect();
    Err(CliError::new(
        ExitCode::InvalidInput,
        format!(
            "the app JSON would not deploy safely: {}; nothing was changed",
            all.join("; ")
        ),
    )
    .hint(format!(
        "{}; `dcos lb lint APP.json` explains each finding; --no-lint skips these checks",
        first.fix
    ))
    .into())
}

/// Every marathon-lb answers its stats before a new app is created: a
/// deploy cannot prove any drain through an LB it cannot read, so it would
/// stop at the first kill with two apps running. (Runs that create nothing
/// stop at that kill, with nothing left behind.)
fn check_lbs_answer(lbs: &LbClient) -> anyhow::Result<()> {
    let failed: Vec<String> = lbs
        .stats()
        .into_iter()
        .filter_map(|(url, rows)| rows.err().map(|e| format!("{url} ({e})")))
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    Err(CliError::new(
        ExitCode::MarathonLb,
        format!(
            "marathon-lb could not be read: {}; nothing was changed",
            failed.join(", ")
        ),
    )
    .hint("check -l/--marathon-lb (or --lb-app), and that port 9090 of each instance answers")
    .into())
}

/// The deployment group from the app JSON (validated) or `--group`.
pub fn group_of(app: Option<&Value>, group: Option<&str>) -> anyhow::Result<String> {
    match (app, group) {
        (Some(app), _) => Ok(plan::validate(app)?),
        (None, Some(group)) => Ok(group.to_string()),
        (None, None) => {
            Err(CliError::new(ExitCode::Usage, "give the app JSON or --group GROUP").into())
        }
    }
}

/// `HAPROXY_DEPLOYMENT_STARTED_AT`: zdd.py's `datetime.now().isoformat()`
/// form (no zone, microseconds), in UTC. marathon-lb cannot compare a
/// zone-aware date with a naive one, and zdd.py writes naive dates.
fn started_at() -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = since.as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = crate::render::dates::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_micros()
    )
}

/// What one run of the machine is asked to do.
#[derive(Debug)]
pub struct Job {
    /// The deployment group.
    pub group: String,
    /// Deploy, resume, finish or move a split.
    pub mode: Mode,
    /// `--initial-instances` of a new app.
    pub initial_instances: u32,
    /// `--new-instances` (hybrid), 0 for a full deploy.
    pub new_instances: u32,
    /// Run `dcos lb lint`'s offline checks on a new app first (not `--no-lint`).
    pub lint: bool,
}

impl Job {
    /// Finishing a group's deployment (`--complete-cur`/`--complete-prev`,
    /// promote, rollback): no new app, so no instance options.
    pub fn finish(group: String, mode: Mode) -> Self {
        Self {
            group,
            mode,
            initial_instances: 1,
            new_instances: 0,
            lint: false,
        }
    }
}

/// Builds the machine and runs it to its end, reporting progress.
pub fn run_machine(
    ui: &mut Ui,
    ctx: &Context,
    args: &RunArgs,
    job: Job,
    ndjson: bool,
) -> anyhow::Result<ExitCode> {
    let Job {
        group,
        mode,
        initial_instances,
        new_instances,
        lint,
    } = job;
    if let (true, Mode::Deploy(app)) = (lint, &mode) {
        lint_before_deploy(ui, ctx, app, args.max_wait)?;
    }
    if !args.force && !args.dry_run && !ui.can_prompt() {
        return Err(CliError::new(ExitCode::Failure, "refusing to deploy without --force: there is no terminal to confirm on; nothing was changed")
            .hint("add -f/--force to run unattended")
            .into());
    }
    if let Some(hook) = &args.pre_kill_hook {
        check_hook("--pre-kill-hook", hook)?;
    }
    let drain_metric = match (
        &args.drain_metric,
        &args.drain_metric_gauge,
        &args.drain_metric_jq,
    ) {
        (None, _, _) => None,
        (Some(url), Some(gauge), _) => Some(DrainMetric {
            url: url.clone(),
            reader: MetricReader::Gauge(gauge.clone()),
        }),
        (Some(url), None, Some(jq)) => Some(DrainMetric {
            url: url.clone(),
            reader: MetricReader::Jq(Arc::new(JqFilter::compile(jq)?)),
        }),
        (Some(_), None, None) => {
            return Err(CliError::new(
                ExitCode::Usage,
                "--drain-metric needs --drain-metric-gauge or --drain-metric-jq",
            )
            .into());
        }
    };
    let marathon = ctx.marathon()?;
    let lb_http = ctx.lb_http()?;
    let urls = if args.dry_run {
        args.lb.instances(ctx).unwrap_or_default()
    } else {
        args.lb.instances(ctx)?
    };
    let lbs = LbClient::new(lb_http.clone(), urls);
    if !args.dry_run && matches!(mode, Mode::Deploy(_)) {
        check_lbs_answer(&lbs)?;
    }
    let config = Config {
        group: group.clone(),
        mode,
        build: BuildOptions {
            initial_instances,
            new_instances,
            surge: args.surge,
            started_at: started_at(),
        },
        force: args.force,
        dry_run: args.dry_run,
        step_delay: Duration::from_secs_f64(args.step_delay.max(0.05)),
        max_wait: Duration::from_secs(args.max_wait),
        linear_increase: args.linear_increase,
        surge: args.surge,
        force_kill_after_max_wait: args.force_kill_after_max_wait,
        pre_kill_hook: args.pre_kill_hook.is_some(),
        drain_metric,
        drain_proof: args.drain_proof,
    };
    let mut io = LiveIo::new(marathon.clone(), lbs, group, lb_http);
    io.pre_kill_hook = args.pre_kill_hook.clone();
    let (sender, inbox) = mpsc::channel();
    if !args.dry_run {
        let interrupts = Arc::new(AtomicU32::new(0));
        let ctrl_c = sender.clone();
        // The first Ctrl-C asks the machine to stop at its next safe point;
        // a second one, while a request hangs, leaves at once (the group
        // stays resumable: --resume reads every state back from Marathon).
        let _ = interrupt::on_interrupt(move || {
            if interrupts.fetch_add(1, Ordering::SeqCst) > 0 {
                std::process::exit(i32::from(ExitCode::Interrupted.code()));
            }
            let _ = ctrl_c.send(Input::Interrupted);
        });
        if !driver::follow_events(&marathon, sender.clone()) {
            ui.debug("Marathon's event stream is unavailable; polling instead");
        }
    }
    let mut machine = Machine::new(config);
    let mut user = User {
        reporter: Reporter::for_ui(ui, ndjson),
        ui: &mut *ui,
    };
    let outcome = driver::drive(&mut machine, &mut io, &inbox, &mut user);
    user.reporter.clear(user.ui);
    drop(sender);
    finish(ui, outcome, ndjson)
}

/// The deploy's user: its events through the one reporter, its questions
/// on the terminal (the panel taken off the screen first).
struct User<'u> {
    ui: &'u mut Ui,
    reporter: Reporter,
}

impl Frontend for User<'_> {
    fn event(&mut self, event: &DeployEvent) {
        let report = Report {
            json: serde_json::to_value(event).unwrap_or(Value::Null),
            panel: event.panel_lines(),
            line: event.line(),
        };
        self.reporter.report(self.ui, report);
    }

    fn confirm(&mut self, question: &Question) -> bool {
        self.reporter.clear(self.ui);
        self.ui.confirm(&question_text(question)).unwrap_or(false)
    }
}

/// The machine's questions as the user reads them (zdd.py's first prompt).
fn question_text(question: &Question) -> String {
    match question {
        Question::StartDeploy => "Continue with deployment?".into(),
        Question::KillDrained { tasks } => {
            format!(
                "Kill {} drained task(s): {}?",
                tasks.len(),
                tasks.join(", ")
            )
        }
        Question::DeleteDrained { app } => format!("Delete {app}, now drained?"),
    }
}

/// A stop's message: zdd.py's own words where zdd.py has them, else the
/// machine's.
fn stop_message(reason: &StopReason, message: String) -> String {
    match reason {
        StopReason::NotHybrid => {
            "Cannot use --complete-cur, --complete-prev flags when config is not hybrid".into()
        }
        _ => message,
    }
}

/// What to do next, with the commands spelled out.
fn hint_text(hint: Hint) -> String {
    match hint {
        Hint::ResumeOrRollBack { group } => format!(
            "`dcos lb deploy --resume APP.json` finishes the deploy; `dcos lb rollback {group}` goes back"
        ),
        Hint::FinishInProgress => {
            "add --resume to finish it, --complete-cur to promote or --complete-prev to roll back"
                .into()
        }
        Hint::StartSplit { group } => format!(
            "group {group} has a single app; `dcos lb split APP.json --new-instances N` starts a split"
        ),
        Hint::RemoveOrRename { app } => format!(
            "give the app JSON another id, or remove the existing app with `dcos lb app remove {app}` if it is no longer needed"
        ),
        Hint::LetOtherFinish { group } => format!(
            "let the other deploy finish (`dcos lb status {group}` shows it), then deploy again"
        ),
        Hint::Text(text) => text,
    }
}

fn finish(ui: &mut Ui, outcome: Outcome, ndjson: bool) -> anyhow::Result<ExitCode> {
    match outcome {
        Outcome::Done(message) => {
            if !ndjson {
                ui.status("Finished", &message);
            }
            Ok(ExitCode::Success)
        }
        Outcome::DryRun { app, steps } => {
            if let Some(app) = app {
                ui.result_json(&app)?;
            }
            let steps: Vec<String> = steps
                .iter()
                .map(|s| format!("{}/{}", s.new, s.old))
                .collect();
            ui.info(&format!(
                "dry run: nothing was sent; instances (new/old) per step: {}",
                steps.join(" → ")
            ));
            Ok(ExitCode::Success)
        }
        Outcome::Stopped {
            reason,
            message,
            hint,
        } => Err(DeployError {
            message: stop_message(&reason, message),
            reason,
            hint: hint.map(hint_text),
        }
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words zdd.py users know, spelled here and only here.
    #[test]
    fn stops_questions_and_hints_read_as_zdd_py_and_the_cli_say_them() {
        assert_eq!(
            stop_message(&StopReason::NotHybrid, "group web has a single app".into()),
            "Cannot use --complete-cur, --complete-prev flags when config is not hybrid"
        );
        assert_eq!(
            stop_message(&StopReason::Unhealthy, "as the machine says".into()),
            "as the machine says"
        );
        assert_eq!(
            question_text(&Question::StartDeploy),
            "Continue with deployment?"
        );
        assert_eq!(
            question_text(&Question::KillDrained {
                tasks: vec!["a.1".into(), "a.2".into()]
            }),
            "Kill 2 drained task(s): a.1, a.2?"
        );
        assert_eq!(
            hint_text(Hint::ResumeOrRollBack {
                group: "web".into()
            }),
            "`dcos lb deploy --resume APP.json` finishes the deploy; `dcos lb rollback web` goes back"
        );
        assert_eq!(
            hint_text(Hint::FinishInProgress),
            "add --resume to finish it, --complete-cur to promote or --complete-prev to roll back"
        );
    }

    #[test]
    fn dates_are_zdds_naive_iso_form() {
        use crate::render::dates::civil_from_days;
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        let now = started_at();
        assert_eq!(now.len(), 26, "{now}");
        assert_eq!(&now[10..11], "T");
    }
}
