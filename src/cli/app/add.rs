//! `dcos lb app add FILE|-`: `POST /v2/apps`, refused when the id exists.

use anyhow::Context as _;
use clap::Args;
use std::path::PathBuf;

use crate::cli::context::Context;
use crate::cli::exit::{CliError, ExitCode};
use crate::cli::output_args::OutputArgs;
use crate::cli::util;
use crate::marathon::MarathonError;
use crate::marathon::app_id::normalize;
use crate::output::{OutputFormat, Table, Ui};

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The app definition: a JSON file, or `-` for stdin.
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

pub(super) fn run(ui: &mut Ui, ctx: &Context, args: &AddArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let definition = util::read_app(ui, &args.file)?;
    let id = normalize(util::app_id_of(&definition)?);
    let marathon = ctx.marathon()?;
    match marathon.app_raw(&id) {
        Ok(_) => {
            return Err(CliError::new(
                ExitCode::AppCreate,
                format!("Application '{id}' already exists"),
            )
            .into());
        }
        Err(MarathonError::NotFound { .. }) => {}
        Err(err) => return Err(err.into()),
    }
    let (created, deployment) = marathon
        .create_app(&definition)
        .with_context(|| format!("creating app '{id}'"))?;
    if let Some(deployment) = &deployment {
        ui.info(&format!("Created deployment {deployment}"));
    }
    if !matches!(format, OutputFormat::Human) {
        ui.result_data(&format, &created, Table::default)?;
    }
    Ok(ExitCode::Success)
}
