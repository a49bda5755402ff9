//! What a deploy reports while it runs (pure: data only). The driver hands
//! each [`DeployEvent`] to the Ui (a line per step, or NDJSON with `--json`);
//! events never steer the deploy.

use serde::Serialize;

use crate::deploy::drain::Blocker;
use crate::deploy::plan::PlanStep;

/// Instance counts of one app of the group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppCounts {
    /// The app id.
    pub app: String,
    /// `blue` or `green`.
    pub colour: String,
    /// Target instances.
    pub instances: u32,
    /// Running tasks.
    pub running: u32,
    /// Healthy tasks.
    pub healthy: u32,
}

/// One LB's view of the group's backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LbCounts {
    /// The LB's URL.
    pub lb: String,
    /// Servers UP.
    pub up: u32,
    /// Servers in MAINT (draining).
    pub draining: u32,
    /// Sessions on draining servers.
    pub sessions: u64,
    /// Why the LB could not be read, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Progress of a deploy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum DeployEvent {
    /// What will happen.
    Plan {
        /// The deployment group.
        group: String,
        /// The app that grows.
        new_app: String,
        /// The app that shrinks, if any.
        old_app: Option<String>,
        /// Where the group ends.
        target: u32,
        /// The steps, in instance counts.
        steps: Vec<PlanStep>,
    },
    /// The new app was created.
    Created {
        /// The app.
        app: String,
        /// Its first instance count.
        instances: u32,
    },
    /// An app was scaled.
    Scaled {
        /// The app.
        app: String,
        /// Its new instance count.
        instances: u32,
    },
    /// The state of the group after a look at Marathon (and the LBs).
    Progress {
        /// What the deploy waits for now.
        phase: String,
        /// The growing app.
        new: AppCounts,
        /// The shrinking app.
        #[serde(skip_serializing_if = "Option::is_none")]
        old: Option<AppCounts>,
        /// Per-LB state of the backend (empty until read).
        lbs: Vec<LbCounts>,
    },
    /// Drained tasks are being killed (with `scale=true`).
    Killing {
        /// The app.
        app: String,
        /// The tasks.
        tasks: Vec<String>,
    },
    /// The old app was deleted.
    Deleted {
        /// The app.
        app: String,
        /// Whether the delete cancelled the app's deployment in progress.
        cancelled_deployment: bool,
    },
    /// A request failed and will be retried.
    Retrying {
        /// What was tried.
        what: String,
        /// Why it failed.
        error: String,
    },
    /// A kill waits for old HAProxy processes (workers from before a
    /// reload, which still serve the connections they had) to exit.
    OldHaproxy {
        /// Per LB: what keeps the kill waiting (its process count, or why
        /// it could not be read).
        lbs: Vec<String>,
        /// How long the kill has waited for them, in whole seconds.
        waited_s: u64,
        /// `--max-wait`, in seconds: the wait's bound.
        max_wait_s: u64,
    },
    /// A planned step outside the plan's counts: marathon-lb takes the
    /// shrinking app for the new one (it was scaled last, as after an
    /// interrupted deploy) and drains the growing app, which is already at
    /// its size. Only killing its drained tasks with scale makes it the one
    /// scaled last; the next round starts them again.
    Swap {
        /// The app that grows.
        grower: String,
        /// The app that shrinks.
        shrinker: String,
    },
    /// How kills are proven safe from older HAProxy workers, and why.
    DrainProof {
        /// `pids`, `horizon` or `metric` (see `--drain-proof`).
        proof: String,
        /// Why, for the user.
        why: String,
    },
    /// One LB's reload horizon for the group's backend.
    Horizon {
        /// The LB's URL.
        lb: String,
        /// How long an older worker may still send to a task that left
        /// service, in milliseconds.
        horizon_ms: u64,
        /// How it was found.
        why: String,
    },
    /// Drained tasks that wait until no older HAProxy worker can send to them.
    HorizonWait {
        /// How many.
        tasks: u32,
        /// When the first of them can be killed, in whole seconds.
        ready_in_s: u64,
        /// The longest horizon of the LBs, in whole seconds.
        horizon_s: u64,
    },
    /// Servers that still hold sessions at the time of a decision.
    Blocked {
        /// Per LB and server.
        blockers: Vec<Blocker>,
    },
    /// Drained tasks whose `--drain-metric` does not read 0 yet; they are
    /// not killed.
    MetricBusy {
        /// The app.
        app: String,
        /// The tasks still busy.
        tasks: Vec<String>,
    },
    /// The deploy finished.
    Finished {
        /// A summary.
        message: String,
    },
}

impl AppCounts {
    fn panel_line(&self, role: &str) -> String {
        format!(
            "  {role:<3} {:<5} {}: {}/{} running, {} healthy",
            self.colour, self.app, self.running, self.instances, self.healthy
        )
    }
}

impl DeployEvent {
    /// The TTY view of [`DeployEvent::Progress`]: the phase, a line per app
    /// and a line per LB (None for every other event).
    pub fn panel_lines(&self) -> Option<Vec<String>> {
        let Self::Progress {
            phase,
            new,
            old,
            lbs,
        } = self
        else {
            return None;
        };
        let mut lines = vec![format!("{phase}…"), new.panel_line("new")];
        lines.extend(old.iter().map(|o| o.panel_line("old")));
        lines.extend(lbs.iter().map(|lb| match &lb.error {
            Some(e) => format!("  lb  {}: {e}", lb.lb),
            None => format!(
                "  lb  {}: {} UP, {} draining, {} sessions",
                lb.lb, lb.up, lb.draining, lb.sessions
            ),
        }));
        Some(lines)
    }

    /// One human line for the event (non-TTY progress).
    pub fn line(&self) -> String {
        match self {
            Self::Plan {
                group,
                new_app,
                old_app,
                target,
                steps,
            } => {
                let steps: Vec<String> = steps
                    .iter()
                    .map(|s| format!("{}/{}", s.new, s.old))
                    .collect();
                format!(
                    "group {group}: {new_app} grows to its share of {target}{}; steps (new/old): {}",
                    old_app
                        .as_ref()
                        .map(|o| format!(", {o} shrinks"))
                        .unwrap_or_default(),
                    steps.join(" → ")
                )
            }
            Self::Created { app, instances } => {
                format!("created {app} with {instances} instance(s)")
            }
            Self::Scaled { app, instances } => format!("scaled {app} to {instances}"),
            Self::Progress {
                phase,
                new,
                old,
                lbs,
            } => {
                let mut line = format!(
                    "{phase}: {} {} {}/{} healthy",
                    new.colour, new.app, new.healthy, new.instances
                );
                if let Some(old) = old {
                    line.push_str(&format!(
                        ", {} {} {}/{} healthy",
                        old.colour, old.app, old.healthy, old.instances
                    ));
                }
                for lb in lbs {
                    match &lb.error {
                        Some(e) => line.push_str(&format!("; {}: {e}", lb.lb)),
                        None => line.push_str(&format!(
                            "; {}: {} up, {} draining, {} sessions",
                            lb.lb, lb.up, lb.draining, lb.sessions
                        )),
                    }
                }
                line
            }
            Self::Killing { app, tasks } => format!(
                "killing {} drained task(s) of {app}: {}",
                tasks.len(),
                tasks.join(", ")
            ),
            Self::Deleted {
                app,
                cancelled_deployment: false,
            } => format!("deleted {app}"),
            Self::Deleted {
                app,
                cancelled_deployment: true,
            } => format!("deleted {app}, cancelling its unfinished deployment"),
            Self::Retrying { what, error } => format!("{what} failed, retrying: {error}"),
            Self::OldHaproxy {
                lbs,
                waited_s,
                max_wait_s,
            } => format!(
                // In steps of 5 s: without a panel, a line is printed again
                // only when its text changes.
                "waiting for old HAProxy processes to exit before killing: {} (waited {} s of --max-wait {max_wait_s} s)",
                lbs.join("; "),
                waited_s / 5 * 5
            ),
            Self::DrainProof { why, .. } => why.clone(),
            Self::Swap { grower, shrinker } => format!(
                "first step: marathon-lb takes {shrinker} for the new app because it was scaled last, and drains \
                 {grower}; the deploy kills the drained task(s) of {grower} with scale (no request reaches them, \
                 the other servers stay UP) so that {grower} is the app scaled last, then starts them again"
            ),
            Self::Horizon {
                lb,
                horizon_ms,
                why,
            } => format!(
                "reload horizon on {lb}: {} s ({why})",
                horizon_ms.div_ceil(1000)
            ),
            Self::HorizonWait {
                tasks,
                ready_in_s,
                horizon_s,
            } => format!(
                // In steps of 5 s: without a panel, a line is printed again
                // only when its text changes.
                "waiting out the reload horizon before killing: {tasks} drained task(s) may still get \
                 requests from an older HAProxy worker; the first can go within {} s (horizon {horizon_s} s)",
                ready_in_s.div_ceil(5) * 5
            ),
            Self::Blocked { blockers } => {
                let parts: Vec<String> = blockers
                    .iter()
                    .map(|b| format!("{} {} {} ({} sessions)", b.lb, b.addr, b.status, b.sessions))
                    .collect();
                format!("not drained yet: {}", parts.join("; "))
            }
            Self::MetricBusy { app, tasks } => format!(
                "waiting for the drain metric of {} task(s) of {app} to read 0: {}",
                tasks.len(),
                tasks.join(", ")
            ),
            Self::Finished { message } => message.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(app: &str, colour: &str, instances: u32, healthy: u32) -> AppCounts {
        AppCounts {
            app: app.into(),
            colour: colour.into(),
            instances,
            running: instances,
            healthy,
        }
    }

    #[test]
    fn the_tty_panel_shows_phase_both_apps_and_every_lb() {
        let event = DeployEvent::Progress {
            phase: "draining".into(),
            new: counts("/web-green", "green", 3, 2),
            old: Some(counts("/web-blue", "blue", 2, 2)),
            lbs: vec![
                LbCounts {
                    lb: "http://lb1:9090".into(),
                    up: 4,
                    draining: 1,
                    sessions: 3,
                    error: None,
                },
                LbCounts {
                    lb: "http://lb2:9090".into(),
                    up: 0,
                    draining: 0,
                    sessions: 0,
                    error: Some("connection refused".into()),
                },
            ],
        };
        assert_eq!(
            event.panel_lines().unwrap(),
            [
                "draining…",
                "  new green /web-green: 3/3 running, 2 healthy",
                "  old blue  /web-blue: 2/2 running, 2 healthy",
                "  lb  http://lb1:9090: 4 UP, 1 draining, 3 sessions",
                "  lb  http://lb2:9090: connection refused",
            ]
        );
        let deleted = DeployEvent::Deleted {
            app: "/web-blue".into(),
            cancelled_deployment: false,
        };
        assert_eq!(deleted.panel_lines(), None, "other events are lines");
    }
}
