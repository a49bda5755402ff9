//! The deploy as a sans-IO state machine (pure: no I/O, no clock, no sleep).
//!
//! [`Machine::handle`] takes one [`Input`] (an answer to the last action, a
//! Marathon event, a timer, Ctrl-C) and the current time, and returns the
//! [`Action`]s to run next; [`Machine::poll_timeout`] says when to send
//! [`Input::Timer`]. At most one request is outstanding at a time.
//!
//! The machine is a reconciler: every decision is derived again from a fresh
//! look at the group's apps in Marathon (labels, instances, tasks,
//! deployments) and at every LB, so a deploy interrupted at any point is
//! finished by `--resume` or undone by `--complete-prev` from any machine.
//! Each round: grow the growing app first (the app scaled last is the one
//! marathon-lb calls new, see `plan::merge_view`), wait until its tasks are
//! healthy and marathon-lb has drained old servers on every LB, then kill
//! only drained tasks with `scale=true`, and delete the old app once all of
//! its tasks are drained.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::deploy::drain::{self, DrainReport, LbSample};
use crate::deploy::event::{AppCounts, DeployEvent, LbCounts};
use crate::deploy::group::GroupState;
use crate::deploy::merge;
use crate::deploy::metric::DrainMetric;
use crate::deploy::plan::{self, BuildOptions, PlanStep};
use crate::deploy::proof::{self, DrainProof, LbProfile, ProofChoice};
use crate::deploy::stop::{FailureKind, Hint, Request, StopReason};
use crate::lb::{horizon, stats};
use crate::marathon::health;
use crate::marathon::labels;
use crate::marathon::types::App;
use crate::render::rules;

/// What the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// Deploy this app JSON (a new colour; hybrid with `new_instances`).
    Deploy(Value),
    /// Finish the group's deployment in progress (`--resume`).
    Resume,
    /// Move every instance to the newest app (`--complete-cur`, `promote`).
    CompleteCurrent,
    /// Move every instance back to the previous app (`--complete-prev`, `rollback`).
    CompletePrevious,
    /// Move an existing split to this many new instances, labels untouched.
    MoveSplit(u32),
}

/// What the machine asks the user before a step that `--force` skips.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// Before the first write of a deploy (zdd.py's prompt).
    StartDeploy,
    /// Before killing these drained tasks.
    KillDrained {
        /// The tasks.
        tasks: Vec<String>,
    },
    /// Before deleting the drained old app.
    DeleteDrained {
        /// The app.
        app: String,
    },
}

/// Settings of one run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The deployment group.
    pub group: String,
    /// What to do.
    pub mode: Mode,
    /// Shapes the new app (`--initial-instances`, `--new-instances`, …).
    pub build: BuildOptions,
    /// Skip every confirmation.
    pub force: bool,
    /// Stop after planning.
    pub dry_run: bool,
    /// The longest wait between two looks at Marathon (`--step-delay`).
    pub step_delay: Duration,
    /// How long the deploy may make no progress (`--max-wait`).
    pub max_wait: Duration,
    /// `--linear-increase`.
    pub linear_increase: Option<u32>,
    /// `--surge`.
    pub surge: bool,
    /// Kill tasks that are still draining once `--max-wait` passed.
    pub force_kill_after_max_wait: bool,
    /// Whether a `--pre-kill-hook` is set.
    pub pre_kill_hook: bool,
    /// The `--drain-metric` that must read 0 before a kill.
    pub drain_metric: Option<DrainMetric>,
    /// How a kill is to be proven safe from older HAProxy workers
    /// (`--drain-proof`).
    pub drain_proof: ProofChoice,
}

/// Marathon's group, as the driver read it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// The group's apps with tasks.
    pub apps: Vec<App>,
    /// Task host names resolved to addresses (HAProxy lists addresses).
    pub host_ips: BTreeMap<String, Vec<String>>,
}

/// A failed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// How it failed.
    pub kind: FailureKind,
    /// What went wrong.
    pub message: String,
}

/// Everything the machine reacts to.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Begin.
    Start,
    /// Answer to [`Action::ListGroup`].
    Group(Snapshot),
    /// Answer to [`Action::ReadLbStats`].
    Lb(Vec<LbSample>),
    /// Answer to [`Action::ReadLbProfiles`].
    LbProfiles(Vec<LbProfile>),
    /// Answer to [`Action::ReadLbPids`]: per LB the number of HAProxy pids.
    Pids(Vec<(String, Result<usize, String>)>),
    /// Answer to [`Action::ReadDrainMetric`]: each task's metric body, or
    /// why it could not be read.
    MetricBodies(Vec<(String, Result<String, String>)>),
    /// The last write (create, scale, kill, delete, hook) succeeded.
    Done,
    /// Answer to [`Action::Confirm`].
    Confirmed(bool),
    /// The pre-kill hook exited non-zero.
    HookFailed(String),
    /// The last request failed.
    Failed(Failure),
    /// Marathon reported a change (SSE) that may concern the group.
    Changed,
    /// Ctrl-C or SIGTERM.
    Interrupted,
    /// The deadline from [`Machine::poll_timeout`] passed.
    Timer,
}

/// Everything the machine asks the driver to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Read the group's apps with tasks (→ [`Input::Group`]).
    ListGroup,
    /// Read every LB's stats CSV (→ [`Input::Lb`]).
    ReadLbStats {
        /// Whether to read each LB's serving worker too (the reload
        /// horizon needs its uptime).
        workers: bool,
    },
    /// Read every LB's serving worker and, with `configs`, its running
    /// config, to choose the drain proof (→ [`Input::LbProfiles`]).
    ReadLbProfiles {
        /// Whether the running configs are needed (the reload horizon).
        configs: bool,
    },
    /// Ask every LB for its HAProxy pids (→ [`Input::Pids`]).
    ReadLbPids,
    /// `GET` each task's drain-metric URL (→ [`Input::MetricBodies`]).
    ReadDrainMetric {
        /// (task id, URL) pairs.
        targets: Vec<(String, String)>,
    },
    /// `POST /v2/apps` (→ [`Input::Done`]).
    Create(Value),
    /// `PUT /v2/apps/{app}` with `instances` (→ [`Input::Done`]).
    Scale {
        /// The app.
        app: String,
        /// The new count.
        instances: u32,
    },
    /// `POST /v2/tasks/delete?scale=true` (→ [`Input::Done`]).
    Kill {
        /// The app.
        app: String,
        /// The tasks.
        tasks: Vec<String>,
    },
    /// `DELETE /v2/apps/{app}` (→ [`Input::Done`]).
    Delete {
        /// The app.
        app: String,
        /// `?force=true`: cancel the app's deployment in progress.
        force: bool,
    },
    /// Run `--pre-kill-hook` (→ [`Input::Done`] or [`Input::HookFailed`]).
    RunHook {
        /// The shrinking app.
        old: String,
        /// The tasks about to be killed.
        tasks: Vec<String>,
        /// The growing app.
        new: String,
    },
    /// Ask the user (→ [`Input::Confirmed`]).
    Confirm(Question),
    /// Tell the user; never answered.
    Notify(DeployEvent),
    /// The run is over.
    Finish(Outcome),
}

/// How the run ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The group reached its goal.
    Done(String),
    /// `--dry-run`: the app that would be created (if any) and the plan.
    DryRun {
        /// The final app JSON.
        app: Option<Value>,
        /// The steps.
        steps: Vec<PlanStep>,
    },
    /// The run stopped; the group is left resumable.
    Stopped {
        /// Why, as a type.
        reason: StopReason,
        /// Why, for the user.
        message: String,
        /// What to do next.
        hint: Option<Hint>,
    },
}

/// Which app grows and which shrinks, and where they end.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Goal {
    grower: String,
    shrinker: Option<String>,
    want_grower: u32,
    want_shrinker: u32,
    target: u32,
    delete_shrinker: bool,
    backend: String,
}

/// The request in flight, so its answer can be understood.
#[derive(Debug, Clone, PartialEq)]
enum Pending {
    List,
    Profiles,
    Stats,
    Pids(Vec<String>),
    /// The tasks about to be killed, or every task of an app about to be
    /// deleted (`delete`).
    Metric {
        tasks: Vec<String>,
        delete: bool,
    },
    ConfirmStart,
    Create,
    Scale,
    Hook(Vec<String>),
    ConfirmKill(Vec<String>),
    Kill,
    ConfirmDelete,
    Delete,
}

impl Pending {
    fn describe(&self) -> &'static str {
        match self {
            Self::List => "reading the group from Marathon",
            Self::Stats | Self::Pids(_) | Self::Profiles => "reading marathon-lb",
            Self::Metric { .. } => "reading the drain metric",
            Self::Create => "creating the new app",
            Self::Scale => "scaling",
            Self::Kill => "killing drained tasks",
            Self::Delete => "deleting the old app",
            Self::ConfirmStart | Self::Hook(_) | Self::ConfirmKill(_) | Self::ConfirmDelete => "",
        }
    }

    fn request(&self) -> Request {
        match self {
            Self::Create => Request::Create,
            Self::Scale | Self::Kill => Request::Scale,
            Self::Delete => Request::Delete,
            Self::Stats | Self::Pids(_) | Self::Profiles | Self::Metric { .. } => Request::Lb,
            _ => Request::ListGroup,
        }
    }
}

/// The deploy state machine.
#[derive(Debug)]
pub struct Machine {
    config: Config,
    goal: Option<Goal>,
    new_app: Option<Value>,
    snapshot: Snapshot,
    pending: Option<Pending>,
    deadline: Option<Instant>,
    progress: Option<(Instant, [u32; 6])>,
    last_failure: Option<String>,
    /// The app whose drained tasks the next kill takes: the shrinking app,
    /// or the growing one when marathon-lb drains it (see `drain_decision`).
    kill_from: String,
    /// Since when a kill has waited for old HAProxy processes to exit.
    old_haproxy_since: Option<Instant>,
    /// Marathon's answer when creating the new app met a 409: either an
    /// earlier create of ours went through (the next listing shows the app)
    /// or the id belongs to an app outside the group, which no retry fixes.
    create_conflict: Option<String>,
    /// Whether a create of the new app was sent (it may have gone through
    /// even when its answer was lost).
    create_sent: bool,
    /// The drain proof, once chosen from the LBs' profiles.
    proof: Option<DrainProof>,
    /// The planned steps, kept for a dry run's outcome until the proof is
    /// chosen.
    steps: Vec<PlanStep>,
    /// With [`DrainProof::Horizon`], per LB: how long after a task left
    /// service an older worker may still send to it, and how that was found.
    horizons: BTreeMap<String, horizon::Horizon>,
    /// With [`DrainProof::Horizon`], per LB and task: the latest instant by
    /// which the task had left service in every worker that LB runs. Each
    /// look at an LB that shows the task MAINT bounds it by the serving
    /// worker's start (now − uptime), as that worker was started by a reload
    /// after the one that took the task out; a look that shows it in
    /// service, or no look, forgets it.
    left_service: BTreeMap<(String, String), Instant>,
    /// The growing app's healthy tasks at the last decision: when they drop,
    /// marathon-lb drains fewer old tasks and may have put one back into
    /// service between two looks, so every [`Self::left_service`] is forgotten.
    grower_healthy: u32,
    finished: bool,
}

impl Machine {
    /// A machine for one run.
    pub fn new(config: Config) -> Self {
        Self {
            config,
            goal: None,
            new_app: None,
            snapshot: Snapshot::default(),
            pending: None,
            deadline: None,
            progress: None,
            last_failure: None,
            kill_from: String::new(),
            old_haproxy_since: None,
            create_conflict: None,
            create_sent: false,
            proof: None,
            steps: Vec::new(),
            horizons: BTreeMap::new(),
            left_service: BTreeMap::new(),
            grower_healthy: 0,
            finished: false,
        }
    }

    /// When the driver must send [`Input::Timer`] if nothing else arrives.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.deadline
    }

    /// Reacts to one input.
    pub fn handle(&mut self, input: Input, now: Instant) -> Vec<Action> {
        if self.finished {
            return Vec::new();
        }
        let actions = self.step(input, now);
        if actions.iter().any(|a| matches!(a, Action::Finish(_))) {
            self.finished = true;
            self.deadline = None;
        }
        actions
    }

    fn step(&mut self, input: Input, now: Instant) -> Vec<Action> {
        match input {
            Input::Start => self.request(Pending::List, Action::ListGroup),
            Input::Interrupted => vec![finish_stopped(
                StopReason::Interrupted,
                "interrupted; the group is left as it is".into(),
                self.resume_hint(),
            )],
            Input::Timer | Input::Changed => {
                if self.pending.is_some() {
                    return Vec::new();
                }
                self.deadline = None;
                self.request(Pending::List, Action::ListGroup)
            }
            Input::Failed(failure) => self.failed(failure, now),
            input => {
                let Some(pending) = self.pending.take() else {
                    return Vec::new();
                };
                self.answer(pending, input, now)
            }
        }
    }

    fn request(&mut self, pending: Pending, action: Action) -> Vec<Action> {
        self.pending = Some(pending);
        self.deadline = None;
        vec![action]
    }

    fn wait(&mut self, now: Instant, delay: Duration) -> Vec<Action> {
        self.pending = None;
        self.deadline = Some(now + delay);
        Vec::new()
    }

    /// LBs send no events, so their drain is polled more often than
    /// Marathon: a stats CSV is cheap, and every poll saved is wall time.
    fn lb_poll(&self) -> Duration {
        self.config.step_delay.min(Duration::from_millis(250))
    }

    /// The pause before retrying a failed request.
    fn retry_delay(&self) -> Duration {
        self.config.step_delay.min(Duration::from_secs(1))
    }

    fn answer(&mut self, pending: Pending, input: Input, now: Instant) -> Vec<Action> {
        self.last_failure = None;
        match (pending, input) {
            (Pending::List, Input::Group(mut snapshot)) => {
                // Only the group's own apps, whatever Marathon's label
                // selector let through.
                let group = Some(self.config.group.as_str());
                snapshot
                    .apps
                    .retain(|a| a.label(labels::DEPLOYMENT_GROUP) == group);
                self.snapshot = snapshot;
                match self.goal {
                    Some(_) => self.reconcile(now),
                    None => self.plan(),
                }
            }
            (Pending::Profiles, Input::LbProfiles(profiles)) => self.choose_proof(&profiles, now),
            (Pending::ConfirmStart, Input::Confirmed(true)) => {
                let app = self.new_app.clone().unwrap_or(Value::Null);
                self.create(app)
            }
            (
                Pending::ConfirmStart | Pending::ConfirmKill(_) | Pending::ConfirmDelete,
                Input::Confirmed(false),
            ) => {
                vec![finish_stopped(
                    StopReason::Declined,
                    "declined; nothing more was changed".into(),
                    self.resume_hint(),
                )]
            }
            (Pending::Create, Input::Done) => {
                let mut actions = Vec::new();
                if let Some(app) = &self.new_app {
                    actions.push(Action::Notify(DeployEvent::Created {
                        app: str_field(app, "id"),
                        instances: app.get("instances").and_then(Value::as_u64).unwrap_or(0) as u32,
                    }));
                }
                actions.extend(self.request(Pending::List, Action::ListGroup));
                actions
            }
            (Pending::Scale | Pending::Kill | Pending::Delete, Input::Done) => {
                self.request(Pending::List, Action::ListGroup)
            }
            (Pending::Stats, Input::Lb(samples)) => self.drain_decision(samples, now),
            (Pending::Pids(tasks), Input::Pids(pids)) => self.pids_answer(tasks, &pids, now),
            (Pending::Metric { tasks, delete }, Input::MetricBodies(bodies)) => {
                let busy = self.busy_tasks(&bodies);
                self.metric_answer(tasks, delete, &busy, now)
            }
            (Pending::Hook(tasks), Input::Done) => self.confirm_kill(tasks),
            (Pending::Hook(_), Input::HookFailed(why)) => vec![finish_stopped(
                StopReason::HookFailed,
                format!("the pre-kill hook failed ({why}); no task was killed"),
                self.resume_hint(),
            )],
            (Pending::ConfirmKill(tasks), Input::Confirmed(true)) => self.kill(tasks),
            (Pending::ConfirmDelete, Input::Confirmed(true)) => self.delete(),
            (pending, _) => {
                self.pending = Some(pending);
                Vec::new()
            }
        }
    }

    /// A kill waits until every LB runs only its master and one worker:
    /// an older worker may still send requests to the tasks. The wait is
    /// reported, and bounded by `--max-wait` like every other wait.
    fn pids_answer(
        &mut self,
        tasks: Vec<String>,
        pids: &[(String, Result<usize, String>)],
        now: Instant,
    ) -> Vec<Action> {
        let waiting: Vec<String> = pids
            .iter()
            .filter_map(|(url, n)| match n {
                Ok(n) if *n <= 2 => None,
                Ok(n) => Some(format!(
                    "{url} has {n} HAProxy processes (master and workers: {} older worker(s) still serve connections opened before a reload)",
                    n - 2
                )),
                Err(e) => Some(format!("{url}: {e}")),
            })
            .collect();
        if waiting.is_empty() {
            self.old_haproxy_since = None;
            return self.before_kill(tasks);
        }
        let since = *self.old_haproxy_since.get_or_insert(now);
        let waited = now.duration_since(since);
        if waited >= self.config.max_wait {
            self.old_haproxy_since = None;
            return vec![finish_stopped(
                StopReason::OldHaproxyRunning,
                format!(
                    "old HAProxy processes did not exit within --max-wait ({} s); no task was killed: {}",
                    self.config.max_wait.as_secs(),
                    waiting.join("; ")
                ),
                self.resume_hint(),
            )];
        }
        let mut actions = vec![Action::Notify(DeployEvent::OldHaproxy {
            lbs: waiting,
            waited_s: waited.as_secs(),
            max_wait_s: self.config.max_wait.as_secs(),
        })];
        actions.extend(self.wait(now, self.lb_poll()));
        actions
    }

    fn create(&mut self, app: Value) -> Vec<Action> {
        self.create_sent = true;
        self.request(Pending::Create, Action::Create(app))
    }

    /// How to finish or undo the deploy — only once it has changed
    /// something: not before it has a goal, not in a dry run, and not while
    /// a new app was never sent to Marathon and is not there.
    fn resume_hint(&self) -> Option<Hint> {
        let nothing_created = matches!(self.config.mode, Mode::Deploy(_))
            && !self.create_sent
            && self
                .goal
                .as_ref()
                .is_none_or(|g| self.app(&g.grower).is_none());
        if self.config.dry_run || self.goal.is_none() || nothing_created {
            return None;
        }
        Some(Hint::ResumeOrRollBack {
            group: self.config.group.clone(),
        })
    }

    /// First look at the group: choose the goal.
    fn plan(&mut self) -> Vec<Action> {
        let apps = plan::by_start(&self.snapshot.apps)
            .into_iter()
            .cloned()
            .collect::<Vec<App>>();
        let group = self.config.group.clone();
        let goal = match (&self.config.mode, apps.as_slice()) {
            (Mode::Deploy(_), [_, _, ..]) => return in_progress(&group),
            (Mode::Deploy(user), previous) => {
                let built = plan::build_new_app(user, previous.first(), &self.config.build);
                let new = match built {
                    Ok(new) => new,
                    Err(e) => {
                        let message = e.to_string();
                        return vec![finish_stopped(StopReason::Plan(e), message, None)];
                    }
                };
                let port = plan::label_u32_value(&new.json, labels::PORT_0).unwrap_or(0);
                let goal = match previous.first() {
                    Some(old) => Goal {
                        grower: new.id.clone(),
                        shrinker: Some(old.id.clone()),
                        want_grower: if new.new_instances > 0 {
                            new.new_instances
                        } else {
                            new.target
                        },
                        want_shrinker: if new.new_instances > 0 {
                            new.target - new.new_instances
                        } else {
                            0
                        },
                        target: new.target,
                        delete_shrinker: new.new_instances == 0,
                        backend: rules::group_backend_name(&group, port),
                    },
                    None => Goal {
                        grower: new.id.clone(),
                        shrinker: None,
                        want_grower: new.target,
                        want_shrinker: 0,
                        target: new.target,
                        delete_shrinker: false,
                        backend: rules::group_backend_name(&group, port),
                    },
                };
                self.new_app = Some(new.json);
                goal
            }
            (_, []) => {
                return vec![finish_stopped(
                    StopReason::WrongGroupState,
                    format!("no app of deployment group {group} is running"),
                    None,
                )];
            }
            (Mode::CompleteCurrent | Mode::CompletePrevious | Mode::MoveSplit(_), [_]) => {
                return vec![finish_stopped(
                    StopReason::NotHybrid,
                    format!("group {group} has a single app, no split to complete or move"),
                    Some(Hint::StartSplit {
                        group: group.clone(),
                    }),
                )];
            }
            (Mode::Resume, [only]) => single_goal(only, &group),
            (mode, [.., older, newest]) => {
                let GroupState {
                    target,
                    new_instances: hybrid,
                    port,
                    ..
                } = GroupState::of(&[older, newest]).expect("two apps");
                let (grower, shrinker, want_grower, delete) = match mode {
                    Mode::Resume if hybrid > 0 => (newest, older, hybrid, false),
                    Mode::Resume | Mode::CompleteCurrent => (newest, older, target, true),
                    Mode::CompletePrevious => (older, newest, target, true),
                    Mode::MoveSplit(n) => {
                        let n = (*n).min(target);
                        if n >= newest.instances {
                            (newest, older, n, false)
                        } else {
                            (older, newest, target - n, false)
                        }
                    }
                    Mode::Deploy(_) => return in_progress(&group),
                };
                Goal {
                    grower: grower.id.clone(),
                    shrinker: Some(shrinker.id.clone()),
                    want_grower,
                    want_shrinker: target - want_grower,
                    target,
                    delete_shrinker: delete,
                    backend: rules::group_backend_name(&group, port),
                }
            }
        };
        let (start, shrink_from) = self.start_counts(&goal);
        let steps = plan::steps(
            start,
            goal.want_grower,
            shrink_from,
            goal.want_shrinker,
            goal.target,
            self.config.linear_increase,
            self.config.surge,
        );
        let mut actions = vec![Action::Notify(DeployEvent::Plan {
            group,
            new_app: goal.grower.clone(),
            old_app: goal.shrinker.clone(),
            target: goal.target,
            steps: steps.clone(),
        })];
        if let (Some(grower), Some(shrinker)) = (
            self.app(&goal.grower),
            goal.shrinker.as_deref().and_then(|id| self.app(id)),
        ) && !self.lb_calls_new(grower, shrinker)
            && grower.instances >= goal.want_grower
            && self
                .lb_view(grower, shrinker)
                .is_some_and(|view| view.draining > 0)
        {
            actions.push(Action::Notify(DeployEvent::Swap {
                grower: grower.id.clone(),
                shrinker: shrinker.id.clone(),
            }));
        }
        self.goal = Some(goal);
        self.steps = steps;
        let configs = matches!(
            self.config.drain_proof,
            ProofChoice::Auto | ProofChoice::Horizon
        ) && self.config.drain_metric.is_none();
        actions.extend(self.request(Pending::Profiles, Action::ReadLbProfiles { configs }));
        actions
    }

    /// After the plan and the drain proof: a dry run ends, a deploy asks
    /// to go on (unless `--force`) and starts.
    fn start(&mut self, now: Instant) -> Vec<Action> {
        let mut actions = Vec::new();
        let backend = self
            .goal
            .as_ref()
            .map(|g| g.backend.clone())
            .unwrap_or_default();
        if let Some(stop) = self.choose_horizons(&backend, &mut actions) {
            actions.push(stop);
            return actions;
        }
        if self.config.dry_run {
            actions.push(Action::Finish(Outcome::DryRun {
                app: self.new_app.clone(),
                steps: std::mem::take(&mut self.steps),
            }));
            return actions;
        }
        if self.new_app.is_some() && !self.config.force {
            actions.extend(self.request(
                Pending::ConfirmStart,
                Action::Confirm(Question::StartDeploy),
            ));
            return actions;
        }
        actions.extend(self.reconcile(now));
        actions
    }

    /// Chooses the drain proof from the LBs' profiles once the plan is
    /// made (the input is checked first) and before the first write, so
    /// that a proof that cannot work changes nothing. A dry run only tells
    /// what it would use.
    fn choose_proof(&mut self, profiles: &[LbProfile], now: Instant) -> Vec<Action> {
        let (chosen, name, why) = match proof::choose(
            self.config.drain_proof,
            self.config.drain_metric.is_some(),
            profiles,
        ) {
            Ok((chosen, why)) => {
                let name = chosen.name();
                (chosen, name, why)
            }
            Err(e) if self.config.dry_run => (
                DrainProof::Pids,
                "none",
                format!(
                    "drain proof: none could be chosen: {}; {}",
                    e.message, e.hint
                ),
            ),
            Err(e) => {
                let reason = if e.usage {
                    StopReason::ProofRefused
                } else {
                    StopReason::ProofUnavailable
                };
                return vec![finish_stopped(reason, e.message, Some(Hint::Text(e.hint)))];
            }
        };
        self.proof = Some(chosen);
        let mut actions = vec![Action::Notify(DeployEvent::DrainProof {
            proof: name.into(),
            why,
        })];
        actions.extend(self.start(now));
        actions
    }

    /// With [`DrainProof::Horizon`]: each LB's horizon for the group's
    /// backend, told to the user. A backend with none on some LB (`mode
    /// tcp` without hard-stop-after) stops here, before the first write,
    /// unless `auto` chose the horizon: then the deploy falls back to
    /// zdd.py's pids, says so, and says how to avoid it.
    fn choose_horizons(&mut self, backend: &str, actions: &mut Vec<Action>) -> Option<Action> {
        let Some(DrainProof::Horizon { configs, auto }) = &self.proof else {
            return None;
        };
        let mut unbounded = Vec::new();
        for (lb, config) in configs {
            match horizon::horizon(config, backend) {
                Ok(h) => {
                    actions.push(Action::Notify(DeployEvent::Horizon {
                        lb: lb.clone(),
                        horizon_ms: h.bound.as_millis() as u64,
                        why: h.why.clone(),
                    }));
                    self.horizons.insert(lb.clone(), h);
                }
                Err(e) => unbounded.push(format!("{lb}: {e}")),
            }
        }
        if unbounded.is_empty() {
            return None;
        }
        let fix = "set hard-stop-after in marathon-lb's HAPROXY_HEAD, give the app a --drain-metric, \
                   or run HAProxy with nbthread 1";
        if *auto {
            self.horizons.clear();
            self.proof = Some(DrainProof::Pids);
            let why = format!(
                "drain proof: pids — no reload horizon exists ({}); asking /_haproxy_getpids once per kill \
                 as zdd.py does, which forks inside a threaded HAProxy and may break live requests; to avoid it, {fix}",
                unbounded.join("; ")
            );
            actions.push(Action::Notify(DeployEvent::DrainProof {
                proof: "pids".into(),
                why,
            }));
            return None;
        }
        Some(finish_stopped(
            StopReason::ProofUnavailable,
            format!(
                "--drain-proof horizon cannot prove a drain: {}; nothing was changed",
                unbounded.join("; ")
            ),
            Some(Hint::Text(format!("{fix}; or choose --drain-proof pids"))),
        ))
    }

    /// The drain of `app`'s tasks on every LB, its drained tasks narrowed to
    /// those the drain proof lets go now (see [`Self::past_horizon`]).
    fn provable_drain(
        &mut self,
        app: &App,
        grower: &App,
        backend: &str,
        samples: &[LbSample],
        now: Instant,
        actions: &mut Vec<Action>,
    ) -> DrainReport {
        let mut report = drain::drain_report(&app.tasks, backend, samples, &self.snapshot.host_ips);
        let (ready, note) = self.past_horizon(
            std::mem::take(&mut report.drained),
            app,
            grower,
            backend,
            samples,
            now,
        );
        report.drained = ready;
        actions.extend(note);
        if app.id != grower.id {
            // A shrinking task that never passed a health check was never a
            // server of any worker (marathon-lb lists a task once it is
            // alive): nothing can still send to it, whatever the proof.
            let never_served = report.absent.iter().filter(|id| {
                app.tasks
                    .iter()
                    .any(|t| &t.id == *id && health::never_passed(app, t))
            });
            report.drained.extend(never_served.cloned());
        }
        report
    }

    /// With [`DrainProof::Horizon`], the drained tasks no older worker can
    /// still send to (see [`Self::left_service`]); the others are reported.
    fn past_horizon(
        &mut self,
        drained: Vec<String>,
        app: &App,
        grower: &App,
        backend: &str,
        samples: &[LbSample],
        now: Instant,
    ) -> (Vec<String>, Option<Action>) {
        if !matches!(self.proof, Some(DrainProof::Horizon { .. })) {
            return (drained, None);
        }
        let healthy = health::healthy_count(grower);
        if healthy < self.grower_healthy {
            self.left_service.clear();
        }
        self.grower_healthy = healthy;
        for sample in samples {
            let out: Vec<String> = match &sample.worker {
                Some(worker) if sample.rows.is_ok() => {
                    let since = now.checked_sub(worker.uptime).unwrap_or(now);
                    drain::drain_report(
                        &app.tasks,
                        backend,
                        std::slice::from_ref(sample),
                        &self.snapshot.host_ips,
                    )
                    .drained
                    .into_iter()
                    .inspect(|task| {
                        self.left_service
                            .entry((sample.url.clone(), task.clone()))
                            .and_modify(|t| *t = (*t).min(since))
                            .or_insert(since);
                    })
                    .collect()
                }
                _ => Vec::new(),
            };
            self.left_service.retain(|(lb, task), _| {
                lb != &sample.url || out.contains(task) || !app.tasks.iter().any(|t| &t.id == task)
            });
        }
        let longest = self
            .horizons
            .values()
            .map(|h| h.bound)
            .max()
            .unwrap_or_default();
        let ready_at = |task: &String| -> Option<Instant> {
            samples
                .iter()
                .map(|s| {
                    let bound = self.horizons.get(&s.url).map_or(longest, |h| h.bound);
                    self.left_service
                        .get(&(s.url.clone(), task.clone()))
                        .map(|t| *t + bound)
                })
                .try_fold(now, |latest, at| Some(latest.max(at?)))
        };
        let (ready, waiting): (Vec<String>, Vec<String>) = drained
            .into_iter()
            .partition(|task| ready_at(task).is_some_and(|at| at <= now));
        if waiting.is_empty() {
            return (ready, None);
        }
        let first = waiting
            .iter()
            .filter_map(ready_at)
            .min()
            .map_or(longest, |at| at.duration_since(now));
        let event = DeployEvent::HorizonWait {
            tasks: waiting.len() as u32,
            ready_in_s: first.as_secs(),
            horizon_s: longest.as_secs(),
        };
        (ready, Some(Action::Notify(event)))
    }

    fn read_stats(&mut self) -> Vec<Action> {
        let workers = matches!(self.proof, Some(DrainProof::Horizon { .. }));
        self.request(Pending::Stats, Action::ReadLbStats { workers })
    }

    /// Before a kill (or a delete, `tasks` empty): with [`DrainProof::Pids`]
    /// ask every LB for its pids; the other proofs were checked already.
    fn older_workers_check(&mut self, tasks: Vec<String>) -> Vec<Action> {
        if matches!(self.proof, Some(DrainProof::Pids) | None) {
            return self.request(Pending::Pids(tasks), Action::ReadLbPids);
        }
        self.before_kill(tasks)
    }

    fn start_counts(&self, goal: &Goal) -> (u32, u32) {
        let find = |id: &str| {
            self.snapshot
                .apps
                .iter()
                .find(|a| a.id == id)
                .map(|a| a.instances)
        };
        let grower = find(&goal.grower)
            .or_else(|| {
                self.new_app
                    .as_ref()
                    .and_then(|a| a.get("instances"))
                    .and_then(Value::as_u64)
                    .map(|n| n as u32)
            })
            .unwrap_or(0);
        let shrinker = goal.shrinker.as_deref().and_then(find).unwrap_or(0);
        (grower, shrinker)
    }

    fn app(&self, id: &str) -> Option<&App> {
        self.snapshot.apps.iter().find(|a| a.id == id)
    }

    /// Whether marathon-lb calls the growing app new (and drains the
    /// shrinking one), merging the two in the order Marathon lists them. When
    /// it cannot merge them it keeps its last configuration, which has not
    /// drained the shrinking app either: then the drain wait's bound decides.
    fn lb_calls_new(&self, grower: &App, shrinker: &App) -> bool {
        self.lb_view(grower, shrinker)
            .is_none_or(|view| view.new == grower.id)
    }

    /// marathon-lb's merge of the two apps in the order Marathon lists
    /// them, or None when it cannot merge them.
    fn lb_view(&self, grower: &App, shrinker: &App) -> Option<merge::MergeView> {
        let position = |app: &App| self.snapshot.apps.iter().position(|a| a.id == app.id);
        let (earlier, later) = if position(shrinker) < position(grower) {
            (shrinker, grower)
        } else {
            (grower, shrinker)
        };
        merge::merge_view(earlier, later).ok()
    }

    fn counts(&self, app: &App) -> AppCounts {
        AppCounts {
            app: app.id.clone(),
            colour: app
                .label(labels::DEPLOYMENT_COLOUR)
                .unwrap_or("")
                .to_string(),
            instances: app.instances,
            running: app.tasks.iter().filter(|t| t.is_running()).count() as u32,
            healthy: health::healthy_count(app),
        }
    }

    /// Notes progress; returns true when nothing moved for `--max-wait`.
    fn stalled(&mut self, now: Instant, key: [u32; 6]) -> bool {
        match self.progress {
            Some((since, last)) if last == key => now.duration_since(since) >= self.config.max_wait,
            _ => {
                self.progress = Some((now, key));
                false
            }
        }
    }

    /// Decides the next step from a fresh snapshot.
    fn reconcile(&mut self, now: Instant) -> Vec<Action> {
        let Some(goal) = self.goal.clone() else {
            return Vec::new();
        };
        let Some(grower) = self.app(&goal.grower).cloned() else {
            if let Some(conflict) = self.create_conflict.take() {
                return vec![finish_stopped(
                    StopReason::CreateConflict,
                    format!(
                        "Marathon already has an app {} outside deployment group {} ({conflict}); nothing was changed",
                        goal.grower, self.config.group
                    ),
                    Some(Hint::RemoveOrRename {
                        app: goal.grower.clone(),
                    }),
                )];
            }
            if let Some(app) = self.new_app.clone() {
                return self.create(app);
            }
            return vec![finish_stopped(
                StopReason::AppVanished,
                format!("app {} disappeared from Marathon", goal.grower),
                None,
            )];
        };
        if let Some(conflict) = self.create_conflict.take()
            && let Some(ours) = self
                .new_app
                .as_ref()
                .and_then(|a| a["labels"][labels::DEPLOYMENT_STARTED_AT].as_str())
            && grower.label(labels::DEPLOYMENT_STARTED_AT) != Some(ours)
        {
            return vec![finish_stopped(
                StopReason::CreateConflict,
                format!(
                    "another deploy of group {} created {} while this one was starting ({}={}, this run's {ours}; Marathon said: {conflict}); this run changed nothing and stops",
                    self.config.group,
                    grower.id,
                    labels::DEPLOYMENT_STARTED_AT,
                    grower
                        .label(labels::DEPLOYMENT_STARTED_AT)
                        .unwrap_or("none"),
                ),
                Some(Hint::LetOtherFinish {
                    group: self.config.group.clone(),
                }),
            )];
        }
        let shrinker = goal
            .shrinker
            .as_deref()
            .and_then(|id| self.app(id))
            .cloned();
        let healthy = health::healthy_count(&grower);
        let shrink_instances = shrinker.as_ref().map_or(0, |s| s.instances);
        let shrink_tasks = shrinker.as_ref().map_or(0, |s| s.tasks.len() as u32);
        let lb_key = self.progress.map_or(0, |(_, k)| k[5]);
        let key = [
            grower.instances,
            healthy,
            grower.tasks.len() as u32,
            shrink_instances,
            shrink_tasks,
            lb_key,
        ];
        let stalled = self.stalled(now, key);
        // The shrinking app's own deployment holds the deploy back, except
        // once the growing app is at its size and the shrinking one is to go:
        // then all that is left is its delete, which overrides that
        // deployment (a rollback of a release whose tasks never got healthy
        // would otherwise wait for a deployment that never ends).
        let shrinker_goes = goal.delete_shrinker && grower.instances >= goal.want_grower;
        let busy = !grower.deployments.is_empty()
            || (!shrinker_goes && shrinker.as_ref().is_some_and(|s| !s.deployments.is_empty()));
        let phase = if busy {
            "waiting for Marathon's deployment"
        } else if healthy < grower.instances {
            "waiting for healthy tasks"
        } else {
            "checking marathon-lb"
        };
        let mut actions = vec![self.progress_event(phase, &grower, shrinker.as_ref(), Vec::new())];
        let lb_drains_grower = shrinker
            .as_ref()
            .is_some_and(|s| !self.lb_calls_new(&grower, s));
        let room = self.config.surge
            || grower.instances + shrink_instances <= goal.target
            || lb_drains_grower;
        if grower.instances < goal.want_grower && room && !busy {
            let next = if self.config.surge {
                goal.want_grower
            } else {
                plan::grow(
                    grower.instances,
                    goal.want_grower,
                    shrink_instances,
                    self.config.linear_increase,
                )
            };
            actions.push(Action::Notify(DeployEvent::Scaled {
                app: grower.id.clone(),
                instances: next,
            }));
            actions.extend(self.request(
                Pending::Scale,
                Action::Scale {
                    app: grower.id.clone(),
                    instances: next,
                },
            ));
            return actions;
        }
        if busy || healthy < grower.instances {
            if stalled {
                let why = health::unhealthy_reason(&grower)
                    .unwrap_or_else(|| "Marathon's deployment did not finish".into());
                actions.push(finish_stopped(
                    StopReason::Unhealthy,
                    format!(
                        "{} did not become healthy within --max-wait ({} s): {why}; {} was not touched",
                        grower.id,
                        self.config.max_wait.as_secs(),
                        shrinker.as_ref().map_or("no other app".to_string(), |s| s.id.clone()),
                    ),
                    self.resume_hint(),
                ));
                return actions;
            }
            actions.extend(self.wait(now, self.config.step_delay));
            return actions;
        }
        match shrinker {
            None if goal.shrinker.is_some() => {
                actions.push(done(format!(
                    "{} runs {} healthy instance(s)",
                    grower.id, grower.instances
                )));
            }
            None => actions.extend(self.read_stats()),
            Some(s) if s.instances <= goal.want_shrinker && !goal.delete_shrinker => {
                actions.push(done(format!(
                    "split in place: {} runs {} instance(s), {} runs {}",
                    grower.id, grower.instances, s.id, s.instances
                )));
            }
            Some(s) if s.instances == 0 && s.tasks.is_empty() => {
                actions.extend(self.confirm_delete());
            }
            Some(_) => actions.extend(self.read_stats()),
        }
        actions
    }

    fn progress_event(
        &self,
        phase: &str,
        grower: &App,
        shrinker: Option<&App>,
        lbs: Vec<LbCounts>,
    ) -> Action {
        Action::Notify(DeployEvent::Progress {
            phase: phase.into(),
            new: self.counts(grower),
            old: shrinker.map(|s| self.counts(s)),
            lbs,
        })
    }

    /// Per-LB counts for progress lines.
    fn lb_counts(backend: &str, samples: &[LbSample]) -> Vec<LbCounts> {
        samples
            .iter()
            .map(|s| match &s.rows {
                Ok(rows) => {
                    let servers: Vec<_> = stats::servers(rows, backend).collect();
                    LbCounts {
                        lb: s.url.clone(),
                        up: servers.iter().filter(|r| r.is_up()).count() as u32,
                        draining: servers.iter().filter(|r| r.is_maint()).count() as u32,
                        sessions: servers
                            .iter()
                            .filter(|r| r.is_maint())
                            .map(|r| r.scur + r.qcur)
                            .sum(),
                        error: None,
                    }
                }
                Err(e) => LbCounts {
                    lb: s.url.clone(),
                    up: 0,
                    draining: 0,
                    sessions: 0,
                    error: Some(e.clone()),
                },
            })
            .collect()
    }

    /// With fresh LB stats: kill drained tasks, delete the old app, or wait.
    fn drain_decision(&mut self, samples: Vec<LbSample>, now: Instant) -> Vec<Action> {
        let Some(goal) = self.goal.clone() else {
            return Vec::new();
        };
        let Some(grower) = self.app(&goal.grower).cloned() else {
            return self.request(Pending::List, Action::ListGroup);
        };
        let shrinker = goal
            .shrinker
            .as_deref()
            .and_then(|id| self.app(id))
            .cloned();
        let lbs = Self::lb_counts(&goal.backend, &samples);
        let Some(shrinker) = shrinker else {
            let report = drain::drain_report(&[], &goal.backend, &samples, &self.snapshot.host_ips);
            let mut actions = vec![self.progress_event(
                "waiting for marathon-lb to list the new tasks",
                &grower,
                None,
                lbs,
            )];
            if report.min_up >= goal.want_grower && report.unreachable.is_empty() {
                actions.push(done(format!(
                    "{} runs {} healthy instance(s), UP on {} marathon-lb instance(s)",
                    grower.id,
                    grower.instances,
                    samples.len()
                )));
                return actions;
            }
            if self.stalled_lb(now, &report) {
                actions.push(self.lb_timeout(&report, &goal));
                return actions;
            }
            actions.extend(self.wait(now, self.lb_poll()));
            return actions;
        };
        let mut actions = vec![self.progress_event("draining", &grower, Some(&shrinker), lbs)];
        let capacity_ok = |report: &DrainReport| {
            report.min_up >= goal.target.min(grower.instances + shrinker.instances)
        };
        if !self.lb_calls_new(&grower, &shrinker) && grower.instances >= goal.want_grower {
            // marathon-lb calls the shrinking app new (it was scaled last) and
            // drains the growing one, which is already at its size: killing
            // those drained tasks (with scale) makes the growing app the one
            // scaled last, and the next round grows it back.
            let report =
                self.provable_drain(&grower, &grower, &goal.backend, &samples, now, &mut actions);
            if !report.drained.is_empty() && capacity_ok(&report) {
                self.kill_from = grower.id.clone();
                actions.extend(self.older_workers_check(report.drained));
                return actions;
            }
        }
        self.kill_from = shrinker.id.clone();
        let report = self.provable_drain(
            &shrinker,
            &grower,
            &goal.backend,
            &samples,
            now,
            &mut actions,
        );
        let capacity_ok = capacity_ok(&report);
        let all_drained = report.drained.len() == shrinker.tasks.len()
            && shrinker.tasks.len() as u32 >= shrinker.instances.min(1);
        if goal.delete_shrinker
            && grower.instances >= goal.want_grower
            && all_drained
            && capacity_ok
        {
            actions.extend(self.older_workers_check(Vec::new()));
            return actions;
        }
        // Once the growing app is at its size and the old app goes away,
        // its drained tasks are not killed one by one: each kill (with
        // scale) makes the old app the one scaled last, which marathon-lb
        // takes for the new one, draining healthy new tasks and costing a
        // reload; the delete that follows once all are drained does both.
        let grower_full = goal.delete_shrinker && grower.instances >= goal.want_grower;
        let room = shrinker.instances.saturating_sub(goal.want_shrinker) as usize;
        let mut killable = report.drained.clone();
        killable.sort();
        killable.truncate(room);
        if !killable.is_empty() && capacity_ok && !grower_full {
            actions.extend(self.older_workers_check(killable));
            return actions;
        }
        if self.stalled_lb(now, &report) {
            if self.config.force_kill_after_max_wait
                && !report.draining.is_empty()
                && report.unreachable.is_empty()
            {
                let mut tasks = report.draining.clone();
                tasks.truncate(room.max(1));
                actions.push(Action::Notify(DeployEvent::Blocked {
                    blockers: report.blockers.clone(),
                }));
                actions.extend(self.before_kill(tasks));
                return actions;
            }
            actions.push(self.lb_timeout(&report, &goal));
            return actions;
        }
        actions.extend(self.wait(now, self.lb_poll()));
        actions
    }

    fn stalled_lb(&mut self, now: Instant, report: &DrainReport) -> bool {
        let mut key = self.progress.map(|(_, k)| k).unwrap_or_default();
        key[5] = report.drained.len() as u32 + 1000 * report.min_up.min(1000);
        self.stalled(now, key)
    }

    fn lb_timeout(&self, report: &DrainReport, goal: &Goal) -> Action {
        let (reason, what) = if report.unreachable.is_empty() {
            (
                StopReason::NotDrained {
                    blockers: report.blockers.clone(),
                },
                "tasks did not drain".to_string(),
            )
        } else {
            let lbs: Vec<String> = report
                .unreachable
                .iter()
                .map(|(u, e)| format!("{u} ({e})"))
                .collect();
            (
                StopReason::LbUnreachable,
                format!("marathon-lb could not be read: {}", lbs.join(", ")),
            )
        };
        let blockers: Vec<String> = report
            .blockers
            .iter()
            .map(|b| {
                format!(
                    "{}: server {} of task {} is {} with {} session(s)",
                    b.lb, b.addr, b.task, b.status, b.sessions
                )
            })
            .collect();
        let detail = if blockers.is_empty() {
            String::new()
        } else {
            format!("\n  {}", blockers.join("\n  "))
        };
        finish_stopped(
            reason,
            format!(
                "no progress within --max-wait ({} s) in backend {}: {what}; no undrained task was killed{detail}",
                self.config.max_wait.as_secs(),
                goal.backend
            ),
            self.resume_hint(),
        )
    }

    /// After the HAProxy reload check: the drain metric, then the hook and a
    /// prompt before a kill, or a prompt before deleting the drained app
    /// (`tasks` empty). With `--drain-metric`, a delete waits until every
    /// task left in the app reads 0, as a kill does.
    fn before_kill(&mut self, tasks: Vec<String>) -> Vec<Action> {
        let app = self.kill_from.clone();
        let delete = tasks.is_empty();
        let checked = if delete {
            self.app(&app)
                .map(|a| a.tasks.iter().map(|t| t.id.clone()).collect())
                .unwrap_or_default()
        } else {
            tasks
        };
        if let Some(metric) = &self.config.drain_metric
            && !checked.is_empty()
        {
            let tasks = self
                .app(&app)
                .map(|a| a.tasks.as_slice())
                .unwrap_or_default();
            let targets = checked
                .iter()
                .filter_map(|id| tasks.iter().find(|t| &t.id == id))
                .map(|t| {
                    let port = t.ports.first().copied().unwrap_or(0);
                    (t.id.clone(), metric.url_for(&t.host, port))
                })
                .collect();
            return self.request(
                Pending::Metric {
                    tasks: checked,
                    delete,
                },
                Action::ReadDrainMetric { targets },
            );
        }
        self.after_metric(if delete { Vec::new() } else { checked })
    }

    /// The tasks whose metric body does not clearly read 0 (unreadable ones
    /// included). A task Marathon no longer lists was not asked, and is not
    /// busy.
    fn busy_tasks(&self, bodies: &[(String, Result<String, String>)]) -> Vec<String> {
        let Some(metric) = &self.config.drain_metric else {
            return Vec::new();
        };
        bodies
            .iter()
            .filter(|(_, body)| !body.as_ref().is_ok_and(|b| metric.reader.is_idle(b)))
            .map(|(task, _)| task.clone())
            .collect()
    }

    /// Deletes the app when all of it reads 0; else kills what reads 0 and
    /// waits for the rest, until `--max-wait` passes without progress.
    fn metric_answer(
        &mut self,
        tasks: Vec<String>,
        delete: bool,
        busy: &[String],
        now: Instant,
    ) -> Vec<Action> {
        if delete && busy.is_empty() {
            return self.after_metric(Vec::new());
        }
        // Before a delete the idle tasks are not killed one by one: the
        // growing app is at its size, and a kill with scale would make the
        // old app the one marathon-lb calls new (see `drain_decision`).
        let ready: Vec<String> = tasks.into_iter().filter(|t| !busy.contains(t)).collect();
        if !ready.is_empty() && !delete {
            return self.after_metric(ready);
        }
        let key = self.progress.map(|(_, k)| k).unwrap_or_default();
        if self.stalled(now, key) {
            return vec![finish_stopped(
                StopReason::DrainMetricBusy {
                    tasks: busy.to_vec(),
                },
                format!(
                    "no progress within --max-wait ({} s): task(s) {} of {} still report pending work on --drain-metric; no task was killed",
                    self.config.max_wait.as_secs(),
                    busy.join(", "),
                    self.kill_from
                ),
                self.resume_hint(),
            )];
        }
        let mut actions = vec![Action::Notify(DeployEvent::MetricBusy {
            app: self.kill_from.clone(),
            tasks: busy.to_vec(),
        })];
        actions.extend(self.wait(now, self.lb_poll()));
        actions
    }

    fn after_metric(&mut self, tasks: Vec<String>) -> Vec<Action> {
        if tasks.is_empty() {
            return self.confirm_delete();
        }
        let Some(goal) = self.goal.clone() else {
            return Vec::new();
        };
        if self.config.pre_kill_hook {
            let other = if self.kill_from == goal.grower {
                goal.shrinker.clone().unwrap_or_default()
            } else {
                goal.grower.clone()
            };
            let action = Action::RunHook {
                old: self.kill_from.clone(),
                tasks: tasks.clone(),
                new: other,
            };
            return self.request(Pending::Hook(tasks), action);
        }
        self.confirm_kill(tasks)
    }

    fn confirm_kill(&mut self, tasks: Vec<String>) -> Vec<Action> {
        if self.config.force {
            return self.kill(tasks);
        }
        let question = Question::KillDrained {
            tasks: tasks.clone(),
        };
        self.request(Pending::ConfirmKill(tasks), Action::Confirm(question))
    }

    fn kill(&mut self, tasks: Vec<String>) -> Vec<Action> {
        let app = self.kill_from.clone();
        let mut actions = vec![Action::Notify(DeployEvent::Killing {
            app: app.clone(),
            tasks: tasks.clone(),
        })];
        actions.extend(self.request(Pending::Kill, Action::Kill { app, tasks }));
        actions
    }

    fn confirm_delete(&mut self) -> Vec<Action> {
        if self.config.force {
            return self.delete();
        }
        let app = self
            .goal
            .as_ref()
            .and_then(|g| g.shrinker.clone())
            .unwrap_or_default();
        self.request(
            Pending::ConfirmDelete,
            Action::Confirm(Question::DeleteDrained { app }),
        )
    }

    fn delete(&mut self) -> Vec<Action> {
        let Some(goal) = self.goal.as_mut() else {
            return Vec::new();
        };
        let Some(app) = goal.shrinker.clone() else {
            return Vec::new();
        };
        goal.delete_shrinker = false;
        let force = self.app(&app).is_some_and(|a| !a.deployments.is_empty());
        let mut actions = vec![Action::Notify(DeployEvent::Deleted {
            app: app.clone(),
            cancelled_deployment: force,
        })];
        actions.extend(self.request(Pending::Delete, Action::Delete { app, force }));
        actions
    }

    /// A request failed: 409 (a deployment holds the app), 5xx and transport
    /// errors are retried after a fresh look until `--max-wait` passes with
    /// no progress; anything else stops the run.
    fn failed(&mut self, failure: Failure, now: Instant) -> Vec<Action> {
        let Some(pending) = self.pending.take() else {
            return Vec::new();
        };
        let retryable = match failure.kind {
            FailureKind::NoAnswer => true,
            FailureKind::Status(s) => s == 409 || s >= 500,
            FailureKind::Tls | FailureKind::Auth => false,
        };
        if pending == Pending::Delete && failure.kind == FailureKind::Status(404) {
            return self.request(Pending::List, Action::ListGroup);
        }
        if pending == Pending::List && self.goal.is_none() && failure.kind == FailureKind::NoAnswer
        {
            // The first look at Marathon: nothing was changed, and a
            // Marathon that cannot be reached now is a wrong -m or cluster
            // far more often than a blip worth waiting --max-wait for.
            return vec![finish_stopped(
                StopReason::MarathonUnreachable,
                format!(
                    "{} failed: {}; nothing was changed",
                    pending.describe(),
                    failure.message
                ),
                None,
            )];
        }
        if pending == Pending::Create && failure.kind == FailureKind::Status(409) {
            self.create_conflict = Some(failure.message);
            return self.request(Pending::List, Action::ListGroup);
        }
        let key = self.progress.map(|(_, k)| k).unwrap_or_default();
        let stalled = self.stalled(now, key);
        if !retryable || stalled {
            let hint = if pending == Pending::Create && failure.kind == FailureKind::Status(422) {
                Some(Hint::Text(
                    "check that both service ports (the app's and HAPROXY_DEPLOYMENT_ALT_PORT) are free".into(),
                ))
            } else {
                self.resume_hint()
            };
            return vec![finish_stopped(
                StopReason::RequestFailed {
                    request: pending.request(),
                    kind: failure.kind,
                },
                format!("{} failed: {}", pending.describe(), failure.message),
                hint,
            )];
        }
        if pending == Pending::Delete
            && let Some(goal) = self.goal.as_mut()
        {
            goal.delete_shrinker = true;
        }
        let mut actions = Vec::new();
        if self.last_failure.as_deref() != Some(failure.message.as_str()) {
            actions.push(Action::Notify(DeployEvent::Retrying {
                what: pending.describe().into(),
                error: failure.message.clone(),
            }));
        }
        self.last_failure = Some(failure.message);
        actions.extend(self.wait(now, self.retry_delay()));
        actions
    }
}

fn in_progress(group: &str) -> Vec<Action> {
    vec![finish_stopped(
        StopReason::AlreadyDeploying,
        format!("There appears to be an existing deployment in progress in group {group}"),
        Some(Hint::FinishInProgress),
    )]
}

fn single_goal(only: &App, group: &str) -> Goal {
    let GroupState { target, port, .. } = GroupState::of(&[only]).expect("one app");
    Goal {
        grower: only.id.clone(),
        shrinker: None,
        want_grower: target,
        want_shrinker: 0,
        target,
        delete_shrinker: false,
        backend: rules::group_backend_name(group, port),
    }
}

fn str_field(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn done(message: String) -> Action {
    Action::Finish(Outcome::Done(message))
}

fn finish_stopped(reason: StopReason, message: String, hint: Option<Hint>) -> Action {
    Action::Finish(Outcome::Stopped {
        reason,
        message,
        hint,
    })
}

#[cfg(test)]
#[path = "transcript_tests/mod.rs"]
mod transcript_tests;
