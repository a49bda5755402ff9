//! `dcos lb lint APP.json`: what in an app JSON would stop or break a
//! zero-downtime deploy, found before anything is sent: the offline checks
//! on the file, then (unless `--offline`) the cluster checks on what
//! Marathon and every marathon-lb answer, each source read once.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;
use serde_json::Value;

use crate::cli::context::Context;
use crate::cli::exit::ExitCode;
use crate::cli::lb_args::LbArgs;
use crate::cli::output_args::OutputArgs;
use crate::cli::util;
use crate::lb::client::LbClient;
use crate::lint::cluster::{self, Cluster, Intent};
use crate::lint::{self, Finding, Options, Severity};
use crate::marathon::client::AppQuery;
use crate::marathon::types::App;
use crate::output::{Table, Ui};

const EXAMPLES: &str = "\
Examples:
  dcos lb lint app.json                      check the app JSON and the cluster before `dcos lb deploy app.json`
  dcos lb lint app.json --offline            only the checks that need no cluster
  dcos lb lint app.json --json               the findings as JSON
  dcos lb lint app.json --max-wait 600       weigh health checks against deploy --max-wait 600
  dcos lb lint app.json --surge              add the capacity a --surge deploy needs

Offline: the deployment labels, the service port, the health checks against
--max-wait, the names HAProxy will see, and the render of the app as the
deploy would create it. On the cluster: ports other apps hold, a Marathon
deployment or an unfinished deploy of the group, which marathon-lb serves
HAPROXY_GROUP, each LB's threads (the drain proof), timeout tunnel and
hard-stop-after, an LB whose running config is behind Marathon, an LB that
does not answer. A source that cannot be read is skipped with a note.
Exit codes: 0 no error, 3 at least one error.";

/// Check an app JSON for what would stop or break a zero-downtime deploy.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct LintArgs {
    /// The app JSON `dcos lb deploy` would be given.
    pub app: PathBuf,
    /// Only the checks that need no cluster.
    #[arg(long)]
    pub offline: bool,
    /// The deploy will run with `--surge`: report the capacity it needs.
    #[arg(long)]
    pub surge: bool,
    /// The deploy will prove drain with `--drain-metric` (any value: only
    /// whether it is given changes the drain proof).
    #[arg(long, value_name = "URL-TEMPLATE")]
    pub drain_metric: Option<String>,
    /// Where the marathon-lb instances are, as for deploy.
    #[command(flatten)]
    pub lb: LbArgs,
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
    /// Whether only the offline checks ran.
    offline: bool,
    /// Number of findings of severity error.
    errors: usize,
    /// Every finding, errors first.
    findings: &'a [Finding],
}

/// Runs `dcos lb lint`.
pub fn cmd_lint(ui: &mut Ui, ctx: &Context, args: &LintArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let app = util::read_app(ui, &args.app)?;
    let mut findings = lint::offline(
        &app,
        &Options {
            max_wait: args.max_wait,
        },
    );
    if !args.offline {
        let intent = Intent {
            surge: args.surge,
            drain_metric: args.drain_metric.is_some(),
        };
        findings.extend(cluster::cluster(&app, &read_cluster(ctx, &args.lb), intent));
        findings.sort_by_key(|f| f.severity);
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let errors = count(Severity::Error);
    let report = Report {
        app: args.app.display().to_string(),
        offline: args.offline,
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

/// Reads what the cluster checks judge, each source once; a source that
/// fails is kept as its error, for a note.
fn read_cluster(ctx: &Context, lb: &LbArgs) -> Cluster {
    let marathon = ctx.marathon().map_err(|e| format!("{e:#}"));
    let query = AppQuery {
        embed_tasks: true,
        ..AppQuery::default()
    };
    let raw_apps: Result<Vec<Value>, String> =
        marathon.as_ref().map_err(Clone::clone).and_then(|m| {
            let body = m.list_apps_raw(&query).map_err(|e| e.to_string())?;
            match body.get("apps") {
                Some(Value::Array(apps)) => Ok(apps.clone()),
                _ => Err("Marathon's /v2/apps answer has no `apps` list".into()),
            }
        });
    let apps = raw_apps.clone().and_then(|raw| {
        serde_json::from_value::<Vec<App>>(Value::Array(raw))
            .map_err(|e| format!("Marathon's /v2/apps answer: {e}"))
    });
    let deployments = marathon
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|m| m.deployments().map_err(|e| e.to_string()));
    let lbs = lb
        .instances(ctx)
        .and_then(|urls| Ok(LbClient::new(ctx.lb_http()?, urls).profiles(true)))
        .map_err(|e| format!("{e:#}"));
    Cluster {
        apps,
        raw_apps: raw_apps.unwrap_or_default(),
        deployments,
        lbs,
    }
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
