//! `dcos lb app remove APP`: `DELETE /v2/apps/APP`, after a confirmation.

use clap::Args;

use crate::cli::context::Context;
use crate::cli::exit::{self, ExitCode};
use crate::cli::util;
use crate::marathon::app_id::normalize;
use crate::output::Ui;

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The app id.
    pub app_id: String,
    /// Override a deployment that holds the app (cancels it).
    #[arg(long)]
    pub force: bool,
    /// Do not ask for confirmation.
    #[arg(short = 'y', long)]
    pub yes: bool,
}

pub(super) fn run(ui: &mut Ui, ctx: &Context, args: &RemoveArgs) -> anyhow::Result<ExitCode> {
    let id = normalize(&args.app_id);
    let marathon = ctx.marathon()?;
    marathon.app(&id)?;
    util::confirm_destructive(
        ui,
        args.yes,
        &format!("Are you sure you want to remove app '{id}'?"),
    )?;
    let result = marathon.delete_app(&id, args.force).map_err(|e| {
        exit::step_failure(
            anyhow::Error::new(e).context(format!("removing '{id}'")),
            ExitCode::AppDelete,
        )
    })?;
    ui.info(&format!("Created deployment {}", result.deployment_id));
    Ok(ExitCode::Success)
}
