//! `dcos lb app scale APP N`: `PUT /v2/apps/APP` with `instances`, then optionally the wait for its deployment.

use std::time::Duration;

use anyhow::Context as _;
use clap::Args;

use crate::cli::context::Context;
use crate::cli::exit::{self, ExitCode};
use crate::cli::output_args::OutputArgs;
use crate::cli::util;
use crate::marathon::app_id::normalize;
use crate::output::{OutputFormat, Table, Ui};

/// `app scale`.
#[derive(Debug, Args)]
pub struct ScaleArgs {
    /// The app id.
    pub app_id: String,
    /// The new instance count.
    #[arg(allow_negative_numbers = true)]
    pub instances: u32,
    /// Override a deployment that holds the app (cancels it).
    #[arg(long)]
    pub force: bool,
    /// Wait until the deployment finished (bounded by --timeout, default 600 s).
    #[arg(long)]
    pub wait: bool,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

pub(super) fn run(ui: &mut Ui, ctx: &Context, args: &ScaleArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let marathon = ctx.marathon()?;
    let id = normalize(&args.app_id);
    // PUT would create a missing app: make sure it exists first.
    marathon.app(&id)?;
    let result = marathon
        .scale_app(&id, args.instances, args.force)
        .with_context(|| format!("scaling '{id}' to {}", args.instances))
        .map_err(|e| exit::step_failure(e, ExitCode::Scale))?;
    ui.info(&format!("Created deployment {}", result.deployment_id));
    if !matches!(format, OutputFormat::Human) {
        ui.result_data(&format, &result, Table::default)?;
    }
    if args.wait {
        return util::wait_for_deployment(
            ui,
            &marathon,
            &result.deployment_id,
            util::wait_timeout(ctx),
            Duration::from_secs(1),
        );
    }
    Ok(ExitCode::Success)
}
