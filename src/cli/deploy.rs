//! Placeholder: replaced by the command's owner.

use crate::context::Context;
use crate::error::ExitCode;
use crate::output::Ui;

/// Deploy flags.
#[derive(Debug, clap::Args)]
pub struct DeployArgs {}

/// Runs deploy.
pub fn cmd_deploy(_ui: &mut Ui, _ctx: &Context, _args: &DeployArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented")
}
