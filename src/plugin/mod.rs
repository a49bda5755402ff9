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

fn man_page(cmd: &Command) -> Vec<u8> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone().bin_name(BIN_NAME))
        .render(&mut out)
        .expect("writing to a Vec cannot fail");
    out
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
    fn file_names_are_distinct() {
        let mut names: Vec<_> = Artifact::ALL.iter().map(|a| a.file_name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Artifact::ALL.len());
    }
}
