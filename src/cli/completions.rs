//! Placeholder: replaced by the command's owner.

use crate::error::ExitCode;
use crate::output::Ui;

/// Completions flags.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {}

/// Prints completions.
pub fn cmd_completions(_ui: &mut Ui, _args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented")
}
/// Prints the man page.
pub fn cmd_man(_ui: &mut Ui) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented")
}
