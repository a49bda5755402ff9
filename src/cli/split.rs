//! Placeholder: replaced by the command's owner.

use crate::context::Context;
use crate::error::ExitCode;
use crate::output::Ui;

/// Split flags.
#[derive(Debug, clap::Args)]
pub struct SplitArgs {}
/// Promote flags.
#[derive(Debug, clap::Args)]
pub struct PromoteArgs {}
/// Rollback flags.
#[derive(Debug, clap::Args)]
pub struct RollbackArgs {}

/// Runs split.
pub fn cmd_split(_ui: &mut Ui, _ctx: &Context, _args: &SplitArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented")
}
/// Runs promote.
pub fn cmd_promote(_ui: &mut Ui, _ctx: &Context, _args: &PromoteArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented")
}
/// Runs rollback.
pub fn cmd_rollback(
    _ui: &mut Ui,
    _ctx: &Context,
    _args: &RollbackArgs,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented")
}
