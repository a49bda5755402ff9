//! `dcos lb health APP`: is the app healthy, or wait until it is. Exit 0
//! when the condition holds, 1 when not, 10 when `--wait` times out.

use std::time::Duration;

use clap::Args;
use serde_json::Value;

use crate::cli::context::Context;
use crate::cli::exit::ExitCode;
use crate::cli::output_args::OutputArgs;
use crate::cli::util::wait_timeout;
use crate::jq::JqFilter;
use crate::marathon::MarathonError;
use crate::marathon::app_id::normalize;
use crate::marathon::health::{HealthReport, no_failing_checks, strict};
use crate::marathon::types::App;
use crate::marathon::wait::{WaitOutcome, wait_for};
use crate::output::{OutputFormat, Table, Ui};

/// Events after which the app's health may have changed.
const HEALTH_EVENTS: &[&str] = &[
    "health_status_changed_event",
    "instance_health_changed_event",
    "status_update_event",
    "instance_changed_event",
    "deployment_success",
    "deployment_failed",
];

/// Health flags.
#[derive(Debug, Args)]
#[command(
    after_help = "Healthy (the default) means: no deployment in progress, tasksRunning == instances,
and every task has a result for every health check, all alive.

Examples:
  dcos lb health /green-myapp
  dcos lb health /green-myapp --wait --timeout 300
  dcos lb health /green-myapp --no-failing-checks      # the Marathon blue/green doc's jq check
  dcos lb health /green-myapp --filter '.tasksHealthy >= 3' --wait

Exit codes: 0 healthy, 1 not healthy, 10 --wait timed out (--timeout, default 600 s)."
)]
pub struct HealthArgs {
    /// The app.
    pub app: String,
    /// A jq program over the app's JSON; healthy when its last output is
    /// neither false nor null (`jq -e`).
    #[arg(long, value_name = "JQ", conflicts_with = "no_failing_checks")]
    pub filter: Option<String>,
    /// Only require that no health-check result is failing (Marathon doc's
    /// `.tasks[].healthCheckResults[] | select(.alive == false)` is empty).
    #[arg(long)]
    pub no_failing_checks: bool,
    /// Wait until the condition holds.
    #[arg(long)]
    pub wait: bool,
    /// Seconds between checks while waiting, when no event arrives.
    #[arg(long, default_value_t = 2, value_name = "SECONDS", value_parser = crate::cli::deploy::at_least_one::<u64>, allow_negative_numbers = true)]
    pub interval: u64,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

enum Condition {
    Strict,
    NoFailingChecks,
    Filter(JqFilter),
}

impl Condition {
    /// The verdict on `app`; a filter reads the app as Marathon sent it
    /// (`raw`), and a filter that fails at run time does not hold, as with
    /// `jq -e`.
    fn evaluate(&self, app: &App, raw: &Value) -> HealthReport {
        match self {
            Self::Strict => strict(app),
            Self::NoFailingChecks => no_failing_checks(app),
            Self::Filter(filter) => {
                let mut report = strict(app);
                report.healthy = filter.holds(raw);
                report.reasons = if report.healthy {
                    Vec::new()
                } else {
                    vec!["the filter does not hold".to_string()]
                };
                report
            }
        }
    }
}

/// Runs health.
pub fn cmd_health(ui: &mut Ui, ctx: &Context, args: &HealthArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let condition = match (&args.filter, args.no_failing_checks) {
        (Some(code), _) => Condition::Filter(JqFilter::compile(code)?),
        (None, true) => Condition::NoFailingChecks,
        (None, false) => Condition::Strict,
    };
    let marathon = ctx.marathon()?;
    let id = normalize(&args.app);
    let report = if args.wait {
        let timeout = wait_timeout(ctx);
        let interval = Duration::from_secs(args.interval.max(1));
        let mut last = None;
        let outcome = wait_for(
            &marathon,
            HEALTH_EVENTS,
            timeout,
            interval,
            |_| -> Result<_, MarathonError> {
                let (app, raw) = marathon.app_with_raw(&id)?;
                let report = condition.evaluate(&app, &raw);
                let healthy = report.healthy;
                last = Some(report.clone());
                Ok(healthy.then_some(report))
            },
        )?;
        match outcome {
            WaitOutcome::Done(report) => report,
            WaitOutcome::TimedOut => {
                if let Some(report) = &last {
                    print(ui, &format, report)?;
                }
                ui.warn(&format!(
                    "timed out after {} s waiting for {id} to be healthy",
                    timeout.as_secs()
                ));
                return Ok(ExitCode::Timeout);
            }
        }
    } else {
        let (app, raw) = marathon.app_with_raw(&id)?;
        condition.evaluate(&app, &raw)
    };
    print(ui, &format, &report)?;
    Ok(if report.healthy {
        ExitCode::Success
    } else {
        ExitCode::Failure
    })
}

fn print(ui: &mut Ui, format: &OutputFormat, report: &HealthReport) -> anyhow::Result<()> {
    match format {
        OutputFormat::Human => Ok(ui.result_text(&report.summary())?),
        _ => ui.result_data(format, report, Table::default),
    }
}
