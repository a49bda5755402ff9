//! `--json` and `--jq`, shared by every command that prints data.

use std::sync::Arc;

use clap::Args;

use crate::jq::{JqError, JqFilter};
use crate::output::OutputFormat;

/// Output format flags.
#[derive(Debug, Clone, Default, Args)]
pub struct OutputArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Filter the JSON output with a jq program (implies --json), as gh does.
    #[arg(long, value_name = "EXPR")]
    pub jq: Option<String>,
}

impl OutputArgs {
    /// The chosen format; a bad `--jq` program fails here, before any request.
    pub fn format(&self) -> Result<OutputFormat, JqError> {
        Ok(match (&self.jq, self.json) {
            (Some(code), _) => OutputFormat::Jq(Arc::new(JqFilter::compile(code)?)),
            (None, true) => OutputFormat::Json,
            (None, false) => OutputFormat::Human,
        })
    }
}
