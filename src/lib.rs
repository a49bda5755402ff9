//! dcos-lb: a DC/OS CLI plugin for zero-downtime blue/green and canary
//! deploys through marathon-lb, Marathon's manual blue/green steps, and a
//! byte-exact local render of marathon-lb's HAProxy config.
//!
//! `main.rs` only calls [`run`]; everything else lives here so tests and
//! benches can use the modules directly.

pub mod cli;
pub mod dcos;
pub mod deploy;
pub mod env;
pub mod http;
pub mod jq;
pub mod lb;
pub mod lint;
pub mod marathon;
pub mod output;
pub mod plugin;
pub mod render;
pub mod sandbox;
pub mod tls;

use std::ffi::OsString;
use std::io;

use clap::Parser;

use crate::cli::context::Context;
use crate::cli::exit::{ExitCode, exit_code_for, hints_for};
use crate::cli::{Cli, INFO};
use crate::env::Env;
use crate::output::{Terminal, Ui, Verbosity};

/// Drops the command name the dcos CLI puts first (`dcos-lb lb deploy …`),
/// so the plugin and the standalone binary take the same arguments.
///
/// ```
/// use std::ffi::OsString;
/// let argv = |words: &[&str]| words.iter().map(OsString::from).collect::<Vec<_>>();
/// assert_eq!(
///     dcos_lb::strip_plugin_prefix(argv(&["dcos-lb", "lb", "deploy", "app.json"])),
///     argv(&["dcos-lb", "deploy", "app.json"]),
/// );
/// assert_eq!(dcos_lb::strip_plugin_prefix(argv(&["dcos-lb", "status"])), argv(&["dcos-lb", "status"]));
/// ```
pub fn strip_plugin_prefix(mut args: Vec<OsString>) -> Vec<OsString> {
    if args.get(1).is_some_and(|a| a == "lb") {
        args.remove(1);
    }
    args
}

/// Runs dcos-lb with these arguments (program name first) and environment.
/// Returns the process exit status.
pub fn run(args: Vec<OsString>, env: Env) -> u8 {
    let args = strip_plugin_prefix(args);
    // The sandbox's Marathon runs every task as `dcos-lb sandbox-task`: not
    // a command for users, so it is in no --help and no completion.
    if args.len() == 2 && args[1] == sandbox::marathon::TASK_SUBCOMMAND {
        return match sandbox::task::run(&env) {
            Ok(()) => ExitCode::Success.code(),
            Err(err) => {
                let mut ui = Ui::new(false, Verbosity::Normal, Terminal::detect(None));
                ui.error(
                    &anyhow::Error::new(err).context("serving as a sandbox task"),
                    &[],
                );
                ExitCode::Failure.code()
            }
        };
    }
    if args.len() == 2 && args[1] == "--info" {
        let mut ui = Ui::new(false, Verbosity::Normal, Terminal::detect(None));
        return match ui.result_text(INFO) {
            Ok(()) => ExitCode::Success.code(),
            Err(_) => ExitCode::Failure.code(),
        };
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let code = err.exit_code();
            let _ = err.print();
            return u8::try_from(code).unwrap_or(ExitCode::Usage.code());
        }
    };
    let terminal = Terminal::detect(env.get(env::COLUMNS));
    let color = Ui::resolve_color(
        cli.global.color,
        &|k| env.get(k).map(str::to_string),
        terminal.stderr_tty,
    );
    let verbosity = verbosity(&cli, &env);
    init_logging(verbosity, &env, color);
    let mut ui = Ui::new(color, verbosity, terminal);
    let ctx = Context::new(cli.global.clone(), env).interactive(&ui);
    match cli::dispatch(&mut ui, &ctx, &cli.command) {
        Ok(code) => code.code(),
        Err(err) if is_broken_pipe(&err) => ExitCode::Success.code(),
        Err(err) => {
            ui.error(&err, &hints_for(&err));
            exit_code_for(&err).code()
        }
    }
}

/// Request-level logs on stderr: `-v` shows what dcos-lb does, `-vv` every
/// request (URLs without credentials; tokens are never logged), and
/// `DCOS_LB_LOG` takes any tracing filter for debugging dcos-lb itself.
/// Only dcos-lb's own records pass by default: a library's (rustls logs a
/// refused certificate at ERROR) would repeat the error dcos-lb prints.
fn init_logging(verbosity: Verbosity, env: &Env, color: bool) {
    use tracing_subscriber::EnvFilter;
    let default = match verbosity {
        Verbosity::Quiet | Verbosity::Normal => "dcos_lb=warn",
        Verbosity::Verbose => "dcos_lb=info",
        Verbosity::Trace => "dcos_lb=debug",
    };
    let filter = env
        .non_empty(env::DCOS_LB_LOG)
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(color)
        .event_format(LogLines(
            tracing_subscriber::fmt::format()
                .with_target(false)
                .without_time(),
        ))
        .try_init();
}

/// Log lines as the Ui writes its own: a warning or an error logged where
/// no Ui is at hand (reading the config, say) reads `warning: …` /
/// `error: …`; the `-v` logs keep tracing's level column.
struct LogLines(tracing_subscriber::fmt::format::Format<tracing_subscriber::fmt::format::Full, ()>);

impl<S, N> tracing_subscriber::fmt::FormatEvent<S, N> for LogLines
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    N: for<'a> tracing_subscriber::fmt::FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &tracing_subscriber::fmt::FmtContext<'_, S, N>,
        mut writer: tracing_subscriber::fmt::format::Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        let label = match *event.metadata().level() {
            tracing::Level::WARN => "warning",
            tracing::Level::ERROR => "error",
            _ => return self.0.format_event(ctx, writer, event),
        };
        write!(writer, "{label}: ")?;
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

fn verbosity(cli: &Cli, env: &Env) -> Verbosity {
    if cli.global.quiet {
        return Verbosity::Quiet;
    }
    let from_dcos = env
        .get(env::DCOS_VERBOSITY)
        .and_then(|v| v.parse::<u8>().ok())
        .unwrap_or(0);
    match cli.global.verbose.max(from_dcos) {
        0 => Verbosity::Normal,
        1 => Verbosity::Verbose,
        _ => Verbosity::Trace,
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_prefix_is_dropped_once() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            strip_plugin_prefix(args(&["dcos-lb", "lb", "deploy"])),
            args(&["dcos-lb", "deploy"])
        );
        assert_eq!(
            strip_plugin_prefix(args(&["dcos-lb", "deploy"])),
            args(&["dcos-lb", "deploy"])
        );
        assert_eq!(
            strip_plugin_prefix(args(&["dcos-lb", "lb", "lb"])),
            args(&["dcos-lb", "lb"])
        );
    }
}
