//! `dcos lb task list|kill`: Marathon's tasks, printed like `dcos marathon task`.

use clap::{Args, Subcommand};

use crate::cli::context::Context;
use crate::cli::exit::{CliError, ExitCode};
use crate::cli::output_args::OutputArgs;
use crate::cli::util::confirm_destructive;
use crate::marathon::KillResult;
use crate::marathon::app_id::normalize;
use crate::output::{OutputFormat, Table, Ui};

/// Task commands.
#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:
  dcos lb task list /blue-myapp
  dcos lb task kill --scale --yes <task-id>")]
pub enum TaskCommand {
    /// List tasks (of one app): APP HEALTHY STARTED HOST ID.
    #[command(after_help = "Examples:
  dcos lb task list
  dcos lb task list /blue-myapp
  dcos lb task list /blue-myapp --jq '.[].id'")]
    List(TaskListArgs),
    /// Kill tasks; with --scale the app shrinks by as many instances.
    #[command(after_help = "Examples:
  dcos lb task kill --scale blue-myapp.instance-1b2c…
  dcos lb task kill --scale --yes $(dcos lb task list /blue-myapp --jq '.[0].id')")]
    Kill(TaskKillArgs),
}

/// `task list`.
#[derive(Debug, Args)]
pub struct TaskListArgs {
    /// Only this app's tasks.
    pub app_id: Option<String>,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `task kill`.
#[derive(Debug, Args)]
pub struct TaskKillArgs {
    /// The task ids.
    #[arg(required = true, value_name = "TASK")]
    pub task_ids: Vec<String>,
    /// Scale the app down by the number of killed tasks (no replacements).
    #[arg(long)]
    pub scale: bool,
    /// Override a deployment that holds the app (cancels it).
    #[arg(long)]
    pub force: bool,
    /// Do not ask for confirmation.
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Runs a task command.
pub fn cmd_task(ui: &mut Ui, ctx: &Context, command: &TaskCommand) -> anyhow::Result<ExitCode> {
    match command {
        TaskCommand::List(args) => list(ui, ctx, args),
        TaskCommand::Kill(args) => kill(ui, ctx, args),
    }
}

fn list(ui: &mut Ui, ctx: &Context, args: &TaskListArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let marathon = ctx.marathon()?;
    let mut tasks = match &args.app_id {
        Some(id) => marathon.app_tasks(&normalize(id))?,
        None => marathon.tasks()?,
    };
    tasks.sort_by(|a, b| (&a.app_id, &a.id).cmp(&(&b.app_id, &b.id)));
    ui.result_data(&format, &tasks, || {
        let mut table = Table::new(&["APP", "HEALTHY", "STARTED", "HOST", "ID"]);
        for task in &tasks {
            table.row([
                task.app_id.clone(),
                if task.all_alive() { "True" } else { "False" }.to_string(),
                task.started_at.clone().unwrap_or_else(|| "N/A".to_string()),
                task.host.clone(),
                task.id.clone(),
            ]);
        }
        table
    })?;
    Ok(ExitCode::Success)
}

fn kill(ui: &mut Ui, ctx: &Context, args: &TaskKillArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let what = if args.scale {
        "kill these tasks and scale their apps down"
    } else {
        "kill these tasks"
    };
    confirm_destructive(
        ui,
        args.yes,
        &format!(
            "Are you sure you want to {what} ({})?",
            args.task_ids.join(", ")
        ),
    )?;
    let result = ctx
        .marathon()?
        .kill_tasks(&args.task_ids, args.scale, args.force)?;
    match &result {
        KillResult::Deployment(deployment) => {
            ui.info(&format!("Created deployment: {}", deployment.deployment_id));
        }
        KillResult::Killed(tasks) if tasks.is_empty() => {
            return Err(CliError::new(
                ExitCode::Failure,
                "Failed to kill tasks. task-ids seems to be unknown",
            )
            .into());
        }
        KillResult::Killed(tasks) => {
            let ids: Vec<String> = tasks.iter().map(|t| format!("'{}'", t.id)).collect();
            ui.info(&format!("Killed tasks: [{}]", ids.join(", ")));
        }
    }
    if !matches!(format, OutputFormat::Human) {
        ui.result_data(&format, &result, Table::default)?;
    }
    Ok(ExitCode::Success)
}
