//! The one object that owns stdout and stderr: [`Ui`].
//!
//! Results (tables, JSON, configs) go to stdout; status lines, progress,
//! warnings, prompts and errors go to stderr. Color is resolved once
//! (`--color` > `NO_COLOR` > `CLICOLOR_FORCE`/`FORCE_COLOR` > TTY) and
//! nothing else in the crate writes to the terminal.

#[cfg(unix)]
mod hidden;
pub mod panel;
pub mod progress;
pub mod table;

use std::io::{self, IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use serde_json::Value;

use crate::jq::{JqFilter, output_line};

pub use table::Table;

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorWhen {
    /// Color when the stream is a terminal and NO_COLOR is unset.
    #[default]
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

/// How much status output to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Errors and results only.
    Quiet,
    /// Status lines too.
    Normal,
    /// Debug detail (`-v`).
    Verbose,
    /// Request-level detail (`-vv`).
    Trace,
}

/// How a command prints its result.
#[derive(Debug, Clone, Default)]
pub enum OutputFormat {
    /// A human table (or text).
    #[default]
    Human,
    /// Pretty JSON.
    Json,
    /// JSON filtered through a jq program, one output per line.
    Jq(std::sync::Arc<JqFilter>),
}

/// The terminal facts the `Ui` needs, read once at start-up.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    /// stdout is a terminal.
    pub stdout_tty: bool,
    /// stderr is a terminal.
    pub stderr_tty: bool,
    /// stdin is a terminal (prompts are possible).
    pub stdin_tty: bool,
    /// Terminal width, when known.
    pub width: Option<u16>,
}

impl Terminal {
    /// Reads the real process's terminal state.
    pub fn detect(columns: Option<&str>) -> Self {
        Self {
            stdout_tty: io::stdout().is_terminal(),
            stderr_tty: io::stderr().is_terminal(),
            stdin_tty: io::stdin().is_terminal(),
            width: columns.and_then(|c| c.parse().ok()).or_else(stderr_columns),
        }
    }
}

/// The columns of the terminal on stderr, when it is one.
#[cfg(unix)]
fn stderr_columns() -> Option<u16> {
    rustix::termios::tcgetwinsize(io::stderr())
        .ok()
        .map(|size| size.ws_col)
        .filter(|cols| *cols > 0)
}

/// The columns of the terminal on stderr (unknown off Unix).
#[cfg(not(unix))]
fn stderr_columns() -> Option<u16> {
    None
}

/// How a `Ui` writes: colour, verbosity and the terminal, to open another
/// `Ui` over the process's streams that writes the same way.
#[derive(Debug, Clone, Copy)]
pub struct UiSettings {
    color: bool,
    verbosity: Verbosity,
    terminal: Terminal,
}

impl UiSettings {
    /// A `Ui` over the process's stdout and stderr with these settings.
    pub fn open(self) -> Ui {
        Ui::new(self.color, self.verbosity, self.terminal)
    }
}

/// Owns the output streams. See the module docs.
pub struct Ui {
    out: Box<dyn Write>,
    err: Box<dyn Write>,
    color: bool,
    verbosity: Verbosity,
    terminal: Terminal,
}

impl Ui {
    /// A `Ui` over the process's stdout and stderr.
    pub fn new(color: bool, verbosity: Verbosity, terminal: Terminal) -> Self {
        Self {
            out: Box::new(io::stdout()),
            err: Box::new(io::stderr()),
            color,
            verbosity,
            terminal,
        }
    }

    /// A `Ui` over buffers, for tests.
    pub fn from_writers(out: Box<dyn Write>, err: Box<dyn Write>, verbosity: Verbosity) -> Self {
        Self {
            out,
            err,
            color: false,
            verbosity,
            terminal: Terminal {
                stdout_tty: false,
                stderr_tty: false,
                stdin_tty: false,
                width: None,
            },
        }
    }

    /// Decides whether to color, honouring `--color`, NO_COLOR, CLICOLOR_FORCE and FORCE_COLOR.
    pub fn resolve_color(
        when: ColorWhen,
        env: &dyn Fn(&str) -> Option<String>,
        stderr_tty: bool,
    ) -> bool {
        match when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                let set = |k: &str| env(k).is_some_and(|v| !v.is_empty());
                if set("NO_COLOR") {
                    false
                } else if set("CLICOLOR_FORCE") || set("FORCE_COLOR") {
                    true
                } else {
                    stderr_tty && env("TERM").as_deref() != Some("dumb")
                }
            }
        }
    }

    /// Whether color is on.
    pub fn color(&self) -> bool {
        self.color
    }

    /// The verbosity.
    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    /// Whether stderr is an interactive terminal (spinners, redraws).
    pub fn stderr_is_tty(&self) -> bool {
        self.terminal.stderr_tty
    }

    /// The terminal's width in columns, when known.
    pub fn terminal_width(&self) -> Option<u16> {
        self.terminal.width
    }

    /// Whether stdout is a terminal.
    pub fn stdout_is_tty(&self) -> bool {
        self.terminal.stdout_tty
    }

    /// This `Ui`'s settings, for code that must write to the terminal from
    /// where the `Ui` cannot be lent (the login prompt inside a request).
    pub fn settings(&self) -> UiSettings {
        UiSettings {
            color: self.color,
            verbosity: self.verbosity,
            terminal: self.terminal,
        }
    }

    /// Whether the user can be asked a question.
    pub fn can_prompt(&self) -> bool {
        self.terminal.stdin_tty && self.terminal.stderr_tty
    }

    /// The width tables should use.
    pub fn width(&self) -> u16 {
        self.terminal
            .width
            .unwrap_or(if self.terminal.stdout_tty { 0 } else { 200 })
    }

    fn styled(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    /// Writes a result line to stdout.
    pub fn result_text(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            self.out.write_all(b"\n")?;
        }
        self.out.flush()
    }

    /// Writes raw bytes to stdout (rendered configs).
    pub fn result_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.out.flush()
    }

    /// Prints data in the chosen format: the table from `table` for humans,
    /// JSON otherwise.
    pub fn result_data(
        &mut self,
        format: &OutputFormat,
        data: &impl Serialize,
        table: impl FnOnce() -> Table,
    ) -> anyhow::Result<()> {
        match format {
            OutputFormat::Human => {
                let rendered = table().render(self.width(), self.terminal.stdout_tty && self.color);
                if !rendered.is_empty() {
                    self.result_text(&rendered)?;
                }
            }
            OutputFormat::Json => self.result_json(data)?,
            OutputFormat::Jq(filter) => {
                let value = serde_json::to_value(data)?;
                for out in filter.run(&value)? {
                    self.result_text(&output_line(&out))?;
                }
            }
        }
        Ok(())
    }

    /// Pretty JSON on stdout.
    pub fn result_json(&mut self, data: &impl Serialize) -> io::Result<()> {
        let text = serde_json::to_string_pretty(data).map_err(io::Error::other)?;
        self.result_text(&text)
    }

    /// One compact JSON object per line on stdout (NDJSON event streams).
    pub fn result_ndjson(&mut self, data: &Value) -> io::Result<()> {
        self.result_text(&data.to_string())
    }

    /// A cargo-style status line on stderr: a right-aligned green verb, then the message.
    pub fn status(&mut self, verb: &str, message: &str) {
        if self.verbosity >= Verbosity::Normal {
            let verb = self.styled(
                Style::new().bold().fg_color(Some(AnsiColor::Green.into())),
                &format!("{verb:>12}"),
            );
            let _ = writeln!(self.err, "{verb} {message}");
        }
    }

    /// A plain informational line on stderr.
    pub fn info(&mut self, message: &str) {
        if self.verbosity >= Verbosity::Normal {
            let _ = writeln!(self.err, "{message}");
        }
    }

    /// A debug line on stderr, shown with `-v`.
    pub fn debug(&mut self, message: &str) {
        if self.verbosity >= Verbosity::Verbose {
            let _ = writeln!(self.err, "{message}");
        }
    }

    /// `warning: …` on stderr.
    pub fn warn(&mut self, message: &str) {
        let label = self.styled(
            Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            "warning",
        );
        let _ = writeln!(self.err, "{label}: {message}");
    }

    /// `Error: …` on stderr, the dcos CLI's spelling, with its cause chain and hints.
    pub fn error(&mut self, err: &anyhow::Error, hints: &[String]) {
        let label = self.styled(
            Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            "Error",
        );
        let _ = writeln!(self.err, "{label}: {err}");
        for cause in err.chain().skip(1) {
            let _ = writeln!(self.err, "  Caused by: {cause}");
        }
        for hint in hints {
            let label = self.styled(
                Style::new().bold().fg_color(Some(AnsiColor::Cyan.into())),
                "hint",
            );
            let _ = writeln!(self.err, "{label}: {hint}");
        }
    }

    /// Asks a yes/no question on stderr; `false` when no one can answer.
    pub fn confirm(&mut self, question: &str) -> io::Result<bool> {
        if !self.can_prompt() {
            return Ok(false);
        }
        let answer = self.prompt_line(&format!("{question} [y/n] "))?;
        Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
    }

    /// Reads a line typed by the user after a prompt on stderr (empty on
    /// Ctrl-D, which also ends the prompt's line so later output starts
    /// on its own).
    pub fn prompt_line(&mut self, prompt: &str) -> io::Result<String> {
        write!(self.err, "{prompt}")?;
        self.err.flush()?;
        let mut line = String::new();
        if io::stdin().read_line(&mut line)? == 0 {
            writeln!(self.err)?;
        }
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }

    /// Reads a password without echo; the terminal echoes again afterwards,
    /// also when Ctrl-C ends the process.
    pub fn prompt_password(&mut self, prompt: &str) -> io::Result<String> {
        write!(self.err, "{prompt}")?;
        self.err.flush()?;
        #[cfg(unix)]
        let password = hidden::read_line();
        #[cfg(not(unix))]
        let password = rpassword::read_password();
        writeln!(self.err)?;
        password
    }

    /// Direct access to stderr for progress renderers that redraw lines.
    pub fn err_writer(&mut self) -> &mut dyn Write {
        &mut *self.err
    }
}
