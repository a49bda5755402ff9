//! The command line: global flags, the command tree and its dispatch.
//!
//! Each command lives in its own file with its `Args` struct (help text as
//! doc comments) and a thin `cmd_*` handler that calls into the library.

pub mod app;
pub mod completions;
pub mod context;
pub mod deploy;
pub mod deployment;
pub mod exit;
pub mod health;
pub mod interrupt;
pub mod lb_args;
pub mod lint;
pub mod output_args;
pub mod render;
pub mod rollout;
pub mod sandbox;
pub mod split;
pub mod status;
pub mod task;
pub mod util;

use clap::{Args, Parser, Subcommand};

use crate::cli::context::Context;
use crate::cli::exit::ExitCode;
use crate::dcos::config::Overrides;
use crate::deploy::machine::Mode;
use crate::output::{ColorWhen, Ui};

/// One line that describes the plugin (`dcos-lb lb --info`, `dcos plugin list`).
pub const INFO: &str = "Zero-downtime blue/green and canary deploys through marathon-lb";

const AFTER_HELP: &str = "\
Examples:
  dcos lb deploy green-myapp.json              blue/green deploy through marathon-lb
  dcos lb split myapp.json --new-instances 2   send part of the traffic to a canary
  dcos lb status                               deployment groups, colours and LB state
  dcos lb render --group external              the HAProxy config marathon-lb would load
  dcos lb lint green-myapp.json --offline      what would stop a zero-downtime deploy
  dcos lb health /myapp --wait                 wait until every task is healthy

The dcos CLI runs this plugin as `dcos-lb lb ARGS`; `dcos-lb ARGS` works the same.";

/// `dcos lb`: blue/green and canary deploys through marathon-lb.
#[derive(Debug, Parser)]
#[command(
    name = "dcos-lb",
    bin_name = "dcos lb",
    version,
    about = INFO,
    long_about = None,
    after_help = AFTER_HELP,
    after_long_help = long_after_help(),
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Flags every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

fn long_after_help() -> String {
    format!("{AFTER_HELP}\n\n{}", ExitCode::help_text())
}

/// Connection and output flags, accepted before or after the command.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The connection flags.
    #[command(flatten)]
    pub connection: Overrides,
    /// When to color output.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    /// More detail on stderr (-v, -vv).
    #[arg(short = 'v', long = "verbose", global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Zero-downtime blue/green deploy of an app through marathon-lb (zdd.py's job).
    Deploy(deploy::DeployArgs),
    /// Canary: split traffic between the current and a new version.
    Split(split::SplitArgs),
    /// Finish a split by moving all traffic to the new version.
    #[command(after_help = split::PROMOTE_EXAMPLES)]
    Promote(split::FinishArgs),
    /// Go back to the previous version, gracefully.
    #[command(after_help = split::ROLLBACK_EXAMPLES)]
    Rollback(split::FinishArgs),
    /// Deployment groups: colours, instances, split and per-LB server state.
    Status(status::StatusArgs),
    /// Render the HAProxy config marathon-lb would generate.
    Render(render::RenderArgs),
    /// Check an app JSON for what would stop a zero-downtime deploy.
    Lint(lint::LintArgs),
    /// Add, show, list, scale and remove Marathon apps.
    #[command(subcommand)]
    App(app::AppCommand),
    /// List and kill tasks.
    #[command(subcommand)]
    Task(task::TaskCommand),
    /// Check or wait until an app is healthy.
    Health(health::HealthArgs),
    /// List and watch Marathon deployments.
    #[command(subcommand)]
    Deployment(deployment::DeploymentCommand),
    /// Run a local Marathon and marathon-lb (real HAProxy) until Ctrl-C.
    Sandbox(sandbox::SandboxArgs),
    /// Print shell completions (bash, zsh, fish, or the dcos CLI's).
    Completions(completions::CompletionsArgs),
    /// Print the man page.
    #[command(after_help = completions::MAN_EXAMPLES)]
    Man,
}

/// Runs the parsed command.
pub fn dispatch(ui: &mut Ui, ctx: &Context, command: &Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Deploy(args) => deploy::cmd_deploy(ui, ctx, args),
        Command::Split(args) => split::cmd_split(ui, ctx, args),
        Command::Promote(args) => split::cmd_finish(ui, ctx, args, Mode::CompleteCurrent),
        Command::Rollback(args) => split::cmd_finish(ui, ctx, args, Mode::CompletePrevious),
        Command::Status(args) => status::cmd_status(ui, ctx, args),
        Command::Render(args) => render::cmd_render(ui, ctx, args),
        Command::Lint(args) => lint::cmd_lint(ui, ctx, args),
        Command::App(command) => app::cmd_app(ui, ctx, command),
        Command::Task(command) => task::cmd_task(ui, ctx, command),
        Command::Health(args) => health::cmd_health(ui, ctx, args),
        Command::Deployment(command) => deployment::cmd_deployment(ui, ctx, command),
        Command::Sandbox(args) => sandbox::cmd_sandbox(ui, ctx, args),
        Command::Completions(args) => completions::cmd_completions(ui, args),
        Command::Man => completions::cmd_man(ui),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
