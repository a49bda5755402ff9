//! `dcos lb split APP.json --steps 1,2,5 --pause 2m`: a step plan. The plan
//! itself is `deploy::rollout`; this driver runs each move as one deploy
//! (`run_machine`), reads marathon-lb's counters and Marathon's view of the
//! canary for each look, and reports. The plan is written into the new
//! app's `DCOS_LB_PLAN` label when it is created, so `--resume` on any
//! machine reads it back from Marathon.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::{Value, json};

use crate::cli::context::Context;
use crate::cli::deploy::{Job, RunArgs, check_hook, run_machine};
use crate::cli::exit::{CliError, ExitCode};
use crate::cli::interrupt;
use crate::deploy::analysis::{self, CanaryHealth, Look, Side, Thresholds, Verdict};
use crate::deploy::group::GroupState;
use crate::deploy::machine::Mode;
use crate::deploy::plan;
use crate::deploy::rollout::{Action, Event, Input, Outcome, Pause, Plan, Rollout};
use crate::deploy::{drain, driver};
use crate::lb::client::LbClient;
use crate::marathon::client::AppQuery;
use crate::marathon::health::{TaskHealth, task_health};
use crate::marathon::labels;
use crate::marathon::types::App;
use crate::output::{OutputFormat, Table, Ui};
use crate::render::rules;

/// The label that keeps a step plan with the new app.
pub const PLAN_LABEL: &str = "DCOS_LB_PLAN";

/// The step plan a group's new app carries, if any.
pub fn plan_of(app: &App) -> Option<Plan> {
    serde_json::from_str(app.label(PLAN_LABEL)?).ok()
}

/// Step-plan flags of `split`.
#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    /// A step plan: the new app's instances at each step (`1,2,5`) or shares
    /// of the target (`20%,50%,100%`, rounded to whole instances); after the
    /// last step passes, every instance moves to the new app.
    #[arg(long, value_name = "LIST", conflicts_with_all = ["new_instances", "complete_cur", "complete_prev"])]
    pub steps: Option<String>,
    /// How long each step is analysed before the next (`30s`, `2m`); with
    /// no value, a manual gate: the run ends once the step passes, and
    /// `--resume`, `promote` or `rollback` goes on.
    #[arg(long, value_name = "DURATION", num_args = 0..=1, default_missing_value = "manual", default_value = "2m")]
    pub pause: String,
    /// Continue the group's step plan (read from its new app's labels) at
    /// the step it reached.
    #[arg(long, conflicts_with_all = ["new_instances", "complete_cur", "complete_prev", "steps"])]
    pub resume: bool,
    /// A step fails when the canary's share of 5xx and transport errors
    /// is above this.
    #[arg(long, default_value = "1%", value_name = "PERCENT")]
    pub max_error_rate: String,
    /// A step fails when the canary's average response time is more than
    /// this many times the stable app's.
    #[arg(long, default_value_t = 2.0, value_name = "RATIO")]
    pub max_latency_ratio: f64,
    /// A step fails when the canary's average response time is above this (ms).
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    pub max_latency: u64,
    /// Fewer canary requests than this in a step decide nothing
    /// (inconclusive: the step waits longer).
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub min_requests: u64,
    /// Time between two looks at marathon-lb's counters.
    #[arg(long, default_value = "10s", value_name = "DURATION")]
    pub analysis_interval: String,
    /// Failed looks a step tolerates before it fails (Argo's failureLimit).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub failure_limit: u32,
    /// Passing looks in a row a step needs at its end.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub consecutive_successes: u32,
    /// How long past its pause a step may stay inconclusive before the plan
    /// stops (resumable, exit 10).
    #[arg(long, default_value = "5m", value_name = "DURATION")]
    pub max_inconclusive: String,
    /// On a failed analysis, stop (exit 13) instead of rolling back.
    #[arg(long)]
    pub no_rollback: bool,
    /// Your own check at every look of a step, for metrics HAProxy lacks:
    /// run with the group, the step (1-based), the new and the old app's
    /// JSON; exit 0 passes, anything else fails the look.
    #[arg(long, value_name = "EXE")]
    pub analysis_hook: Option<std::path::PathBuf>,
}

/// What the plan driver needs from `split`'s flags.
pub struct PlanRun<'a> {
    /// The new version (none with `--resume`).
    pub app: Option<Value>,
    /// The group.
    pub group: String,
    /// The plan flags.
    pub plan: &'a PlanArgs,
    /// The deploy flags every move uses.
    pub run: &'a RunArgs,
    /// `--initial-instances`.
    pub initial_instances: u32,
    /// Run lint before the first move.
    pub lint: bool,
    /// NDJSON events on stdout.
    pub json: bool,
}

/// Parses `30s`, `2m`, `1h`, `500ms` or plain seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or((text, "s"), |i| text.split_at(i));
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (30s, 2m, 1h, 500ms)"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        _ => return Err(format!("{text:?}: the unit is ms, s, m or h")),
    };
    Ok(Duration::from_secs_f64(seconds))
}

/// `1,2,5` or `20%,50%,100%` of `target` as instance counts below the
/// target, in order; the text saying how percentages were rounded.
pub fn parse_steps(text: &str, target: u32) -> Result<(Vec<u32>, Option<String>), String> {
    let mut steps = Vec::new();
    let mut rounded = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let n = match part.strip_suffix('%') {
            Some(p) => {
                let share: f64 = p
                    .parse()
                    .map_err(|_| format!("--steps: {part:?} is not a percentage"))?;
                if !(share > 0.0 && share <= 100.0) {
                    return Err(format!("--steps: {part} is not in (0%, 100%]"));
                }
                let n = ((f64::from(target) * share / 100.0).round() as u32).clamp(1, target);
                rounded.push(format!("{part} → {n}"));
                n
            }
            None => part
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| {
                    format!("--steps: {part:?} is not a count of instances (1 or more)")
                })?,
        };
        if steps.last().is_some_and(|last| n <= *last) {
            return Err(format!(
                "--steps must grow: {n} follows {} (after rounding to whole instances)",
                steps.last().unwrap_or(&0)
            ));
        }
        steps.push(n);
    }
    if steps.is_empty() {
        return Err("--steps needs at least one step".into());
    }
    steps.retain(|n| *n < target);
    let note = (!rounded.is_empty()).then(|| {
        format!(
            "steps of the target of {target} instances: {} (whole instances)",
            rounded.join(", ")
        )
    });
    Ok((steps, note))
}

fn plan_from(args: &PlanArgs, steps: Vec<u32>, target: u32) -> Result<Plan, CliError> {
    let usage = |e: String| CliError::new(ExitCode::Usage, e);
    let rate = args.max_error_rate.trim();
    let max_error_rate = match rate.strip_suffix('%') {
        Some(p) => p.parse::<f64>().map(|p| p / 100.0),
        None => rate.parse::<f64>(),
    }
    .map_err(|_| {
        usage(format!(
            "--max-error-rate {rate:?}: give a percentage such as 1%"
        ))
    })?;
    let pause = match args.pause.as_str() {
        "manual" => Pause::Manual,
        text => Pause::For(parse_duration(text).map_err(usage)?),
    };
    Ok(Plan {
        steps,
        target,
        pause,
        thresholds: Thresholds {
            max_error_rate,
            max_latency_ratio: args.max_latency_ratio,
            max_latency_ms: args.max_latency as f64,
            min_requests: args.min_requests,
        },
        interval: parse_duration(&args.analysis_interval).map_err(usage)?,
        failure_limit: args.failure_limit,
        consecutive_successes: args.consecutive_successes.max(1),
        max_inconclusive: parse_duration(&args.max_inconclusive).map_err(usage)?,
        rollback: !args.no_rollback,
    })
}

/// The group's apps with tasks, oldest first.
fn group_apps(ctx: &Context, group: &str) -> anyhow::Result<Vec<App>> {
    let apps = ctx.marathon()?.list_apps(&AppQuery {
        embed_tasks: true,
        label: Some(format!("{}=={group}", labels::DEPLOYMENT_GROUP)),
        id: None,
    })?;
    Ok(plan::by_start(&apps).into_iter().cloned().collect())
}

/// Runs a step plan.
pub fn run(ui: &mut Ui, ctx: &Context, mut job: PlanRun<'_>) -> anyhow::Result<ExitCode> {
    if let Some(hook) = &job.plan.analysis_hook {
        check_hook("--analysis-hook", hook)?;
    }
    let apps = group_apps(ctx, &job.group)?;
    let (plan, start, mut first_app) = if job.plan.resume {
        let Some(newest) = apps.get(1).and(apps.last()) else {
            return Err(CliError::new(
                ExitCode::InvalidInput,
                format!(
                    "group {} is not split: there is no step plan to resume",
                    job.group
                ),
            )
            .hint("start one: dcos lb split APP.json --steps 1,2,5")
            .into());
        };
        let plan = plan_of(newest).ok_or_else(|| {
            CliError::new(
                ExitCode::InvalidInput,
                format!("{} has no step plan (label {PLAN_LABEL})", newest.id),
            )
            .hint("move the split with --new-instances N, or finish it with promote or rollback")
        })?;
        let step = plan.position(newest.instances);
        ui.status(
            "Resuming",
            &format!(
                "the step plan of {} at step {} of {} ({} of {} instances on the new version)",
                job.group,
                step + 1,
                plan.steps.len(),
                newest.instances,
                plan.target
            ),
        );
        (plan, step, None)
    } else {
        if apps.len() >= 2 {
            return Err(CliError::new(
                ExitCode::InvalidInput,
                format!("group {} is already split", job.group),
            )
            .hint(format!(
                "`dcos lb split --group {} --resume` continues its plan; promote or rollback finishes it",
                job.group
            ))
            .into());
        }
        let Some(target) = plan::split_target(&apps) else {
            return Err(CliError::new(
                ExitCode::InvalidInput,
                format!(
                    "group {} runs no app yet: a step plan needs a stable version to compare with",
                    job.group
                ),
            )
            .hint("deploy the first version with `dcos lb deploy APP.json`")
            .into());
        };
        let text = job.plan.steps.as_deref().unwrap_or_default();
        let (steps, note) =
            parse_steps(text, target).map_err(|e| CliError::new(ExitCode::Usage, e))?;
        if let Some(note) = note {
            ui.info(&note);
        }
        let plan = plan_from(job.plan, steps, target)?;
        let mut app = job.app.take().unwrap_or(Value::Null);
        app["labels"][PLAN_LABEL] = json!(serde_json::to_string(&plan)?);
        (plan, 0, Some(app))
    };
    if plan.steps.is_empty() {
        ui.info("every step is at the target: the plan is the promotion");
    }
    if job.run.dry_run {
        let data = json!({"group": job.group, "plan": plan});
        let format = if job.json {
            OutputFormat::Json
        } else {
            OutputFormat::Human
        };
        ui.result_data(&format, &data, || plan_table(&plan))?;
        return Ok(ExitCode::Success);
    }
    let (wake, woken) = mpsc::channel::<()>();
    let mut machine = Rollout::new(plan.clone());
    let mut queue = machine.handle(Input::Start(start), Instant::now());
    let mut canary_tasks: BTreeSet<String> = BTreeSet::new();
    let mut step = start + 1;
    let lbs = LbClient::new(ctx.lb_http()?, job.run.lb.instances(ctx)?);
    loop {
        let mut next = Vec::new();
        for action in queue.drain(..) {
            let input = match action {
                Action::Step(n) => {
                    let mode = match first_app.take() {
                        Some(app) => Mode::Deploy(app),
                        None => Mode::MoveSplit(n),
                    };
                    let moved = Job {
                        group: job.group.clone(),
                        mode,
                        initial_instances: job.initial_instances.min(n),
                        new_instances: n,
                        lint: job.lint,
                    };
                    Some(moved_input(run_machine(ui, ctx, job.run, moved, job.json)?))
                }
                Action::Promote | Action::RollBack => {
                    let mode = if action == Action::Promote {
                        Mode::CompleteCurrent
                    } else {
                        Mode::CompletePrevious
                    };
                    let finish = Job::finish(job.group.clone(), mode);
                    Some(moved_input(run_machine(
                        ui, ctx, job.run, finish, job.json,
                    )?))
                }
                Action::Look => {
                    let apps = group_apps(ctx, &job.group)?;
                    let input = match apps.as_slice() {
                        [.., old, new] => {
                            let reading = look(&lbs, &job.group, old, new, &mut canary_tasks);
                            let hook_failure = match &job.plan.analysis_hook {
                                Some(hook) => run_hook(ctx, hook, &job.group, step, old, new)?,
                                None => None,
                            };
                            reading.into_input(hook_failure)
                        }
                        _ => canary_gone(&canary_tasks).into_input(None),
                    };
                    Some(input)
                }
                Action::Notify(event) => {
                    if let Event::StepStarted { step: n, .. } = event {
                        canary_tasks.clear();
                        step = n;
                    }
                    report(ui, &event, job.json)?;
                    None
                }
                Action::Finish(outcome) => return finish(ui, &job.group, &outcome, job.json),
            };
            if let Some(input) = input {
                next.extend(machine.handle(input, Instant::now()));
            }
        }
        if next.is_empty() {
            let wake = wake.clone();
            interrupt::on_interrupt(move || {
                let _ = wake.send(());
            })?;
            let wait = machine.poll_timeout().map_or(Duration::ZERO, |at| {
                at.saturating_duration_since(Instant::now())
            });
            let input = match woken.recv_timeout(wait) {
                Ok(()) => Input::Interrupted,
                Err(_) => Input::Timer,
            };
            next = machine.handle(input, Instant::now());
        }
        queue = next;
    }
}

/// Runs `--analysis-hook GROUP STEP NEW_APP_JSON OLD_APP_JSON`; why it
/// failed, or None when it exited 0.
fn run_hook(
    ctx: &Context,
    hook: &std::path::Path,
    group: &str,
    step: usize,
    old: &App,
    new: &App,
) -> anyhow::Result<Option<String>> {
    let marathon = ctx.marathon()?;
    let raw = |id: &str| -> anyhow::Result<String> {
        let value = marathon.app_raw(id)?;
        Ok(value.get("app").cloned().unwrap_or(value).to_string())
    };
    let output = std::process::Command::new(hook)
        .arg(group)
        .arg(step.to_string())
        .arg(raw(&new.id)?)
        .arg(raw(&old.id)?)
        .stdin(std::process::Stdio::null())
        .output();
    Ok(match output {
        Ok(out) if out.status.success() => None,
        Ok(out) => {
            let said = String::from_utf8_lossy(&out.stderr);
            let said = said.lines().next().unwrap_or_default().trim();
            Some(match (out.status.code(), said.is_empty()) {
                (Some(code), true) => format!("exited with status {code}"),
                (Some(code), false) => format!("exited with status {code}: {said}"),
                (None, _) => "was killed by a signal".into(),
            })
        }
        Err(e) => Some(format!("could not run {}: {e}", hook.display())),
    })
}

/// `--dry-run`: each step, its new instances and what ends it.
fn plan_table(plan: &Plan) -> Table {
    let mut table = Table::new(&["step", "new instances", "old instances", "then"]);
    let t = &plan.thresholds;
    let rules = format!(
        "analyse for {} (error rate ≤ {}, avg response ≤ {} ms and ≤ {}× the old, ≥ {} requests)",
        plan.pause_text(),
        analysis::percent(t.max_error_rate),
        t.max_latency_ms,
        t.max_latency_ratio,
        t.min_requests
    );
    for (i, n) in plan.steps.iter().enumerate() {
        table.row(vec![
            (i + 1).to_string(),
            n.to_string(),
            (plan.target - n).to_string(),
            rules.clone(),
        ]);
    }
    table.row(vec![
        "promote".into(),
        plan.target.to_string(),
        "0".into(),
        "done".into(),
    ]);
    table
}

fn moved_input(code: ExitCode) -> Input {
    match code {
        ExitCode::Success => Input::Moved(None),
        other => Input::Moved(Some(other.code())),
    }
}

/// One look's readings.
pub struct Reading {
    /// Every LB's counters of the group's backend.
    pub looks: Vec<Look>,
    /// Which app each server address (or name) is.
    pub sides: Vec<(String, Side)>,
    /// Marathon's view of the canary.
    pub health: CanaryHealth,
}

impl Reading {
    fn into_input(self, hook_failure: Option<String>) -> Input {
        Input::Looked {
            looks: self.looks,
            sides: self.sides,
            health: self.health,
            hook_failure,
        }
    }

    /// The app of a server address or name.
    pub fn side(&self, key: &str) -> Option<Side> {
        self.sides.iter().find(|(k, _)| k == key).map(|(_, s)| *s)
    }
}

/// The canary of a group's plan judged on the counters as they stand
/// (since each LB's last reload), as `status` shows it.
pub fn current_analysis(
    lbs: &LbClient,
    group: &str,
    old: &App,
    new: &App,
    plan: &Plan,
) -> (analysis::Window, Verdict) {
    let reading = look(lbs, group, old, new, &mut BTreeSet::new());
    let window = analysis::Window::since_reload(&reading.looks, |k| reading.side(k));
    let verdict = analysis::judge(&window, &reading.health, &plan.thresholds);
    (window, verdict)
}

/// The readings of a look at a group whose apps Marathon no longer lists
/// as split: the canary is gone, and every task it had is lost.
fn canary_gone(seen: &BTreeSet<String>) -> Reading {
    Reading {
        looks: Vec::new(),
        sides: Vec::new(),
        health: CanaryHealth {
            lost_tasks: seen.len() as u32,
            failing: 0,
        },
    }
}

/// One look at a split group (`old`, `new` as Marathon lists them): every
/// LB's counters of the group's backend, which app each server is, and
/// Marathon's view of the canary's tasks (`seen` keeps the canary's tasks
/// of the step, to notice the ones Marathon lost).
fn look(lbs: &LbClient, group: &str, old: &App, new: &App, seen: &mut BTreeSet<String>) -> Reading {
    let port = GroupState::of(&[old, new]).map_or(0, |g| g.port);
    let backend = rules::group_backend_name(group, port);
    let mut host_ips = BTreeMap::new();
    driver::resolve_hosts(old.tasks.iter().chain(&new.tasks), &mut host_ips);
    let mut sides = Vec::new();
    for (app, side) in [(old, Side::Old), (new, Side::New)] {
        for task in &app.tasks {
            let names = drain::task_server_names(task, &host_ips);
            for key in drain::task_addrs(task, &host_ips).into_iter().chain(names) {
                sides.push((key, side));
            }
        }
    }
    let now: BTreeSet<String> = new.tasks.iter().map(|t| t.id.clone()).collect();
    let lost = seen.difference(&now).count() as u32;
    seen.extend(now);
    let failing = new
        .tasks
        .iter()
        .filter(|t| task_health(new, t) == TaskHealth::Failing)
        .count() as u32;
    let looks = lbs
        .counters()
        .into_iter()
        .map(|(lb, read)| match read {
            Ok(read) => Look {
                lb,
                worker: Some(read.worker_pid),
                servers: Ok(read
                    .servers
                    .into_iter()
                    .filter(|s| s.pxname == backend)
                    .collect()),
            },
            Err(e) => Look {
                lb,
                worker: None,
                servers: Err(e.to_string()),
            },
        })
        .collect();
    Reading {
        looks,
        sides,
        health: CanaryHealth {
            lost_tasks: lost,
            failing,
        },
    }
}

/// A step's start as a status line, an analysis as a small table (or
/// NDJSON with `--json`).
fn report(ui: &mut Ui, event: &Event, json: bool) -> anyhow::Result<()> {
    if json {
        ui.result_ndjson(&serde_json::to_value(event)?)?;
        return Ok(());
    }
    match event {
        Event::StepStarted {
            step,
            steps,
            new_instances,
            target,
        } => ui.status(
            "Step",
            &format!("{step} of {steps}: {new_instances} of {target} instances on the new version; analysing"),
        ),
        Event::Analysis {
            step,
            new,
            old,
            new_share,
            resets,
            verdict,
            ..
        } => {
            let mut table = Table::new(&["", "requests", "error rate", "avg response", "share", "down"]);
            let share = |s: Option<f64>| s.map_or("-".to_string(), analysis::percent);
            for (name, f, s) in [
                ("new", new, *new_share),
                ("old", old, new_share.map(|s| 1.0 - s)),
            ] {
                table.row(vec![
                    name.to_string(),
                    f.requests.to_string(),
                    f.error_rate().map_or("-".to_string(), analysis::percent),
                    f.avg_response_ms().map_or("-".to_string(), |ms| format!("{ms:.0} ms")),
                    share(s),
                    f.down.to_string(),
                ]);
            }
            let (word, rule) = verdict.parts();
            let resets = if *resets > 0 {
                format!(" ({resets} counter reset(s) stitched)")
            } else {
                String::new()
            };
            ui.info(&format!("step {step} analysis{resets}: {word}: {rule}"));
            ui.info(table.render(ui.width(), false).trim_end());
        }
    }
    Ok(())
}

fn finish(ui: &mut Ui, group: &str, outcome: &Outcome, json: bool) -> anyhow::Result<ExitCode> {
    if json {
        ui.result_ndjson(&serde_json::to_value(outcome)?)?;
    }
    let resume = format!(
        "`dcos lb split --group {group} --resume` goes on; `dcos lb rollback {group}` goes back"
    );
    Ok(match outcome {
        Outcome::Promoted => {
            ui.status(
                "Finished",
                &format!("every step passed; {group} runs the new version on every instance"),
            );
            ExitCode::Success
        }
        Outcome::RolledBack {
            step,
            rule,
            canary_requests,
        } => {
            ui.warn(&format!(
                "rolled back by analysis at step {step}: {rule}; at least {canary_requests} request(s) reached the new version (counted from the step's first look); every instance runs the previous version again"
            ));
            ExitCode::RolledBackByAnalysis
        }
        Outcome::Failed { step, rule } => {
            ui.warn(&format!(
                "step {step} failed its analysis: {rule}; --no-rollback left the split as it is"
            ));
            ui.info(&format!("hint: {resume}"));
            ExitCode::AnalysisFailed
        }
        Outcome::Paused { step } => {
            ui.status("Paused", &format!("step {step} passed its analysis"));
            ui.info(&format!(
                "hint: {resume}; `dcos lb promote {group}` moves every instance now"
            ));
            ExitCode::Success
        }
        Outcome::Stopped { step, code, why } => {
            ui.warn(&format!("the plan stopped at step {step}: {why}"));
            ui.info(&format!("hint: {resume}"));
            code.and_then(|c| ExitCode::ALL.into_iter().find(|e| e.code() == c))
                .unwrap_or(ExitCode::Timeout)
        }
        Outcome::Interrupted { step } => {
            ui.warn(&format!(
                "interrupted at step {step}; the group is left as it is"
            ));
            ui.info(&format!("hint: {resume}"));
            ExitCode::Interrupted
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_counts_or_shares_of_the_target_and_must_grow() {
        assert_eq!(parse_steps("1,2,5", 5), Ok((vec![1, 2], None)));
        let (steps, note) = parse_steps("20%,50%,100%", 5).unwrap();
        assert_eq!(steps, [1, 3]);
        assert_eq!(
            note.as_deref(),
            Some(
                "steps of the target of 5 instances: 20% → 1, 50% → 3, 100% → 5 (whole instances)"
            )
        );
        assert!(parse_steps("10%,15%", 4).unwrap_err().contains("must grow"));
        assert!(parse_steps("0", 4).is_err());
        assert!(parse_steps("150%", 4).is_err());
    }

    #[test]
    fn durations_take_the_usual_units() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("7"), Ok(Duration::from_secs(7)));
        assert!(parse_duration("2d").is_err());
    }
}
