//! What makes dcos-lb a DC/OS CLI plugin beyond its commands: the shell
//! completion scripts and the man page, all generated from the clap tree
//! (`Cli::command()`), and the list of generated files kept in the repo
//! under `completions/`. Pure: no I/O (callers write the bytes).

pub mod dcos_completion;

use clap::Command;
use clap_complete::Shell;

pub use dcos_completion::{DCOS_COMMAND, dcos_bash_completion};

/// The name of the standalone binary, used by the clap_complete scripts.
pub const BIN_NAME: &str = "dcos-lb";

/// The directory (relative to the repository root) holding the committed
/// generated files.
pub const GENERATED_DIR: &str = "completions";

/// The command that rewrites every generated file from the current CLI.
pub const REGENERATE_COMMAND: &str = "cargo run --locked -- completions --write completions/";

/// One generated artifact of the shell integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    /// Standalone bash completion for `dcos-lb` (clap_complete).
    Bash,
    /// Standalone zsh completion for `dcos-lb` (clap_complete).
    Zsh,
    /// Standalone fish completion for `dcos-lb` (clap_complete).
    Fish,
    /// The bash file the dcos CLI sources for `dcos lb` (dcos completion protocol).
    DcosBash,
    /// The man page (clap_mangen, roff).
    Man,
}

impl Artifact {
    /// Every artifact, in the order they are written.
    pub const ALL: [Self; 5] = [Self::Bash, Self::Zsh, Self::Fish, Self::DcosBash, Self::Man];

    /// Where the artifact lives, relative to [`GENERATED_DIR`].
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Bash => "dcos-lb.bash",
            Self::Zsh => "_dcos-lb",
            Self::Fish => "dcos-lb.fish",
            Self::DcosBash => "dcos/dcos-lb.sh",
            Self::Man => "dcos-lb.1",
        }
    }

    /// Renders the artifact from the (unbuilt) clap command tree.
    pub fn render(self, cmd: &Command) -> Vec<u8> {
        match self {
            Self::Bash => shell_completion(Shell::Bash, cmd),
            Self::Zsh => shell_completion(Shell::Zsh, cmd),
            Self::Fish => shell_completion(Shell::Fish, cmd),
            Self::DcosBash => dcos_bash_completion(cmd).into_bytes(),
            Self::Man => man_page(cmd),
        }
    }
}

fn shell_completion(shell: Shell, cmd: &Command) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd.clone(), BIN_NAME, &mut out);
    out
}

/// One page for the whole tool: clap_mangen's sections, but the commands
/// listed by name (`dcos-lb deploy`) where clap_mangen would refer to a
/// page per command (`dcos-lb-deploy(1)`) that does not ship; each
/// command's `--help` has its flags and examples.
fn man_page(cmd: &Command) -> Vec<u8> {
    let cmd = cmd.clone().bin_name(BIN_NAME);
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    let written: std::io::Result<()> = (|| {
        man.render_title(&mut out)?;
        man.render_name_section(&mut out)?;
        man.render_synopsis_section(&mut out)?;
        man.render_description_section(&mut out)?;
        man.render_options_section(&mut out)?;
        render_commands_section(&cmd, &mut out)?;
        man.render_extra_section(&mut out)?;
        man.render_version_section(&mut out)
    })();
    written.expect("writing to a Vec cannot fail");
    out
}

/// `.SH COMMANDS`: every visible command with its one-line help.
fn render_commands_section(cmd: &Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Write as _;
    writeln!(out, ".SH COMMANDS")?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        writeln!(out, ".TP")?;
        writeln!(out, "\\fB{} {}\\fR", roff(BIN_NAME), roff(sub.get_name()))?;
        writeln!(out, "{}", roff(&about))?;
    }
    writeln!(out, ".PP")?;
    writeln!(
        out,
        "Run \\fB{} COMMAND \\-\\-help\\fR for a command's flags and examples.",
        roff(BIN_NAME)
    )
}

/// Text escaped for roff: backslashes, hyphens (so they stay hyphens) and
/// apostrophes.
fn roff(text: &str) -> String {
    text.replace('\\', "\\e")
        .replace('-', "\\-")
        .replace('\'', "\\(aq")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    #[test]
    fn every_artifact_renders_for_the_real_cli() {
        let cmd = Cli::command();
        for artifact in Artifact::ALL {
            let text = String::from_utf8(artifact.render(&cmd)).expect("utf-8");
            assert!(
                text.contains("deploy"),
                "{artifact:?} lacks deploy:\n{text}"
            );
        }
    }

    #[test]
    fn the_man_page_refers_to_no_page_that_does_not_ship() {
        let page = String::from_utf8(Artifact::Man.render(&Cli::command())).expect("utf-8");
        assert!(!page.contains("(1)"), "{page}");
        assert!(page.contains("\\fBdcos\\-lb deploy\\fR"), "{page}");
        assert!(page.contains(".SH COMMANDS"), "{page}");
    }

    #[test]
    fn file_names_are_distinct() {
        let mut names: Vec<_> = Artifact::ALL.iter().map(|a| a.file_name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Artifact::ALL.len());
    }
}
