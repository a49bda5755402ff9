//! `dcos lb split APP.json --new-instances N` (canary: N new, target−N old),
//! moving an existing split, and finishing it: `promote GROUP`
//! (`--complete-cur`) and `rollback GROUP` (`--complete-prev`).

use clap::Args;

use crate::cli::context::Context;
use crate::cli::deploy::{Job, RunArgs, at_least_one, group_of, run_machine};
use crate::cli::exit::{CliError, ExitCode};
use crate::cli::rollout::{self, PlanArgs, PlanRun};
use crate::cli::util;
use crate::deploy::machine::Mode;
use crate::output::Ui;

/// Split flags.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  dcos lb split app-v2.json --new-instances 2 -f     2 new, target−2 old (a new colour)
  dcos lb split app-v2.json --steps 1,2,5 --pause 2m -f   a step plan, analysed, rolled back on failure
  dcos lb split app-v2.json --steps 20%,50% --pause -f    a manual gate after each step
  dcos lb split --group web --resume -f              continue the group's step plan
  dcos lb split --group web --new-instances 3 -f     move an existing split, labels untouched
  dcos lb split app-v2.json --complete-cur -f        finish: every instance on the new version
  dcos lb split app-v2.json --complete-prev -f       finish: every instance back on the old one
  dcos lb promote web -f                             all instances to the new version
  dcos lb rollback web -f                            all instances back to the previous one")]
pub struct SplitArgs {
    /// The new version's app JSON (not needed to move an existing split).
    #[arg(value_name = "APP.json")]
    pub app: Option<std::path::PathBuf>,
    /// How many instances run the new version.
    #[arg(
        short = 'n',
        long,
        value_name = "N",
        allow_negative_numbers = true,
        required_unless_present_any = ["complete_cur", "complete_prev", "steps", "resume"]
    )]
    pub new_instances: Option<u32>,
    /// Finish the split: move every instance to the new version (as `promote`).
    #[arg(short = 'c', long, conflicts_with_all = ["new_instances", "complete_prev"])]
    pub complete_cur: bool,
    /// Finish the split: move every instance back to the previous version (as `rollback`).
    #[arg(short = 'p', long, conflicts_with = "new_instances")]
    pub complete_prev: bool,
    /// Instances the new app starts with.
    #[arg(short = 'i', long, default_value_t = 1, value_name = "N", value_parser = at_least_one::<u32>, allow_negative_numbers = true)]
    pub initial_instances: u32,
    /// The group, when no app JSON is given.
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
    /// Skip `dcos lb lint`'s checks of the app JSON and of the ports and deployments in Marathon.
    #[arg(long)]
    pub no_lint: bool,
    /// Print NDJSON progress events on stdout.
    #[arg(long)]
    pub json: bool,
    /// Shared deploy flags.
    #[command(flatten)]
    pub run: RunArgs,
    /// A step plan with canary analysis.
    #[command(flatten)]
    pub plan: PlanArgs,
}

/// Examples of `dcos lb promote`.
pub const PROMOTE_EXAMPLES: &str = "Examples:
  dcos lb promote web            move all traffic to the new version (asks first)
  dcos lb promote web -f         without asking, e.g. in CI";

/// Examples of `dcos lb rollback`.
pub const ROLLBACK_EXAMPLES: &str = "Examples:
  dcos lb rollback web           drain the new version and go back (asks first)
  dcos lb rollback web -f        without asking, e.g. in CI";

/// Flags of `promote` and `rollback`, which finish a group's split.
#[derive(Debug, Args)]
pub struct FinishArgs {
    /// The deployment group.
    pub group: String,
    /// Print NDJSON progress events on stdout.
    #[arg(long)]
    pub json: bool,
    /// Shared deploy flags.
    #[command(flatten)]
    pub run: RunArgs,
}

/// Runs split: a new hybrid colour, or moves the split of a hybrid group.
pub fn cmd_split(ui: &mut Ui, ctx: &Context, args: &SplitArgs) -> anyhow::Result<ExitCode> {
    let app = args
        .app
        .as_deref()
        .map(|p| util::read_app(ui, p))
        .transpose()?;
    let group = group_of(app.as_ref(), args.group.as_deref())?;
    if args.plan.steps.is_some() || args.plan.resume {
        let run = PlanRun {
            app,
            group,
            plan: &args.plan,
            run: &args.run,
            initial_instances: args.initial_instances,
            lint: !args.no_lint,
            json: args.json,
        };
        return rollout::run(ui, ctx, run);
    }
    if args.complete_cur || args.complete_prev {
        let mode = if args.complete_cur {
            Mode::CompleteCurrent
        } else {
            Mode::CompletePrevious
        };
        return run_machine(ui, ctx, &args.run, Job::finish(group, mode), args.json);
    }
    let new_instances = args.new_instances.unwrap_or_default();
    if new_instances == 0 {
        return Err(
            CliError::new(ExitCode::InvalidInput, "--new-instances must be at least 1")
                .hint("`dcos lb rollback GROUP` moves every instance back")
                .into(),
        );
    }
    let apps_in_group = ctx
        .marathon()?
        .list_apps(&crate::marathon::client::AppQuery {
            embed_tasks: false,
            label: Some(format!(
                "{}=={group}",
                crate::marathon::labels::DEPLOYMENT_GROUP
            )),
            id: None,
        })?;
    if let Some(target) =
        crate::deploy::plan::split_target(&apps_in_group).filter(|t| new_instances > *t)
    {
        ui.warn(&format!(
            "--new-instances {new_instances} is more than group {group}'s target of {target} instances: all {target} will run the new version (zdd.py clamps it too)"
        ));
    }
    let mode = match (app, apps_in_group.len()) {
        (_, n) if n >= 2 => Mode::MoveSplit(new_instances),
        (Some(app), _) => Mode::Deploy(app),
        (None, _) => {
            return Err(CliError::new(
                ExitCode::InvalidInput,
                format!("group {group} is not split yet"),
            )
            .hint("give the new version's app JSON: dcos lb split APP.json --new-instances N")
            .into());
        }
    };
    let job = Job {
        group,
        mode,
        initial_instances: args.initial_instances,
        new_instances,
        lint: !args.no_lint,
    };
    run_machine(ui, ctx, &args.run, job, args.json)
}

/// Runs promote (`Mode::CompleteCurrent`) or rollback (`Mode::CompletePrevious`).
pub fn cmd_finish(
    ui: &mut Ui,
    ctx: &Context,
    args: &FinishArgs,
    mode: Mode,
) -> anyhow::Result<ExitCode> {
    run_machine(
        ui,
        ctx,
        &args.run,
        Job::finish(args.group.clone(), mode),
        args.json,
    )
}
