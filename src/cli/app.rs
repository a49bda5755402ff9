//! Placeholder: replaced by the command's owner.

use crate::context::Context;
use crate::error::ExitCode;
use crate::output::Ui;

/// App commands.
#[derive(Debug, clap::Subcommand)]
pub enum AppCommand {
    /// List apps.
    List,
}

/// Runs an app command.
pub fn cmd_app(_ui: &mut Ui, _ctx: &Context, _command: &AppCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented")
}
