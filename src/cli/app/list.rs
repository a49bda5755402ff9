//! `dcos lb app list`: the dcos CLI's app table, with the apps the launch queue holds back.

use anyhow::Context as _;
use clap::Args;
use serde_json::Value;

use crate::cli::context::Context;
use crate::cli::exit::ExitCode;
use crate::cli::output_args::OutputArgs;
use crate::marathon::AppQuery;
use crate::marathon::types::{App, Deployment};
use crate::output::{OutputFormat, Table, Ui};

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The DEPLOYMENT column: the current actions on this app, as the dcos CLI names them.
fn deployment_actions(app: &App, deployments: &[Deployment]) -> String {
    let actions: Vec<&str> = deployments
        .iter()
        .filter(|d| app.deployments.iter().any(|r| r.id == d.id))
        .flat_map(|d| &d.current_actions)
        .filter(|a| a.app.as_deref() == Some(app.id.as_str()))
        .map(|a| match a.action.as_str() {
            "StartApplication" => "start",
            "StopApplication" => "stop",
            "ScaleApplication" => "scale",
            "RestartApplication" => "restart",
            "ResolveArtifacts" => "artifacts",
            "KillAllOldTasksOf" => "kill-tasks",
            other => other,
        })
        .collect();
    if actions.is_empty() {
        "---".to_string()
    } else {
        actions.join(",")
    }
}

fn truncate_cmd(cmd: Option<&str>) -> String {
    match cmd {
        None => String::new(),
        Some(c) if c.chars().count() > 30 => {
            format!("{}...", c.chars().take(27).collect::<String>())
        }
        Some(c) => c.to_string(),
    }
}

fn app_row(app: &App, deployments: &[Deployment], waiting: &[String]) -> Vec<String> {
    let health = if app.health_checks.is_empty() {
        "---".to_string()
    } else {
        format!("{}/{}", app.tasks_healthy, app.tasks_running)
    };
    let container = app
        .container
        .as_ref()
        .and_then(|c| c.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("MESOS")
        .to_string();
    vec![
        app.id.clone(),
        format!("{}", app.mem),
        format!("{}", app.cpus),
        format!("{}/{}", app.tasks_running, app.instances),
        health,
        deployment_actions(app, deployments),
        if waiting.contains(&app.id) {
            "True"
        } else {
            "False"
        }
        .to_string(),
        container,
        truncate_cmd(app.cmd.as_deref()),
    ]
}

/// App ids whose launch is overdue in the queue (`delay.overdue`).
fn waiting_apps(queue: &Value) -> Vec<String> {
    queue
        .get("queue")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter(|i| i.pointer("/delay/overdue").and_then(Value::as_bool) == Some(true))
                .filter_map(|i| i.pointer("/app/id").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn run(ui: &mut Ui, ctx: &Context, args: &ListArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let marathon = ctx.marathon()?;
    let raw = marathon.list_apps_raw(&AppQuery::default())?;
    let mut raw_apps = raw
        .get("apps")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    raw_apps.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    if !matches!(format, OutputFormat::Human) {
        ui.result_data(&format, &raw_apps, Table::default)?;
        return Ok(ExitCode::Success);
    }
    let apps: Vec<App> = raw_apps
        .iter()
        .map(|a| serde_json::from_value(a.clone()))
        .collect::<Result<_, _>>()
        .context("reading Marathon's app list")?;
    let deployments = marathon.deployments()?;
    // WAITING is a nicety: a Marathon without /v2/queue still gets its list.
    let waiting = marathon
        .queue()
        .map(|queue| waiting_apps(&queue))
        .unwrap_or_default();
    ui.result_data(&format, &raw_apps, || {
        let mut table = Table::new(&[
            "ID",
            "MEM",
            "CPUS",
            "TASKS",
            "HEALTH",
            "DEPLOYMENT",
            "WAITING",
            "CONTAINER",
            "CMD",
        ]);
        for app in &apps {
            table.row(app_row(app, &deployments, &waiting));
        }
        table
    })?;
    Ok(ExitCode::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmd_is_truncated_like_the_dcos_cli() {
        assert_eq!(truncate_cmd(Some("short")), "short");
        assert_eq!(
            truncate_cmd(Some("python3 -m http.server $PORT0 --bind 0.0.0.0")),
            "python3 -m http.server $POR..."
        );
    }

    #[test]
    fn waiting_comes_from_overdue_queue_entries() {
        let queue = serde_json::json!({"queue": [
            {"app": {"id": "/a"}, "delay": {"overdue": true}},
            {"app": {"id": "/b"}, "delay": {"overdue": false}}
        ]});
        assert_eq!(waiting_apps(&queue), ["/a"]);
    }
}
