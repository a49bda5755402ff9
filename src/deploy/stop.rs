//! Why a deploy stopped before its goal, as a type: the machine names the
//! reason, the CLI (`cli/exit.rs`) turns it into zdd.py's exit code. No
//! module below the CLI knows an exit code.

use crate::deploy::drain::Blocker;
use crate::deploy::plan::PlanError;

/// The request to Marathon or marathon-lb that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Reading the group's apps.
    ListGroup,
    /// Reading marathon-lb (stats, pids, profiles, or the drain metric).
    Lb,
    /// Creating the new app.
    Create,
    /// Scaling an app, or killing tasks with `scale=true`.
    Scale,
    /// Deleting the old app.
    Delete,
}

/// How a request failed, for the retry rules and the stop reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// Marathon answered with this HTTP status.
    Status(u16),
    /// No usable answer: unreachable, timed out, or a body that did not decode.
    NoAnswer,
    /// The TLS handshake failed (the certificate was not verified).
    Tls,
    /// The credentials were refused, or no token could be obtained.
    Auth,
}

/// Why a run stopped; the group is left resumable (or untouched).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// Ctrl-C or SIGTERM.
    Interrupted,
    /// The user answered no at a prompt.
    Declined,
    /// The pre-kill hook failed.
    HookFailed,
    /// The app JSON or a flag does not allow the deploy.
    Plan(PlanError),
    /// The group is not in a state that allows what was asked.
    WrongGroupState,
    /// Completing or moving a split was asked of a group with one app
    /// (zdd.py's "config is not hybrid").
    NotHybrid,
    /// A deploy of the group is already in progress.
    AlreadyDeploying,
    /// `--drain-proof` was asked for something the flags cannot give.
    ProofRefused,
    /// No drain proof could be established from marathon-lb.
    ProofUnavailable,
    /// An app id the new app needs is already taken, or a rival deploy
    /// created the app first.
    CreateConflict,
    /// The app being deployed disappeared from Marathon.
    AppVanished,
    /// A request failed and retrying cannot help (or `--max-wait` passed).
    RequestFailed {
        /// Which request.
        request: Request,
        /// How it failed.
        kind: FailureKind,
    },
    /// Marathon could not be reached at the first look.
    MarathonUnreachable,
    /// The new app did not get healthy within `--max-wait`.
    Unhealthy,
    /// Tasks did not drain within `--max-wait`; what still held them.
    NotDrained {
        /// Each LB server that was not out of rotation, or still had sessions.
        blockers: Vec<Blocker>,
    },
    /// The drain metric kept reporting work within `--max-wait`.
    DrainMetricBusy {
        /// The tasks that reported work.
        tasks: Vec<String>,
    },
    /// HAProxy processes older than the drain kept running within `--max-wait`.
    OldHaproxyRunning,
    /// An LB could not be read within `--max-wait`.
    LbUnreachable,
}

/// What to do after a stop, as a type: the CLI spells the commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// Finish the deploy with `--resume`, or go back with `rollback`.
    ResumeOrRollBack {
        /// The deployment group.
        group: String,
    },
    /// A deploy of the group is in progress: resume, promote or go back.
    FinishInProgress,
    /// The group has one app: a split starts from `split --new-instances`.
    StartSplit {
        /// The deployment group.
        group: String,
    },
    /// The new app's id is taken by an app outside the deploy.
    RemoveOrRename {
        /// The app id.
        app: String,
    },
    /// Another deploy of the group got there first.
    LetOtherFinish {
        /// The deployment group.
        group: String,
    },
    /// Advice in words.
    Text(String),
}

/// A deploy that stopped before its goal, as an error: the group stays
/// resumable (or was not touched).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DeployError {
    /// Why, as a type.
    pub reason: StopReason,
    /// Why, for the user.
    pub message: String,
    /// What to do next.
    pub hint: Option<String>,
}
