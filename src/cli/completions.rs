//! Maintenance commands: `completions <shell>` prints a completion
//! script, `completions --write DIR` rewrites every generated file (scripts
//! and man page), `man` prints the man page. The scripts come from
//! [`crate::plugin`].

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::CommandFactory;

use crate::cli::Cli;
use crate::cli::exit::ExitCode;
use crate::output::Ui;
use crate::plugin::Artifact;

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  dcos-lb completions bash > ~/.local/share/bash-completion/completions/dcos-lb
  dcos-lb completions zsh > ~/.zfunc/_dcos-lb
  dcos-lb completions fish > ~/.config/fish/completions/dcos-lb.fish
  dcos-lb completions dcos       the file the dcos CLI sources for `dcos lb <TAB>`
  dcos-lb completions --write completions/    refresh the committed files (maintainers)";

/// Examples shown by `dcos-lb man --help`.
pub const MAN_EXAMPLES: &str = "\
Examples:
  dcos-lb man | man -l -
  dcos-lb man > /usr/local/share/man/man1/dcos-lb.1";

/// The scripts `completions` can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompletionShell {
    /// bash, for the standalone `dcos-lb` binary.
    Bash,
    /// zsh, for the standalone `dcos-lb` binary.
    Zsh,
    /// fish, for the standalone `dcos-lb` binary.
    Fish,
    /// bash, for `dcos lb` (the file the dcos CLI sources from the plugin).
    Dcos,
}

impl CompletionShell {
    fn artifact(self) -> Artifact {
        match self {
            Self::Bash => Artifact::Bash,
            Self::Zsh => Artifact::Zsh,
            Self::Fish => Artifact::Fish,
            Self::Dcos => Artifact::DcosBash,
        }
    }
}

/// `completions` flags.
#[derive(Debug, clap::Args)]
#[command(after_help = COMPLETIONS_EXAMPLES)]
pub struct CompletionsArgs {
    /// The script to print.
    #[arg(value_enum, required_unless_present = "write")]
    pub shell: Option<CompletionShell>,
    /// Write every completion script and the man page into DIR instead.
    #[arg(long, value_name = "DIR", conflicts_with = "shell")]
    pub write: Option<PathBuf>,
}

/// Prints one completion script, or writes them all with `--write`.
pub fn cmd_completions(ui: &mut Ui, args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let cmd = Cli::command();
    match (&args.write, args.shell) {
        (Some(dir), _) => {
            for artifact in Artifact::ALL {
                write_artifact(ui, dir, artifact, &artifact.render(&cmd))?;
            }
        }
        (None, Some(shell)) => ui.result_raw(&shell.artifact().render(&cmd))?,
        (None, None) => anyhow::bail!("name a shell or use --write DIR"),
    }
    Ok(ExitCode::Success)
}

fn write_artifact(
    ui: &mut Ui,
    dir: &Path,
    artifact: Artifact,
    contents: &[u8],
) -> anyhow::Result<()> {
    let path = dir.join(artifact.file_name());
    if let Some(parent) = path.parent() {
        fs_err::create_dir_all(parent)?;
    }
    fs_err::write(&path, contents).with_context(|| format!("writing {artifact:?}"))?;
    ui.status("Wrote", &path.display().to_string());
    Ok(())
}

/// Prints the man page (roff).
pub fn cmd_man(ui: &mut Ui) -> anyhow::Result<ExitCode> {
    ui.result_raw(&Artifact::Man.render(&Cli::command()))?;
    Ok(ExitCode::Success)
}
