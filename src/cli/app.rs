//! `dcos lb app add|show|list|scale|remove`: Marathon's app commands as the
//! manual blue/green procedure uses them, printed like `dcos marathon app`.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use serde_json::Value;

use crate::cli::context::Context;
use crate::cli::exit::{CliError, ExitCode};
use crate::cli::output_args::OutputArgs;
use crate::marathon::app_id::normalize;
use crate::marathon::types::{App, Deployment};
use crate::marathon::wait::{WaitOutcome, wait_for};
use crate::marathon::{AppQuery, MarathonClient, MarathonError};
use crate::output::{OutputFormat, Table, Ui};

/// How long `--wait` waits when `--timeout` is not given.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(600);

/// Events that can end a deployment.
const DEPLOYMENT_EVENTS: &[&str] = &["deployment_success", "deployment_failed"];

/// App commands.
#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:
  dcos lb app add green-myapp.json
  dcos lb app scale /green-myapp 3 --wait
  dcos lb app list
  dcos lb app remove /blue-myapp --yes")]
pub enum AppCommand {
    /// Create an app from a JSON file (or `-` for stdin).
    #[command(after_help = "Examples:
  dcos lb app add green-myapp.json
  cat green-myapp.json | dcos lb app add -
  dcos lb app add green-myapp.json --json | jq .id")]
    Add(AddArgs),
    /// Show an app's definition and state as JSON.
    #[command(after_help = "Examples:
  dcos lb app show /green-myapp
  dcos lb app show /green-myapp --jq '.tasks[].healthCheckResults[] | select(.alive == false)'")]
    Show(ShowArgs),
    /// List apps: ID MEM CPUS TASKS HEALTH DEPLOYMENT WAITING CONTAINER CMD.
    #[command(after_help = "Examples:
  dcos lb app list
  dcos lb app list --json
  dcos lb app list --jq '.[] | select(.instances == 0) | .id'")]
    List(ListArgs),
    /// Set an app's instance count.
    #[command(after_help = "Examples:
  dcos lb app scale /green-myapp 3
  dcos lb app scale /green-myapp 3 --wait --timeout 300
  dcos lb app scale /green-myapp 0 --force      # cancels the deployment holding the app")]
    Scale(ScaleArgs),
    /// Remove an app (asks first; --yes without a terminal).
    #[command(after_help = "Examples:
  dcos lb app remove /blue-myapp
  dcos lb app remove /blue-myapp --yes")]
    Remove(RemoveArgs),
}

/// `app add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The app definition: a JSON file, or `-` for stdin.
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `app show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The app id.
    pub app_id: String,
    /// Output format (the app is always JSON; --jq filters it).
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `app list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `app scale`.
#[derive(Debug, Args)]
pub struct ScaleArgs {
    /// The app id.
    pub app_id: String,
    /// The new instance count.
    #[arg(allow_negative_numbers = true)]
    pub instances: u32,
    /// Override a deployment that holds the app (cancels it).
    #[arg(long)]
    pub force: bool,
    /// Wait until the deployment finished (bounded by --timeout, default 600 s).
    #[arg(long)]
    pub wait: bool,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `app remove`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The app id.
    pub app_id: String,
    /// Override a deployment that holds the app (cancels it).
    #[arg(long)]
    pub force: bool,
    /// Do not ask for confirmation.
    #[arg(short = 'y', long)]
    pub yes: bool,
}

/// Runs an app command.
pub fn cmd_app(ui: &mut Ui, ctx: &Context, command: &AppCommand) -> anyhow::Result<ExitCode> {
    match command {
        AppCommand::Add(args) => add(ui, ctx, args),
        AppCommand::Show(args) => show(ui, ctx, args),
        AppCommand::List(args) => list(ui, ctx, args),
        AppCommand::Scale(args) => scale(ui, ctx, args),
        AppCommand::Remove(args) => remove(ui, ctx, args),
    }
}

/// Asks before a destructive step: `--yes` skips, a terminal asks, and
/// anything else refuses (nothing is sent).
pub fn confirm_destructive(ui: &mut Ui, yes: bool, question: &str) -> anyhow::Result<()> {
    if yes {
        return Ok(());
    }
    if !ui.can_prompt() {
        return Err(CliError::new(
            ExitCode::Failure,
            format!("{question} Not asking without a terminal: pass --yes to confirm"),
        )
        .into());
    }
    if ui.confirm(question)? {
        Ok(())
    } else {
        Err(CliError::new(ExitCode::Failure, "cancelled: nothing was changed").into())
    }
}

/// Prints a JSON value (`--jq` filters it) for commands whose human output is JSON too.
pub fn print_json(ui: &mut Ui, format: &OutputFormat, value: &Value) -> anyhow::Result<()> {
    match format {
        OutputFormat::Jq(_) => ui.result_data(format, value, Table::default),
        OutputFormat::Human | OutputFormat::Json => Ok(ui.result_json(value)?),
    }
}

fn read_definition(ui: &Ui, file: &PathBuf) -> anyhow::Result<(String, String)> {
    if file.as_os_str() == "-" {
        let mut stdin = std::io::stdin();
        if stdin.is_terminal() && ui.can_prompt() {
            return Err(CliError::new(
                ExitCode::InvalidInput,
                "reading the app definition from a terminal is not supported",
            )
            .hint("dcos lb app add - < app.json")
            .into());
        }
        let mut text = String::new();
        stdin.read_to_string(&mut text).context("reading stdin")?;
        return Ok(("stdin".to_string(), text));
    }
    let text = fs_err::read_to_string(file).map_err(|e| {
        CliError::new(
            ExitCode::InvalidInput,
            format!(
                "can't read from resource: {}. Please check that it exists ({e})",
                file.display()
            ),
        )
    })?;
    Ok((file.display().to_string(), text))
}

/// Parses an app definition, reporting malformed JSON with its line and column.
pub fn parse_definition(origin: &str, text: &str) -> Result<Value, CliError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        CliError::new(
            ExitCode::InvalidInput,
            format!(
                "error loading JSON from {origin}: line {} column {}: {}",
                e.line(),
                e.column(),
                e.to_string().split(" at line ").next().unwrap_or_default()
            ),
        )
    })?;
    if !value.is_object() {
        return Err(CliError::new(
            ExitCode::InvalidInput,
            format!("error loading JSON from {origin}: an app definition must be a JSON object"),
        ));
    }
    match value.get("id").and_then(Value::as_str) {
        Some(id) if !id.trim().trim_matches('/').is_empty() => Ok(value),
        _ => Err(CliError::new(
            ExitCode::InvalidInput,
            "application ID must be set",
        )),
    }
}

fn add(ui: &mut Ui, ctx: &Context, args: &AddArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let (origin, text) = read_definition(ui, &args.file)?;
    let definition = parse_definition(&origin, &text)?;
    let id = normalize(definition["id"].as_str().unwrap_or_default());
    let marathon = ctx.marathon()?;
    match marathon.app_raw(&id) {
        Ok(_) => {
            return Err(CliError::new(
                ExitCode::AppCreate,
                format!("Application '{id}' already exists"),
            )
            .into());
        }
        Err(MarathonError::NotFound { .. }) => {}
        Err(err) => return Err(err.into()),
    }
    let (created, deployment) = marathon
        .create_app(&definition)
        .with_context(|| format!("creating app '{id}'"))?;
    if let Some(deployment) = &deployment {
        ui.info(&format!("Created deployment {deployment}"));
    }
    if !matches!(format, OutputFormat::Human) {
        ui.result_data(&format, &created, Table::default)?;
    }
    Ok(ExitCode::Success)
}

fn show(ui: &mut Ui, ctx: &Context, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let app = ctx.marathon()?.app_raw(&args.app_id)?;
    print_json(ui, &format, &app)?;
    Ok(ExitCode::Success)
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

fn list(ui: &mut Ui, ctx: &Context, args: &ListArgs) -> anyhow::Result<ExitCode> {
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

/// Waits until deployment `id` is gone from `/v2/deployments`. A
/// `deployment_failed` event for it is an error.
pub fn wait_for_deployment(
    ui: &mut Ui,
    marathon: &MarathonClient,
    id: &str,
    timeout: Duration,
    interval: Duration,
) -> anyhow::Result<ExitCode> {
    let outcome = wait_for(marathon, DEPLOYMENT_EVENTS, timeout, interval, |event| {
        if let Some(event) = event
            && event.event_type == "deployment_failed"
            && event.data.get("id").and_then(Value::as_str) == Some(id)
        {
            return Ok(Some(false));
        }
        let running = marathon.deployments()?;
        Ok((!running.iter().any(|d| d.id == id)).then_some(true))
    })?;
    match outcome {
        WaitOutcome::Done(true) => {
            ui.info(&format!("Deployment {id} finished"));
            Ok(ExitCode::Success)
        }
        WaitOutcome::Done(false) => {
            Err(CliError::new(ExitCode::Failure, format!("Deployment {id} failed")).into())
        }
        WaitOutcome::TimedOut => Err(CliError::new(
            ExitCode::Timeout,
            format!(
                "timed out after {} s waiting for deployment {id}",
                timeout.as_secs()
            ),
        )
        .hint(format!("dcos lb deployment watch {id}"))
        .into()),
    }
}

/// The wait bound: the global `--timeout` when given, else [`DEFAULT_WAIT`].
pub fn wait_timeout(ctx: &Context) -> Duration {
    ctx.global()
        .connection
        .timeout
        .map_or(DEFAULT_WAIT, Duration::from_secs)
}

fn scale(ui: &mut Ui, ctx: &Context, args: &ScaleArgs) -> anyhow::Result<ExitCode> {
    let format = args.output.format()?;
    let marathon = ctx.marathon()?;
    let id = normalize(&args.app_id);
    // PUT would create a missing app: make sure it exists first.
    marathon.app(&id)?;
    let result = marathon
        .scale_app(&id, args.instances, args.force)
        .with_context(|| format!("scaling '{id}' to {}", args.instances))
        .map_err(|e| with_code(e, ExitCode::Scale))?;
    ui.info(&format!("Created deployment {}", result.deployment_id));
    if !matches!(format, OutputFormat::Human) {
        ui.result_data(&format, &result, Table::default)?;
    }
    if args.wait {
        return wait_for_deployment(
            ui,
            &marathon,
            &result.deployment_id,
            wait_timeout(ctx),
            Duration::from_secs(1),
        );
    }
    Ok(ExitCode::Success)
}

/// Keeps auth, lock and input errors as they are; other Marathon failures of
/// a step get the step's zdd-compatible exit code.
fn with_code(err: anyhow::Error, code: ExitCode) -> anyhow::Error {
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

fn remove(ui: &mut Ui, ctx: &Context, args: &RemoveArgs) -> anyhow::Result<ExitCode> {
    let id = normalize(&args.app_id);
    let marathon = ctx.marathon()?;
    marathon.app(&id)?;
    confirm_destructive(
        ui,
        args.yes,
        &format!("Are you sure you want to remove app '{id}'?"),
    )?;
    let result = marathon.delete_app(&id, args.force).map_err(|e| {
        with_code(
            anyhow::Error::new(e).context(format!("removing '{id}'")),
            ExitCode::AppDelete,
        )
    })?;
    ui.info(&format!("Created deployment {}", result.deployment_id));
    Ok(ExitCode::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_json_names_line_and_column() {
        let err = parse_definition("app.json", "{\n  \"id\": \"/x\",\n  \"cpus\": ,\n}")
            .expect_err("bad");
        assert_eq!(err.code, ExitCode::InvalidInput);
        assert!(
            err.message
                .starts_with("error loading JSON from app.json: line 3 column 11: expected value"),
            "{}",
            err.message
        );
        let err = parse_definition("f", r#"{"cpus": 1}"#).expect_err("no id");
        assert_eq!(err.message, "application ID must be set");
        assert!(parse_definition("f", r#"{"id": "/x"}"#).is_ok());
    }

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
