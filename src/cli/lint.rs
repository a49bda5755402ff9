//! `dcos lb lint APP.json`: what in an app JSON would stop or break a
//! zero-downtime deploy, found before anything is sent. Only the offline
//! checks exist so far; the cluster checks of issue #10 are still to come.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::cli::deploy::read_app;
use crate::cli::output_args::OutputArgs;
use crate::error::ExitCode;
use crate::lint::{self, Finding, Options, Severity};
use crate::output::{Table, Ui};

const EXAMPLES: &str = "\
Examples:
  dcos lb lint app.json --offline            check the app JSON before `dcos lb deploy app.json`
  dcos lb lint app.json --offline --json     the findings as JSON
  dcos lb lint app.json --max-wait 600       weigh health checks against deploy --max-wait 600

Checks the deployment labels, the service port, the health checks against
--max-wait, the names HAProxy will see, and runs the render on the app as the
deploy would create it. Exit codes: 0 no error, 3 at least one error.";

/// Check an app JSON for what would stop or break a zero-downtime deploy.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct LintArgs {
    /// The app JSON `dcos lb deploy` would be given.
    pub app: PathBuf,
    /// Only the checks that need no cluster (the others are not built yet).
    #[arg(long)]
    pub offline: bool,
    /// The `--max-wait` of the deploy, in seconds.
    #[arg(short = 'w', long, default_value_t = 300, value_name = "SECONDS", value_parser = crate::cli::deploy::at_least_one::<u64>, allow_negative_numbers = true)]
    pub max_wait: u64,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The `--json` document.
#[derive(Debug, Serialize)]
struct Report<'a> {
    /// The file linted.
    app: String,
    /// Whether only the offline checks ran (always, for now).
    offline: bool,
    /// Number of findings of severity error.
    errors: usize,
    /// Every finding, errors first.
    findings: &'a [Finding],
}

/// Runs `dcos lb lint`.
pub fn cmd_lint(ui: &mut Ui, args: &LintArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let app = read_app(&args.app)?;
    if !args.offline {
        ui.info(
            "note: the cluster checks (marathon-lb groups, ALT_PORT used by another app, LB and \
             deployment state) are not built yet; only the offline checks ran, as with --offline",
        );
    }
    let findings = lint::offline(
        &app,
        &Options {
            max_wait: args.max_wait,
        },
    );
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let errors = count(Severity::Error);
    let report = Report {
        app: args.app.display().to_string(),
        offline: true,
        errors,
        findings: &findings,
    };
    ui.result_data(&format, &report, || table(&findings))?;
    ui.info(&format!(
        "{errors} error(s), {} warning(s), {} note(s)",
        count(Severity::Warning),
        count(Severity::Note)
    ));
    Ok(if errors > 0 {
        ExitCode::InvalidInput
    } else {
        ExitCode::Success
    })
}

fn table(findings: &[Finding]) -> Table {
    let mut table = Table::new(&["severity", "check", "finding"]);
    for f in findings {
        table.row([
            f.severity.as_str().to_string(),
            f.check.to_string(),
            format!("{}\nwhy: {}\nfix: {}", f.message, f.why, f.fix),
        ]);
    }
    table
}
