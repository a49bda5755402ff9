//! Helpers that several command groups share: the one reader of an app
//! definition, the confirmation before a destructive step, JSON output,
//! and the wait for a Marathon deployment.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use serde_json::Value;

use crate::cli::context::Context;
use crate::cli::exit::{CliError, ExitCode};
use crate::marathon::wait::{WaitOutcome, wait_for};
use crate::marathon::{MarathonClient, MarathonError};
use crate::output::{OutputFormat, Table, Ui};

/// How long `--wait` waits when `--timeout` is not given.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(600);

/// Events that can end a deployment.
const DEPLOYMENT_EVENTS: &[&str] = &["deployment_success", "deployment_failed"];

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

/// Reads an app definition from a file, or from stdin for `-`, and parses
/// it: the one reader of every command that takes an app JSON.
pub fn read_app(ui: &Ui, file: &Path) -> anyhow::Result<Value> {
    let (origin, text) = read_definition(ui, file)?;
    Ok(parse_definition(&origin, &text)?)
}

fn read_definition(ui: &Ui, file: &Path) -> anyhow::Result<(String, String)> {
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
            format!(
                "error loading JSON from {origin}: an app definition must be a JSON object, as Marathon's POST /v2/apps takes"
            ),
        ));
    }
    Ok(value)
}

/// The definition's `id`, which Marathon needs to create the app.
pub fn app_id_of(definition: &Value) -> Result<&str, CliError> {
    match definition.get("id").and_then(Value::as_str) {
        Some(id) if !id.trim().trim_matches('/').is_empty() => Ok(id),
        _ => Err(CliError::new(
            ExitCode::InvalidInput,
            "application ID must be set",
        )),
    }
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
    let outcome = wait_for(
        marathon,
        DEPLOYMENT_EVENTS,
        timeout,
        interval,
        |event| -> Result<_, MarathonError> {
            if let Some(event) = event
                && event.event_type == "deployment_failed"
                && event.data.get("id").and_then(Value::as_str) == Some(id)
            {
                return Ok(Some(false));
            }
            let running = marathon.deployments()?;
            Ok((!running.iter().any(|d| d.id == id)).then_some(true))
        },
    )?;
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
        let err = parse_definition("f", "[1]").expect_err("no object");
        assert!(
            err.message.contains("must be a JSON object"),
            "{}",
            err.message
        );
        let definition = parse_definition("f", r#"{"cpus": 1}"#).expect("an object");
        let err = app_id_of(&definition).expect_err("no id");
        assert_eq!(err.message, "application ID must be set");
        let definition = parse_definition("f", r#"{"id": "/x"}"#).expect("an object");
        assert_eq!(app_id_of(&definition).expect("an id"), "/x");
    }
}
