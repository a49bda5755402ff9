//! Placeholder: replaced by the command's owner.

use crate::context::Context;
use crate::error::ExitCode;
use crate::output::Ui;

/// Task commands.
#[derive(Debug, clap::Subcommand)]
pub enum TaskCommand {
    /// List tasks.
    List,
}

/// Runs a task command.
pub fn cmd_task(_ui: &mut Ui, _ctx: &Context, _command: &TaskCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented")
}
