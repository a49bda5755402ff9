//! `dcos lb app show APP`: the app as Marathon returns it, as JSON.

use clap::Args;

use crate::cli::context::Context;
use crate::cli::exit::ExitCode;
use crate::cli::output_args::OutputArgs;
use crate::cli::util;
use crate::output::Ui;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The app id.
    pub app_id: String,
    /// Output format (the app is always JSON; --jq filters it).
    #[command(flatten)]
    pub output: OutputArgs,
}

pub(super) fn run(ui: &mut Ui, ctx: &Context, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let app = ctx.marathon()?.app_raw(&args.app_id)?;
    util::print_json(ui, &format, &app)?;
    Ok(ExitCode::Success)
}
