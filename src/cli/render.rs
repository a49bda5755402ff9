//! Placeholder: replaced by the command's owner.

use crate::context::Context;
use crate::error::ExitCode;
use crate::output::Ui;

/// Render flags.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {}

/// Runs render.
pub fn cmd_render(_ui: &mut Ui, _ctx: &Context, _args: &RenderArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented")
}
