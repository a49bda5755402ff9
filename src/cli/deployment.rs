//! Placeholder: replaced by the command's owner.

use crate::context::Context;
use crate::error::ExitCode;
use crate::output::Ui;

/// Deployment commands.
#[derive(Debug, clap::Subcommand)]
pub enum DeploymentCommand {
    /// List deployments.
    List,
}

/// Runs a deployment command.
pub fn cmd_deployment(
    _ui: &mut Ui,
    _ctx: &Context,
    _command: &DeploymentCommand,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented")
}
