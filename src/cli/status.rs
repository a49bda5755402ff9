//! `dcos lb status [GROUP]`: every deployment group with its apps, colours,
//! instances (running/healthy), traffic split, phase, and each marathon-lb's
//! view of the group's servers.

use std::collections::BTreeMap;
use std::time::Duration;

use clap::Args;
use serde::Serialize;

use crate::cli::context::Context;
use crate::cli::exit::{CliError, ExitCode};
use crate::cli::lb_args::LbArgs;
use crate::cli::output_args::OutputArgs;
use crate::cli::rollout;
use crate::deploy::analysis::{Figures, Verdict};
use crate::deploy::group::{GroupState, Phase};
use crate::deploy::plan;
use crate::deploy::proof::{self, ProofChoice};
use crate::deploy::rollout::Plan;
use crate::lb::client::LbClient;
use crate::lb::stats::{self, StatsRow};
use crate::marathon::client::AppQuery;
use crate::marathon::labels;
use crate::marathon::types::App;
use crate::output::{OutputFormat, Table, Ui};
use crate::render::rules;

/// Status flags.
#[derive(Debug, Args)]
#[command(after_help = "\
Phases: steady (one app), hybrid (a split at rest), deploying (Marathon is deploying),
stuck (two apps, no split, nothing deploying: finish with `dcos lb deploy --resume` or
go back with `dcos lb rollback GROUP`).

Examples:
  dcos lb status
  dcos lb status web --json
  dcos lb status web --watch -l http://marathon-lb.marathon.mesos:9090
  dcos lb status web --watch --count 10 --json     ten NDJSON lines, one every 2 s")]
pub struct StatusArgs {
    /// Only this deployment group.
    pub group: Option<String>,
    /// Where the marathon-lb instances are.
    #[command(flatten)]
    pub lb: LbArgs,
    /// Print again every 2 seconds until Ctrl-C (with --json: one compact
    /// JSON array per line).
    #[arg(long)]
    pub watch: bool,
    /// With --watch: stop after this many prints.
    #[arg(long, value_name = "N", requires = "watch", value_parser = clap::value_parser!(u32).range(1..), allow_negative_numbers = true)]
    pub count: Option<u32>,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// One app of a group.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct AppStatus {
    id: String,
    colour: String,
    instances: u32,
    running: u32,
    healthy: u32,
    split_percent: u32,
}

/// One server as one LB sees it.
#[derive(Debug, Serialize)]
struct ServerStatus {
    /// marathon-lb's server name.
    server: String,
    /// `ip:port`, when HAProxy reports it (servers with checks).
    addr: Option<String>,
    status: String,
    /// Current plus queued sessions.
    sessions: u64,
}

/// One LB's view of a group's backend.
#[derive(Debug, Serialize)]
struct LbStatus {
    lb: String,
    backend: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    servers: Vec<ServerStatus>,
}

/// A deployment group.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct GroupStatus {
    group: String,
    phase: Phase,
    target: u32,
    apps: Vec<AppStatus>,
    lbs: Vec<LbStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<PlanStatus>,
}

/// A split's step plan (`split --steps`), read from the new app's label.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PlanStatus {
    /// New instances at each canary step.
    steps: Vec<u32>,
    /// The promotion.
    target: u32,
    /// Each step's pause.
    pause: String,
    /// The step the split stands at (1-based; steps + 1 is the promotion).
    step: usize,
    /// What `split --resume` does next.
    next: String,
    /// The canary judged on the counters as they stand (since each LB's
    /// last reload), by the plan's rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    analysis: Option<CurrentAnalysis>,
    /// The plan as the label holds it, for the analysis.
    #[serde(skip)]
    plan: Plan,
}

/// The last analysis, as the counters stand.
#[derive(Debug, Serialize)]
struct CurrentAnalysis {
    new: Figures,
    old: Figures,
    #[serde(flatten)]
    verdict: Verdict,
}

/// The step plan of a split group, if its new app carries one.
fn plan_status(group: &str, apps: &[&App]) -> Option<PlanStatus> {
    let [.., _, new] = apps else {
        return None;
    };
    let plan = rollout::plan_of(new)?;
    let at = plan.position(new.instances);
    let next = if at < plan.steps.len() {
        format!(
            "`dcos lb split --group {group} --resume` analyses step {} ({} new), then goes on; `dcos lb rollback {group}` goes back",
            at + 1,
            plan.steps[at]
        )
    } else {
        format!("`dcos lb split --group {group} --resume` promotes")
    };
    Some(PlanStatus {
        analysis: None,
        pause: plan.pause_text(),
        step: at + 1,
        steps: plan.steps.clone(),
        target: plan.target,
        next,
        plan,
    })
}

fn group_status(
    group: &str,
    apps: &[&App],
    lbs: &[(String, Result<Vec<StatsRow>, String>)],
) -> GroupStatus {
    let state = GroupState::of(apps);
    let total: u32 = apps.iter().map(|a| a.instances).sum::<u32>().max(1);
    let backend = rules::group_backend_name(group, state.map_or(0, |s| s.port));
    GroupStatus {
        group: group.to_string(),
        phase: state.map_or(Phase::Steady, |s| s.phase),
        target: state.map_or(0, |s| s.target),
        apps: apps
            .iter()
            .map(|a| AppStatus {
                id: a.id.clone(),
                colour: a.label(labels::DEPLOYMENT_COLOUR).unwrap_or("").into(),
                instances: a.instances,
                running: a.tasks.iter().filter(|t| t.is_running()).count() as u32,
                healthy: crate::marathon::health::healthy_count(a),
                split_percent: a.instances * 100 / total,
            })
            .collect(),
        plan: plan_status(group, apps),
        lbs: lbs
            .iter()
            .map(|(url, rows)| LbStatus {
                lb: url.clone(),
                backend: backend.clone(),
                error: rows.as_ref().err().cloned(),
                servers: rows
                    .as_ref()
                    .map(|rows| {
                        stats::servers(rows, &backend)
                            .map(|r| ServerStatus {
                                server: r.svname.clone(),
                                addr: r.addr.clone(),
                                status: r.status.clone(),
                                sessions: r.scur + r.qcur,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

fn table(groups: &[GroupStatus]) -> Table {
    let mut table = Table::new(&[
        "group",
        "phase",
        "app",
        "colour",
        "instances",
        "healthy",
        "split",
        "lbs",
    ]);
    for g in groups {
        let lbs: Vec<String> = g
            .lbs
            .iter()
            .map(|lb| match &lb.error {
                Some(e) => format!("{}: {e}", lb.lb),
                None => {
                    let count = |s: &str| {
                        lb.servers
                            .iter()
                            .filter(|x| x.status.starts_with(s))
                            .count()
                    };
                    let sessions: u64 = lb.servers.iter().map(|x| x.sessions).sum();
                    format!(
                        "{}: {} UP {} MAINT {} DOWN {} sessions",
                        lb.lb,
                        count("UP"),
                        count("MAINT"),
                        count("DOWN"),
                        sessions
                    )
                }
            })
            .collect();
        for (i, a) in g.apps.iter().enumerate() {
            table.row([
                if i == 0 {
                    g.group.clone()
                } else {
                    String::new()
                },
                if i == 0 {
                    g.phase.as_str().to_string()
                } else {
                    String::new()
                },
                a.id.clone(),
                a.colour.clone(),
                format!("{}/{}", a.running, a.instances),
                a.healthy.to_string(),
                format!("{}%", a.split_percent),
                if i == 0 {
                    lbs.join("; ")
                } else {
                    String::new()
                },
            ]);
        }
    }
    table
}

/// Runs status.
pub fn cmd_status(ui: &mut Ui, ctx: &Context, args: &StatusArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let marathon = ctx.marathon()?;
    let urls = args.lb.instances(ctx).unwrap_or_else(|e| {
        ui.warn(&format!("{e:#}; showing Marathon's side only"));
        Vec::new()
    });
    let lb = LbClient::new(ctx.lb_http()?, urls);
    if !lb.urls().is_empty() {
        match proof::choose(ProofChoice::Auto, false, &lb.profiles(true)) {
            Ok((_, why)) => ui.info(&format!("a deploy without --drain-metric would use {why}")),
            Err(e) => ui.warn(&format!(
                "a deploy could not choose its drain proof: {}",
                e.message
            )),
        }
    }
    let mut printed = 0;
    loop {
        let query = AppQuery {
            embed_tasks: true,
            label: Some(labels::DEPLOYMENT_GROUP.into()),
            id: None,
        };
        let apps = marathon.list_apps(&query)?;
        let mut groups: BTreeMap<String, Vec<&App>> = BTreeMap::new();
        for app in &apps {
            if let Some(group) = app.label(labels::DEPLOYMENT_GROUP)
                && args.group.as_deref().is_none_or(|g| g == group)
            {
                groups.entry(group.to_string()).or_default().push(app);
            }
        }
        if let Some(group) = &args.group
            && groups.is_empty()
            && printed == 0
        {
            return Err(CliError::new(
                ExitCode::Failure,
                format!("no app in Marathon has HAPROXY_DEPLOYMENT_GROUP={group}"),
            )
            .hint("`dcos lb status` without a group lists every deployment group")
            .into());
        }
        let lb_rows: Vec<(String, Result<Vec<StatsRow>, String>)> = lb
            .stats()
            .into_iter()
            .map(|(u, r)| (u, r.map_err(|e| e.to_string())))
            .collect();
        let mut statuses: Vec<GroupStatus> = groups
            .iter_mut()
            .map(|(group, apps)| {
                apps.sort_by(|a, b| plan::start_order(a, b));
                group_status(group, apps, &lb_rows)
            })
            .collect();
        for status in &mut statuses {
            let Some(plan_status) = status.plan.as_mut() else {
                continue;
            };
            if let Some([.., old, new]) = groups.get(&status.group).map(Vec::as_slice)
                && !lb.urls().is_empty()
            {
                let (window, verdict) =
                    rollout::current_analysis(&lb, &status.group, old, new, &plan_status.plan);
                plan_status.analysis = Some(CurrentAnalysis {
                    new: window.new,
                    old: window.old,
                    verdict,
                });
            }
        }
        match format {
            OutputFormat::Json if args.watch => {
                ui.result_ndjson(&serde_json::to_value(&statuses)?)?;
            }
            _ => ui.result_data(&format, &statuses, || table(&statuses))?,
        }
        if matches!(format, OutputFormat::Human) {
            for (g, plan) in statuses
                .iter()
                .filter_map(|g| g.plan.as_ref().map(|p| (&g.group, p)))
            {
                let steps: Vec<String> = plan.steps.iter().map(u32::to_string).collect();
                ui.info(&format!(
                    "{g}: step plan {} → {} (pause {}), at step {} of {}; next: {}",
                    steps.join(", "),
                    plan.target,
                    plan.pause,
                    plan.step,
                    plan.steps.len(),
                    plan.next
                ));
                if let Some(a) = &plan.analysis {
                    let (word, rule) = a.verdict.parts();
                    ui.info(&format!(
                        "{g}: the canary since the last reload: {word}: {rule} (new {} requests, old {})",
                        a.new.requests, a.old.requests
                    ));
                }
            }
        }
        printed += 1;
        if !args.watch || args.count.is_some_and(|n| printed >= n) {
            return Ok(ExitCode::Success);
        }
        std::thread::sleep(Duration::from_secs(2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn app(id: &str, colour: &str, instances: u32, labels: &[(&str, &str)]) -> App {
        let mut all = vec![
            (labels::DEPLOYMENT_GROUP, "web"),
            (labels::DEPLOYMENT_COLOUR, colour),
            (labels::PORT_0, "10000"),
        ];
        all.extend_from_slice(labels);
        serde_json::from_value(json!({
            "id": id,
            "instances": instances,
            "labels": all.into_iter().collect::<BTreeMap<_, _>>(),
        }))
        .unwrap()
    }

    fn row(svname: &str, status: &str, scur: u64, qcur: u64) -> StatsRow {
        StatsRow {
            pxname: "web_10000".into(),
            svname: svname.into(),
            status: status.into(),
            scur,
            qcur,
            addr: None,
        }
    }

    #[test]
    fn each_lb_counts_up_maint_and_down_servers_and_their_sessions() {
        let blue = app("/web-blue", "blue", 2, &[]);
        let green = app(
            "/web-green",
            "green",
            2,
            &[(labels::DEPLOYMENT_TARGET_INSTANCES, "4")],
        );
        let rows = vec![
            row("a", "UP", 1, 0),
            row("b", "UP 1/3", 0, 0),
            row("c", "MAINT", 2, 1),
            row("d", "DOWN", 0, 0),
            row("e", "DOWN 1/2", 0, 0),
            StatsRow {
                pxname: "other_10001".into(),
                ..row("f", "UP", 9, 0)
            },
        ];
        let lbs = vec![
            ("http://lb1:9090".to_string(), Ok(rows)),
            (
                "http://lb2:9090".to_string(),
                Err("connection refused".into()),
            ),
        ];
        let status = group_status("web", &[&blue, &green], &lbs);
        assert_eq!(status.target, 4);
        assert_eq!(status.lbs[0].backend, "web_10000");
        assert_eq!(status.lbs[0].servers.len(), 5, "only the group's backend");
        assert_eq!(status.lbs[0].servers[2].sessions, 3, "current plus queued");
        let rendered = table(&[status]).render(400, false);
        assert!(
            rendered.contains(
                "http://lb1:9090: 2 UP 1 MAINT 2 DOWN 4 sessions; http://lb2:9090: connection refused"
            ),
            "{rendered}"
        );
        assert!(rendered.contains("50%"), "{rendered}");
    }
}
