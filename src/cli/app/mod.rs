//! `dcos lb app add|show|list|scale|remove`: Marathon's app commands as the
//! manual blue/green procedure uses them, printed like `dcos marathon app`.
//! One file per command; the helpers they share with other command groups
//! live in [`crate::cli::util`].

pub mod add;
pub mod list;
pub mod remove;
pub mod scale;
pub mod show;

use clap::Subcommand;

use crate::cli::context::Context;
use crate::cli::exit::ExitCode;
use crate::output::Ui;

/// App commands.
#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:
  dcos lb app add green-myapp.json
  dcos lb app scale /green-myapp 3 --wait
  dcos lb app list
  dcos lb app remove /blue-myapp --yes")]
pub enum AppCommand {
    /// Create an app from a JSON file (or `-` for stdin).
    #[command(after_help = "Examples:
  dcos lb app add green-myapp.json
  cat green-myapp.json | dcos lb app add -
  dcos lb app add green-myapp.json --json | jq .id")]
    Add(add::AddArgs),
    /// Show an app's definition and state as JSON.
    #[command(after_help = "Examples:
  dcos lb app show /green-myapp
  dcos lb app show /green-myapp --jq '.tasks[].healthCheckResults[] | select(.alive == false)'")]
    Show(show::ShowArgs),
    /// List apps: ID MEM CPUS TASKS HEALTH DEPLOYMENT WAITING CONTAINER CMD.
    #[command(after_help = "Examples:
  dcos lb app list
  dcos lb app list --json
  dcos lb app list --jq '.[] | select(.instances == 0) | .id'")]
    List(list::ListArgs),
    /// Set an app's instance count.
    #[command(after_help = "Examples:
  dcos lb app scale /green-myapp 3
  dcos lb app scale /green-myapp 3 --wait --timeout 300
  dcos lb app scale /green-myapp 0 --force      # cancels the deployment holding the app")]
    Scale(scale::ScaleArgs),
    /// Remove an app (asks first; --yes without a terminal).
    #[command(after_help = "Examples:
  dcos lb app remove /blue-myapp
  dcos lb app remove /blue-myapp --yes")]
    Remove(remove::RemoveArgs),
}

/// Runs an app command.
pub fn cmd_app(ui: &mut Ui, ctx: &Context, command: &AppCommand) -> anyhow::Result<ExitCode> {
    match command {
        AppCommand::Add(args) => add::run(ui, ctx, args),
        AppCommand::Show(args) => show::run(ui, ctx, args),
        AppCommand::List(args) => list::run(ui, ctx, args),
        AppCommand::Scale(args) => scale::run(ui, ctx, args),
        AppCommand::Remove(args) => remove::run(ui, ctx, args),
    }
}
