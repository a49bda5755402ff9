//! `dcos lb deployment list|watch`: Marathon's deployments, printed like
//! `dcos marathon deployment`.

use std::time::Duration;

use clap::{Args, Subcommand};

use crate::cli::context::Context;
use crate::cli::exit::{CliError, ExitCode};
use crate::cli::output_args::OutputArgs;
use crate::cli::util::{wait_for_deployment, wait_timeout};
use crate::marathon::app_id::normalize;
use crate::marathon::types::Deployment;
use crate::output::{OutputFormat, Table, Ui};

/// Deployment commands.
#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:
  dcos lb deployment list
  dcos lb deployment watch <deployment-id> --timeout 300")]
pub enum DeploymentCommand {
    /// List deployments (touching one app): APP POD ACTION PROGRESS ID.
    #[command(after_help = "Examples:
  dcos lb deployment list
  dcos lb deployment list /green-myapp
  dcos lb deployment list --jq '.[].id'")]
    List(DeploymentListArgs),
    /// Wait until a deployment is finished (bounded by --timeout, default 600 s).
    #[command(after_help = "Examples:
  dcos lb deployment watch 97c136bf-5a28-4821-9d94-480d9fbb01c8
  dcos lb deployment watch 97c136bf-5a28-4821-9d94-480d9fbb01c8 --timeout 120")]
    Watch(WatchArgs),
}

/// `deployment list`.
#[derive(Debug, Args)]
pub struct DeploymentListArgs {
    /// Only deployments that touch this app.
    pub app_id: Option<String>,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `deployment watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The deployment id.
    pub deployment_id: String,
    /// Seconds between checks when no event arrives.
    #[arg(long, default_value_t = 1, value_name = "SECONDS", value_parser = crate::cli::deploy::at_least_one::<u64>, allow_negative_numbers = true)]
    pub interval: u64,
}

/// Runs a deployment command.
pub fn cmd_deployment(
    ui: &mut Ui,
    ctx: &Context,
    command: &DeploymentCommand,
) -> anyhow::Result<ExitCode> {
    match command {
        DeploymentCommand::List(args) => list(ui, ctx, args),
        DeploymentCommand::Watch(args) => {
            let marathon = ctx.marathon()?;
            let id = &args.deployment_id;
            // Marathon lists only deployments in progress and forgets the
            // finished ones: an id it does not list now cannot be told
            // finished from never started, so it is not reported as finished.
            if !marathon.deployments()?.iter().any(|d| &d.id == id) {
                return Err(CliError::new(
                    ExitCode::Failure,
                    format!(
                        "Marathon has no deployment {id} in progress: it never existed, or it finished \
                         before this watch began (Marathon keeps no record of finished deployments)"
                    ),
                )
                .hint("`dcos lb deployment list` shows the deployments in progress")
                .into());
            }
            wait_for_deployment(
                ui,
                &marathon,
                &args.deployment_id,
                wait_timeout(ctx),
                Duration::from_secs(args.interval.max(1)),
            )
        }
    }
}

fn joined_or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "-".to_string()
    } else {
        items.join("\n")
    }
}

fn row(d: &Deployment) -> Vec<String> {
    let actions: Vec<String> = d.current_actions.iter().map(|a| a.action.clone()).collect();
    vec![
        joined_or_dash(&d.affected_apps),
        joined_or_dash(&d.affected_pods),
        joined_or_dash(&actions),
        format!("{}/{}", d.current_step.saturating_sub(1), d.total_steps),
        d.id.clone(),
    ]
}

fn list(ui: &mut Ui, ctx: &Context, args: &DeploymentListArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let app = args.app_id.as_deref().map(normalize);
    let mut deployments: Vec<Deployment> = ctx
        .marathon()?
        .deployments()?
        .into_iter()
        .filter(|d| app.as_ref().is_none_or(|a| d.affected_apps.contains(a)))
        .collect();
    deployments.sort_by(|a, b| (&a.affected_apps, &a.id).cmp(&(&b.affected_apps, &b.id)));
    if deployments.is_empty() && matches!(format, OutputFormat::Human) {
        let message = match &app {
            Some(a) => format!("There are no deployments for '{a}'"),
            None => "There are no deployments".to_string(),
        };
        return Err(CliError::new(ExitCode::Failure, message).into());
    }
    ui.result_data(&format, &deployments, || {
        let mut table = Table::new(&["APP", "POD", "ACTION", "PROGRESS", "ID"]);
        for d in &deployments {
            table.row(row(d));
        }
        table
    })?;
    Ok(ExitCode::Success)
}
