//! Placeholder: replaced by the command's owner.

use crate::context::Context;
use crate::error::ExitCode;
use crate::output::Ui;

/// Status flags.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {}

/// Runs status.
pub fn cmd_status(_ui: &mut Ui, _ctx: &Context, _args: &StatusArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented")
}
