//! Placeholder: replaced by the command's owner.

use crate::context::Context;
use crate::error::ExitCode;
use crate::output::Ui;

/// Health flags.
#[derive(Debug, clap::Args)]
pub struct HealthArgs {
    /// The app.
    pub app: String,
}

/// Runs health.
pub fn cmd_health(_ui: &mut Ui, _ctx: &Context, _args: &HealthArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented")
}
