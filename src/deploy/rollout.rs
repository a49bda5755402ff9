//! A step plan as a sans-IO state machine (pure: no I/O, no clock): walk the
//! canary through its steps (each a split move), analyse every step from
//! marathon-lb's counters ([`analysis`]) for its pause, promote after the
//! last one, and roll back on its own when an analysis fails.
//!
//! [`Rollout::handle`] takes one [`Input`] and the time and returns the
//! [`Action`]s to run; [`Rollout::poll_timeout`] says when to send
//! [`Input::Timer`]. A move is a whole deploy-machine run, done by the
//! driver; everything the plan needs to resume is in the new app's labels
//! and Marathon's state, so the plan itself keeps nothing that a crash
//! would lose.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::deploy::analysis::{
    self, CanaryHealth, Figures, Look, Side, Thresholds, Verdict, Window,
};

/// How long a step's analysis runs before the plan moves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pause {
    /// This long, then on when the analysis passes.
    For(Duration),
    /// Until the analysis passes; then the run ends and `--resume`,
    /// `promote` or `rollback` goes on.
    Manual,
}

/// The plan, as the user asked for it and as the new app's label keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The new app's instances at each canary step (each below the target).
    pub steps: Vec<u32>,
    /// The group's target: the promotion.
    pub target: u32,
    /// Each step's pause.
    pub pause: Pause,
    /// When a look passes.
    pub thresholds: Thresholds,
    /// Between two looks.
    pub interval: Duration,
    /// Failed looks a step tolerates (Argo's failureLimit).
    pub failure_limit: u32,
    /// Passing looks in a row a step needs at its end (Argo's
    /// consecutiveSuccessLimit).
    pub consecutive_successes: u32,
    /// How long past its pause a step may stay inconclusive before the
    /// plan stops (resumable).
    pub max_inconclusive: Duration,
    /// Roll back when an analysis fails (`--no-rollback`: stop instead).
    pub rollback: bool,
}

impl Plan {
    /// The step a split with `new_instances` on the new app stands at
    /// (0-based): the first step it has not passed; `steps.len()` is the
    /// promotion.
    pub fn position(&self, new_instances: u32) -> usize {
        self.steps
            .iter()
            .position(|n| *n >= new_instances)
            .unwrap_or(self.steps.len())
    }

    /// The pause in words: `120 s`, or `manual`.
    pub fn pause_text(&self) -> String {
        match self.pause {
            Pause::For(d) => format!("{} s", d.as_secs_f64()),
            Pause::Manual => "manual".into(),
        }
    }
}

/// What the driver must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Move the split to this many new instances (the first move creates
    /// the new app), with one deploy-machine run (→ [`Input::Moved`]).
    Step(u32),
    /// Every instance to the new app (→ [`Input::Moved`]).
    Promote,
    /// Every instance back to the old app (→ [`Input::Moved`]).
    RollBack,
    /// Read every LB's counters and Marathon's view of the canary
    /// (→ [`Input::Looked`]).
    Look,
    /// Tell the user.
    Notify(Event),
    /// The run is over.
    Finish(Outcome),
}

/// What the machine reacts to.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Begin at this step (0 for a new plan; the step reached on resume).
    Start(usize),
    /// A move ended: `None` done, `Some(code)` stopped with that exit code.
    Moved(Option<u8>),
    /// Answer to [`Action::Look`].
    Looked {
        /// Every LB's counters.
        looks: Vec<Look>,
        /// The app of each server address.
        sides: Vec<(String, Side)>,
        /// Marathon's view of the canary.
        health: CanaryHealth,
        /// Why `--analysis-hook` failed this look, if it did.
        hook_failure: Option<String>,
    },
    /// The deadline passed.
    Timer,
    /// Ctrl-C.
    Interrupted,
}

/// What the plan reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A step's analysis begins.
    StepStarted {
        /// 1-based.
        step: usize,
        /// Of this many.
        steps: usize,
        /// New instances.
        new_instances: u32,
        /// Of the target.
        target: u32,
    },
    /// One look's verdict.
    Analysis {
        /// 1-based.
        step: usize,
        /// The canary's figures.
        new: Figures,
        /// The stable app's figures.
        old: Figures,
        /// The canary's share of the picks.
        new_share: Option<f64>,
        /// Counter resets seen in the step.
        resets: u32,
        /// Marathon's view.
        health: CanaryHealth,
        /// The verdict and its rule.
        #[serde(flatten)]
        verdict: Verdict,
    },
}

/// How the plan ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Every step passed; all instances run the new app.
    Promoted,
    /// A step's analysis failed and the old app was restored.
    RolledBack {
        /// 1-based.
        step: usize,
        /// The rule.
        rule: String,
        /// Responses the canary gave in that step (what reached the bad
        /// version).
        canary_requests: u64,
    },
    /// A step's analysis failed; `--no-rollback` left the split as it is.
    Failed {
        /// 1-based.
        step: usize,
        /// The rule.
        rule: String,
    },
    /// A manual gate: the step passed; the user goes on.
    Paused {
        /// 1-based.
        step: usize,
    },
    /// Stopped resumable: a move stopped (its exit code), or the analysis
    /// stayed inconclusive.
    Stopped {
        /// 1-based.
        step: usize,
        /// The exit code to give (a move's own).
        code: Option<u8>,
        /// Why.
        why: String,
    },
    /// Ctrl-C.
    Interrupted {
        /// 1-based.
        step: usize,
    },
}

#[derive(Debug, Clone)]
enum Phase {
    Moving,
    Promoting,
    RollingBack { rule: String, canary_requests: u64 },
    Analysing(Analysis),
    Over,
}

#[derive(Debug, Clone)]
struct Analysis {
    window: Window,
    started: Instant,
    looks: u32,
    failures: u32,
    successes: u32,
    looking: bool,
}

/// The step-plan machine.
#[derive(Debug)]
pub struct Rollout {
    plan: Plan,
    step: usize,
    phase: Phase,
    deadline: Option<Instant>,
}

impl Rollout {
    /// A machine for the plan.
    pub fn new(plan: Plan) -> Self {
        Self {
            plan,
            step: 0,
            phase: Phase::Over,
            deadline: None,
        }
    }

    /// When to send [`Input::Timer`].
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.deadline
    }

    /// Reacts to one input.
    pub fn handle(&mut self, input: Input, now: Instant) -> Vec<Action> {
        self.deadline = None;
        match (std::mem::replace(&mut self.phase, Phase::Over), input) {
            (_, Input::Start(step)) => {
                self.step = step.min(self.plan.steps.len());
                self.next_move()
            }
            (_, Input::Interrupted) => self.finish(Outcome::Interrupted {
                step: self.step + 1,
            }),
            (
                Phase::Moving | Phase::Promoting | Phase::RollingBack { .. },
                Input::Moved(Some(code)),
            ) => self.finish(Outcome::Stopped {
                step: self.step + 1,
                code: Some(code),
                why: "the move stopped; the group is left resumable".into(),
            }),
            (Phase::Moving, Input::Moved(None)) => self.begin_analysis(now),
            (Phase::Promoting, Input::Moved(None)) => self.finish(Outcome::Promoted),
            (
                Phase::RollingBack {
                    rule,
                    canary_requests,
                },
                Input::Moved(None),
            ) => self.finish(Outcome::RolledBack {
                step: self.step + 1,
                rule,
                canary_requests,
            }),
            (Phase::Analysing(mut a), Input::Timer) if !a.looking => {
                a.looking = true;
                self.phase = Phase::Analysing(a);
                vec![Action::Look]
            }
            (
                Phase::Analysing(a),
                Input::Looked {
                    looks,
                    sides,
                    health,
                    hook_failure,
                },
            ) if a.looking => self.judge(a, &looks, &sides, &health, hook_failure, now),
            (phase, _) => {
                self.phase = phase;
                Vec::new()
            }
        }
    }

    /// The next step's move, or the promotion after the last.
    fn next_move(&mut self) -> Vec<Action> {
        match self.plan.steps.get(self.step) {
            Some(&n) => {
                self.phase = Phase::Moving;
                vec![Action::Step(n)]
            }
            None => {
                self.phase = Phase::Promoting;
                vec![Action::Promote]
            }
        }
    }

    fn begin_analysis(&mut self, now: Instant) -> Vec<Action> {
        self.phase = Phase::Analysing(Analysis {
            window: Window::default(),
            started: now,
            looks: 0,
            failures: 0,
            successes: 0,
            looking: true,
        });
        vec![
            Action::Notify(Event::StepStarted {
                step: self.step + 1,
                steps: self.plan.steps.len(),
                new_instances: self.plan.steps[self.step],
                target: self.plan.target,
            }),
            Action::Look,
        ]
    }

    fn judge(
        &mut self,
        mut a: Analysis,
        looks: &[Look],
        sides: &[(String, Side)],
        health: &CanaryHealth,
        hook_failure: Option<String>,
        now: Instant,
    ) -> Vec<Action> {
        a.window.observe(looks, |addr| {
            sides.iter().find(|(a, _)| a == addr).map(|(_, s)| *s)
        });
        a.looks += 1;
        a.looking = false;
        if a.looks == 1 {
            // The baseline: counters from before the step do not count.
            return self.wait(a, now);
        }
        let verdict = match hook_failure {
            Some(why) => Verdict::Fail(format!("--analysis-hook: {why}")),
            None => analysis::judge(&a.window, health, &self.plan.thresholds),
        };
        let event = Action::Notify(Event::Analysis {
            step: self.step + 1,
            new: a.window.new.clone(),
            old: a.window.old.clone(),
            new_share: a.window.new_share(),
            resets: a.window.resets,
            health: health.clone(),
            verdict: verdict.clone(),
        });
        let elapsed = now.duration_since(a.started);
        let pause_over = match self.plan.pause {
            Pause::For(d) => elapsed >= d,
            Pause::Manual => true,
        };
        let mut actions = vec![event];
        match verdict {
            Verdict::Fail(rule) => {
                a.failures += 1;
                a.successes = 0;
                if a.failures > self.plan.failure_limit {
                    actions.extend(self.failed(rule, a.window.new.requests));
                    return actions;
                }
            }
            Verdict::Pass(_) => {
                a.successes += 1;
                if pause_over && a.successes >= self.plan.consecutive_successes {
                    if self.plan.pause == Pause::Manual {
                        actions.extend(self.finish(Outcome::Paused {
                            step: self.step + 1,
                        }));
                        return actions;
                    }
                    self.step += 1;
                    actions.extend(self.next_move());
                    return actions;
                }
            }
            Verdict::Inconclusive(why) => {
                a.successes = 0;
                let bound = match self.plan.pause {
                    Pause::For(d) => d + self.plan.max_inconclusive,
                    Pause::Manual => self.plan.max_inconclusive,
                };
                if elapsed >= bound {
                    actions.extend(self.finish(Outcome::Stopped {
                        step: self.step + 1,
                        code: None,
                        why: format!(
                            "the analysis stayed inconclusive for {} s: {why}",
                            elapsed.as_secs()
                        ),
                    }));
                    return actions;
                }
            }
        }
        actions.extend(self.wait(a, now));
        actions
    }

    fn wait(&mut self, a: Analysis, now: Instant) -> Vec<Action> {
        self.phase = Phase::Analysing(a);
        self.deadline = Some(now + self.plan.interval);
        Vec::new()
    }

    fn failed(&mut self, rule: String, canary_requests: u64) -> Vec<Action> {
        if !self.plan.rollback {
            return self.finish(Outcome::Failed {
                step: self.step + 1,
                rule,
            });
        }
        self.phase = Phase::RollingBack {
            rule,
            canary_requests,
        };
        vec![Action::RollBack]
    }

    fn finish(&mut self, outcome: Outcome) -> Vec<Action> {
        self.phase = Phase::Over;
        vec![Action::Finish(outcome)]
    }
}

#[cfg(test)]
#[path = "rollout_tests.rs"]
mod tests;
