//! The one place that turns errors into exit codes and prints them.
//!
//! Modules return their own typed errors; commands add context with `anyhow`.
//! [`CliError`] carries the [`ExitCode`] chosen for a failure, and
//! [`exit_code_for`] finds it by walking the error chain. The codes extend
//! zdd.py's (marathon-lb's `zdd_exceptions.py`) so scripts written for zdd.py
//! keep working.

use std::fmt;

/// The documented exit codes of `dcos-lb`. Shown by `dcos-lb --help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    /// The command did what was asked (`health`: the condition holds).
    Success = 0,
    /// A general error, or the user declined at a prompt.
    Failure = 1,
    /// Usage error (bad flags), or an unexpected failure such as a failed
    /// `--pre-kill-hook` (zdd.py exits 2 for both).
    Usage = 2,
    /// Invalid input: app JSON, labels, or flags that contradict the cluster's state.
    InvalidInput = 3,
    /// A field the command needs is missing (for example `HAPROXY_DEPLOYMENT_GROUP`).
    MissingField = 4,
    /// A marathon-lb endpoint failed or could not be reached.
    MarathonLb = 5,
    /// A Marathon endpoint failed or could not be reached.
    Marathon = 6,
    /// Creating the new app failed.
    AppCreate = 7,
    /// Deleting the old app failed.
    AppDelete = 8,
    /// Scaling an app failed.
    Scale = 9,
    /// Timed out waiting (`health --wait --timeout`, deploy `--max-wait`); the
    /// deploy is left in a resumable state.
    Timeout = 10,
    /// Authentication required or refused (HTTP 401/403).
    Auth = 11,
    /// Interrupted by Ctrl-C or SIGTERM (128 + SIGINT).
    Interrupted = 130,
}

impl ExitCode {
    /// The process exit status.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Every code, in order.
    pub const ALL: [Self; 13] = [
        Self::Success,
        Self::Failure,
        Self::Usage,
        Self::InvalidInput,
        Self::MissingField,
        Self::MarathonLb,
        Self::Marathon,
        Self::AppCreate,
        Self::AppDelete,
        Self::Scale,
        Self::Timeout,
        Self::Auth,
        Self::Interrupted,
    ];

    /// What the code means, as `--help` and the README say it.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Success => "success (health: the condition holds)",
            Self::Failure => "error, or declined at a prompt",
            Self::Usage => "usage error, or a failed --pre-kill-hook (as zdd.py)",
            Self::InvalidInput => "invalid input (app JSON, labels, flags); lint found an error",
            Self::MissingField => "a required field or label is missing",
            Self::MarathonLb => "a marathon-lb endpoint failed",
            Self::Marathon => "a Marathon endpoint failed",
            Self::AppCreate => "creating the new app failed",
            Self::AppDelete => "deleting the old app failed",
            Self::Scale => "scaling failed",
            Self::Timeout => "timed out waiting; a deploy stays resumable",
            Self::Auth => "authentication required or refused",
            Self::Interrupted => "interrupted (Ctrl-C); a deploy stays resumable",
        }
    }

    /// The table as help text.
    pub fn help_text() -> String {
        let mut text = String::from("Exit codes:\n");
        for code in Self::ALL {
            text.push_str(&format!("  {:>3}  {}\n", code.code(), code.meaning()));
        }
        text
    }
}

/// An error that knows its exit code and carries hints for the user.
#[derive(Debug)]
pub struct CliError {
    /// The exit code to use.
    pub code: ExitCode,
    /// What went wrong.
    pub message: String,
    /// `hint:` lines printed after the error.
    pub hints: Vec<String>,
}

impl CliError {
    /// An error with a code and a message.
    pub fn new(code: ExitCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// Adds a hint line.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// Errors that can say which exit code they deserve. Module error types
/// implement this so the mapping stays in their hands but is read here only.
pub trait HasExitCode {
    /// The exit code for this error.
    fn exit_code(&self) -> ExitCode;
}

/// Finds the exit code for an error: the first [`CliError`] or known module
/// error in the chain decides; otherwise 1.
pub fn exit_code_for(err: &anyhow::Error) -> ExitCode {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<CliError>() {
            return e.code;
        }
        if let Some(e) = cause.downcast_ref::<crate::marathon::MarathonError>() {
            return e.exit_code();
        }
        if let Some(e) = cause.downcast_ref::<crate::lb::client::LbError>() {
            return e.exit_code();
        }
        if let Some(e) = cause.downcast_ref::<crate::deploy::driver::DeployError>() {
            return e.exit_code();
        }
        if let Some(e) = cause.downcast_ref::<crate::deploy::plan::PlanError>() {
            return e.exit_code();
        }
        if let Some(e) = cause.downcast_ref::<crate::jq::JqError>() {
            return e.exit_code();
        }
        if let Some(e) = cause.downcast_ref::<crate::dcos::config::ConfigError>() {
            return e.exit_code();
        }
        if let Some(e) = cause.downcast_ref::<crate::dcos::auth::AuthError>() {
            return e.exit_code();
        }
        if let Some(e) = cause.downcast_ref::<crate::http::HttpError>() {
            return e.exit_code();
        }
    }
    ExitCode::Failure
}

/// Hints attached anywhere in the chain.
pub fn hints_for(err: &anyhow::Error) -> Vec<String> {
    let mut hints: Vec<String> = err
        .chain()
        .filter_map(|c| c.downcast_ref::<CliError>())
        .flat_map(|e| e.hints.iter().cloned())
        .collect();
    hints.extend(
        err.chain()
            .filter_map(|c| c.downcast_ref::<crate::deploy::driver::DeployError>())
            .filter_map(|e| e.hint.clone()),
    );
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_documented_in_the_readme_table() {
        let readme = include_str!("../README.md");
        for code in ExitCode::ALL {
            let row = format!("| {} |", code.code());
            assert!(
                readme.lines().any(|l| l.starts_with(&row)),
                "README's exit-code table lacks {row}"
            );
        }
        let codes: Vec<u8> = ExitCode::ALL.iter().map(|c| c.code()).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "{codes:?}");
    }
}
