//! The one place that knows exit codes: the table, and the mapping from
//! every module's typed error (and the deploy's typed stop reason) to a code.
//!
//! Modules below the CLI return typed errors and never see an exit code;
//! commands add context with `anyhow`, or a [`CliError`] when the command
//! itself chooses the code. [`exit_code_for`] walks the error chain: the
//! first error it knows decides. The codes extend zdd.py's (marathon-lb's
//! `zdd_exceptions.py`) so scripts written for zdd.py keep working.

use std::fmt;

use crate::dcos::auth::AuthError;
use crate::dcos::config::ConfigError;
use crate::deploy::plan::PlanError;
use crate::deploy::stop::{DeployError, Request, StopReason};
use crate::http::HttpError;
use crate::jq::JqError;
use crate::lb::client::LbError;
use crate::marathon::MarathonError;

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
    /// A step plan's canary failed its analysis and was rolled back: every
    /// instance runs the previous version again.
    RolledBackByAnalysis = 12,
    /// A step plan's canary failed its analysis and `--no-rollback` left
    /// the split as it is (resumable, or `dcos lb rollback GROUP`).
    AnalysisFailed = 13,
    /// Interrupted by Ctrl-C or SIGTERM (128 + SIGINT).
    Interrupted = 130,
}

impl ExitCode {
    /// The process exit status.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Every code, in order.
    pub const ALL: [Self; 15] = [
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
        Self::RolledBackByAnalysis,
        Self::AnalysisFailed,
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
            Self::RolledBackByAnalysis => {
                "a step plan's canary failed its analysis and was rolled back"
            }
            Self::AnalysisFailed => {
                "a step plan's canary failed its analysis (--no-rollback: left split)"
            }
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

/// Finds the exit code for an error: the first [`CliError`] or known module
/// error in the chain decides; otherwise 1.
pub fn exit_code_for(err: &anyhow::Error) -> ExitCode {
    err.chain()
        .find_map(known_code)
        .unwrap_or(ExitCode::Failure)
}

/// The code of one error of the chain, if it is one this table knows.
fn known_code(cause: &(dyn std::error::Error + 'static)) -> Option<ExitCode> {
    if let Some(e) = cause.downcast_ref::<CliError>() {
        return Some(e.code);
    }
    if let Some(e) = cause.downcast_ref::<MarathonError>() {
        return Some(marathon_code(e));
    }
    if let Some(e) = cause.downcast_ref::<DeployError>() {
        return Some(stop_code(&e.reason));
    }
    if let Some(e) = cause.downcast_ref::<PlanError>() {
        return Some(plan_code(e));
    }
    if let Some(e) = cause.downcast_ref::<JqError>() {
        return Some(match e {
            // A filter that does not compile is a usage error, as a bad flag.
            JqError::Compile { .. } => ExitCode::Usage,
            JqError::Runtime(_) => ExitCode::Failure,
        });
    }
    if let Some(e) = cause.downcast_ref::<ConfigError>() {
        return Some(match e {
            ConfigError::Auth(_) => ExitCode::Auth,
            _ => ExitCode::Failure,
        });
    }
    if cause.is::<LbError>() {
        return Some(ExitCode::MarathonLb);
    }
    if cause.is::<AuthError>() {
        return Some(ExitCode::Auth);
    }
    if cause.is::<HttpError>() {
        return Some(ExitCode::Failure);
    }
    None
}

/// A Marathon error outside a deploy: refused credentials are 11, a body
/// Marathon rejected is the user's input (3), anything else Marathon's (6).
fn marathon_code(e: &MarathonError) -> ExitCode {
    match e {
        MarathonError::Unauthorized | MarathonError::Forbidden | MarathonError::Auth(_) => {
            ExitCode::Auth
        }
        MarathonError::Invalid { .. } => ExitCode::InvalidInput,
        _ => ExitCode::Marathon,
    }
}

fn plan_code(e: &PlanError) -> ExitCode {
    match e {
        PlanError::Missing(_) => ExitCode::MissingField,
        PlanError::Invalid(_) => ExitCode::InvalidInput,
    }
}

/// A deploy's stop, in zdd.py's codes. A failed request exits by the step
/// that failed, whatever the HTTP status (zdd.py's `AppCreateException`,
/// `AppScaleException`, `AppDeleteException`): so a 409 that outlasts
/// `--max-wait` exits 9 from a deploy's scale, while `app scale` (one
/// request, no step) exits 6 as any Marathon error.
pub fn stop_code(reason: &StopReason) -> ExitCode {
    match reason {
        StopReason::Interrupted => ExitCode::Interrupted,
        StopReason::Declined => ExitCode::Failure,
        // zdd.py exits 2 when the pre-kill hook fails.
        StopReason::HookFailed | StopReason::AlreadyDeploying | StopReason::ProofRefused => {
            ExitCode::Usage
        }
        StopReason::Plan(e) => plan_code(e),
        StopReason::WrongGroupState | StopReason::NotHybrid => ExitCode::InvalidInput,
        StopReason::ProofUnavailable | StopReason::LbUnreachable => ExitCode::MarathonLb,
        StopReason::CreateConflict => ExitCode::AppCreate,
        StopReason::AppVanished | StopReason::MarathonUnreachable => ExitCode::Marathon,
        StopReason::RequestFailed { request, .. } => match request {
            Request::Create => ExitCode::AppCreate,
            Request::Scale => ExitCode::Scale,
            Request::Delete => ExitCode::AppDelete,
            Request::Lb => ExitCode::MarathonLb,
            Request::ListGroup => ExitCode::Marathon,
        },
        StopReason::Unhealthy
        | StopReason::NotDrained { .. }
        | StopReason::DrainMetricBusy { .. }
        | StopReason::OldHaproxyRunning => ExitCode::Timeout,
    }
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
            .filter_map(|c| c.downcast_ref::<DeployError>())
            .filter_map(|e| e.hint.clone()),
    );
    hints
}

/// The error of a one-request step of `app scale` or `app remove`: auth,
/// lock (409) and input errors keep their own codes, as everywhere else;
/// any other Marathon failure exits with the step's zdd-compatible `code`.
pub fn step_failure(err: anyhow::Error, code: ExitCode) -> anyhow::Error {
    let keep = err.chain().any(|c| {
        c.downcast_ref::<MarathonError>().is_some_and(|m| {
            !matches!(
                m,
                MarathonError::Status { .. }
                    | MarathonError::Unreachable { .. }
                    | MarathonError::Timeout { .. }
            )
        })
    });
    if keep {
        err
    } else {
        let message = format!("{err:#}");
        CliError::new(code, message).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_documented_in_the_readme_table() {
        let readme = include_str!("../../README.md");
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
