//! `dcos lb status [GROUP]`: every deployment group with its apps, colours,
//! instances (running/healthy), traffic split, phase, and each marathon-lb's
//! view of the group's servers.

use std::collections::BTreeMap;
use std::time::Duration;

use clap::Args;
use serde::Serialize;

use crate::cli::output_args::OutputArgs;
use crate::context::Context;
use crate::deploy::plan;
use crate::error::ExitCode;
use crate::lb::client::LbClient;
use crate::lb::discover;
use crate::lb::stats::{self, StatsRow};
use crate::marathon::client::AppQuery;
use crate::marathon::labels;
use crate::marathon::types::App;
use crate::output::{Table, Ui};

/// Status flags.
#[derive(Debug, Args)]
#[command(after_help = "\
Phases: steady (one app), hybrid (a split at rest), deploying (Marathon is deploying),
stuck (two apps, no split, nothing deploying: finish with `dcos lb deploy --resume` or
go back with `dcos lb rollback GROUP`).

Examples:
  dcos lb status
  dcos lb status web --json
  dcos lb status web --watch -l http://marathon-lb.marathon.mesos:9090")]
pub struct StatusArgs {
    /// Only this deployment group.
    pub group: Option<String>,
    /// marathon-lb stats URL (default: the tasks of --lb-app).
    #[arg(short = 'l', long = "marathon-lb", value_name = "URL")]
    pub marathon_lb: Option<String>,
    /// The marathon-lb app, when -l is not given.
    #[arg(long, default_value = "/marathon-lb", value_name = "APP")]
    pub lb_app: String,
    /// Print again every 2 seconds until Ctrl-C.
    #[arg(long)]
    pub watch: bool,
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
    addr: String,
    status: String,
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
    phase: String,
    target: u32,
    apps: Vec<AppStatus>,
    lbs: Vec<LbStatus>,
}

fn phase(apps: &[&App], target: u32) -> &'static str {
    let instances: u32 = apps.iter().map(|a| a.instances).sum();
    let hybrid = apps
        .last()
        .and_then(|a| plan::label_u32(a, labels::DEPLOYMENT_NEW_INSTANCES))
        .is_some_and(|n| n > 0);
    if apps.iter().any(|a| !a.deployments.is_empty()) {
        "deploying"
    } else if apps.len() == 1 {
        "steady"
    } else if hybrid && instances == target {
        "hybrid"
    } else {
        "stuck"
    }
}

fn group_status(
    group: &str,
    apps: &[&App],
    lbs: &[(String, Result<Vec<StatsRow>, String>)],
) -> GroupStatus {
    let newest = apps.last();
    let target = newest.map_or(0, |a| {
        plan::label_u32(a, labels::DEPLOYMENT_TARGET_INSTANCES).unwrap_or(a.instances)
    });
    let total: u32 = apps.iter().map(|a| a.instances).sum::<u32>().max(1);
    let port = newest
        .and_then(|a| plan::label_u32(a, labels::PORT_0))
        .unwrap_or(0);
    let backend = plan::backend_name(group, port);
    GroupStatus {
        group: group.to_string(),
        phase: phase(apps, target).into(),
        target,
        apps: apps
            .iter()
            .map(|a| AppStatus {
                id: a.id.clone(),
                colour: a.label(labels::DEPLOYMENT_COLOUR).unwrap_or("").into(),
                instances: a.instances,
                running: a.tasks.iter().filter(|t| t.is_running()).count() as u32,
                healthy: plan::healthy_count(a),
                split_percent: a.instances * 100 / total,
            })
            .collect(),
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
                                addr: r.addr.clone().unwrap_or_else(|| r.svname.clone()),
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
                    g.phase.clone()
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
    let urls = match &args.marathon_lb {
        Some(url) => discover::from_url(url)?,
        None => match marathon.app(&args.lb_app) {
            Ok(app) => discover::from_app(&app).unwrap_or_default(),
            Err(e) => {
                ui.warn(&format!(
                    "marathon-lb not found ({e}); showing Marathon's side only"
                ));
                Vec::new()
            }
        },
    };
    let lb = LbClient::new(ctx.lb_http()?, urls);
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
        let lb_rows: Vec<(String, Result<Vec<StatsRow>, String>)> = lb
            .stats()
            .into_iter()
            .map(|(u, r)| (u, r.map_err(|e| e.to_string())))
            .collect();
        let statuses: Vec<GroupStatus> = groups
            .iter_mut()
            .map(|(group, apps)| {
                apps.sort_by_key(|a| {
                    a.label(labels::DEPLOYMENT_STARTED_AT)
                        .unwrap_or("0")
                        .to_string()
                });
                group_status(group, apps, &lb_rows)
            })
            .collect();
        ui.result_data(&format, &statuses, || table(&statuses))?;
        if !args.watch {
            return Ok(ExitCode::Success);
        }
        std::thread::sleep(Duration::from_secs(2));
    }
}
