//! The deploy's progress on the terminal, and its one line policy: NDJSON
//! events on stdout with `--json`; on a terminal a panel redrawn in place
//! (lines that are not panel lines print above it); else one line per
//! change on stderr, where each kind of line (the text before its first
//! `:`) prints again only when its text changed, so that a poll loop's
//! alternating checks do not repeat themselves.

use std::collections::HashMap;

use serde_json::Value;

use super::panel::Panel;
use super::{Ui, Verbosity};

/// One progress report, in each of its forms.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The NDJSON event.
    pub json: Value,
    /// The panel's lines, when this report is a state the panel shows.
    pub panel: Option<Vec<String>>,
    /// The line printed otherwise.
    pub line: String,
}

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `--json`: every report as an NDJSON line on stdout.
    Ndjson,
    /// A terminal on stderr: the panel, and lines above it.
    Panel,
    /// Anything else: one line per change.
    Lines,
}

/// Shows a run's reports through a [`Ui`].
#[derive(Debug)]
pub struct Reporter {
    style: Style,
    panel: Panel,
    last_by_kind: HashMap<String, String>,
}

impl Reporter {
    /// The style the `Ui` allows: NDJSON when asked, the panel on a
    /// terminal at normal verbosity or above, else lines.
    pub fn for_ui(ui: &Ui, ndjson: bool) -> Self {
        let style = if ndjson {
            Style::Ndjson
        } else if ui.stderr_is_tty() && ui.verbosity() >= Verbosity::Normal {
            Style::Panel
        } else {
            Style::Lines
        };
        Self::new(style, ui.terminal_width())
    }

    /// A reporter of `style` for a terminal `width` columns wide.
    pub fn new(style: Style, width: Option<u16>) -> Self {
        Self {
            style,
            panel: Panel::with_width(width),
            last_by_kind: HashMap::new(),
        }
    }

    /// Shows one report.
    pub fn report(&mut self, ui: &mut Ui, report: Report) {
        if self.style == Style::Ndjson {
            let _ = ui.result_ndjson(&report.json);
            return;
        }
        if self.style == Style::Panel
            && let Some(lines) = report.panel
        {
            let _ = self.panel.draw(ui.err_writer(), lines);
            return;
        }
        let kind = report
            .line
            .split(':')
            .next()
            .unwrap_or_default()
            .to_string();
        if self.last_by_kind.get(&kind) == Some(&report.line) {
            return;
        }
        if self.style == Style::Panel {
            let _ = self.panel.clear(ui.err_writer());
            ui.info(&report.line);
            let _ = self.panel.redraw(ui.err_writer());
        } else {
            ui.info(&report.line);
        }
        self.last_by_kind.insert(kind, report.line);
    }

    /// Takes the panel off the screen: before a prompt (the next panel
    /// report draws it again) and at the end of the run.
    pub fn clear(&mut self, ui: &mut Ui) {
        let _ = self.panel.clear(ui.err_writer());
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::io::{self, Write};
    use std::rc::Rc;

    use serde_json::json;

    use super::*;

    #[derive(Clone, Default)]
    struct Buffer(Rc<RefCell<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Buffer {
        fn take(&self) -> String {
            String::from_utf8(std::mem::take(&mut *self.0.borrow_mut())).unwrap()
        }
    }

    fn ui() -> (Ui, Buffer, Buffer) {
        let (out, err) = (Buffer::default(), Buffer::default());
        let ui = Ui::from_writers(
            Box::new(out.clone()),
            Box::new(err.clone()),
            Verbosity::Normal,
        );
        (ui, out, err)
    }

    fn line(text: &str) -> Report {
        Report {
            json: json!({"line": text}),
            panel: None,
            line: text.into(),
        }
    }

    fn state(lines: &[&str]) -> Report {
        Report {
            json: json!({"state": lines}),
            panel: Some(lines.iter().map(|l| (*l).to_string()).collect()),
            line: format!("state: {}", lines.join(" ")),
        }
    }

    #[test]
    fn lines_repeat_only_when_their_kind_changes_text() {
        let (mut ui, out, err) = ui();
        let mut reporter = Reporter::new(Style::Lines, None);
        for r in [
            line("waiting: 1 task"),
            line("lb: 2 up"),
            line("waiting: 1 task"),
            state(&["green 1/3"]),
            line("waiting: 2 tasks"),
        ] {
            reporter.report(&mut ui, r);
        }
        assert_eq!(
            err.take(),
            "waiting: 1 task\nlb: 2 up\nstate: green 1/3\nwaiting: 2 tasks\n"
        );
        assert_eq!(out.take(), "", "progress is not a result");
    }

    #[test]
    fn on_a_terminal_states_redraw_the_panel_and_lines_print_above_it() {
        let (mut ui, _, err) = ui();
        let mut reporter = Reporter::new(Style::Panel, Some(12));
        reporter.report(&mut ui, state(&["green 1/3 healthy"]));
        reporter.report(&mut ui, line("killing 1"));
        reporter.report(&mut ui, state(&["green 2/3"]));
        reporter.clear(&mut ui);
        assert_eq!(
            err.take(),
            "green 1/3 …\n\x1b[1F\x1b[0Jkilling 1\ngreen 1/3 …\n\x1b[1F\x1b[0Jgreen 2/3\n\x1b[1F\x1b[0J"
        );
        reporter.clear(&mut ui);
        assert_eq!(err.take(), "", "the panel was already off the screen");
    }

    #[test]
    fn ndjson_prints_every_report_on_stdout() {
        let (mut ui, out, err) = ui();
        let mut reporter = Reporter::new(Style::Ndjson, Some(80));
        reporter.report(&mut ui, line("waiting: 1 task"));
        reporter.report(&mut ui, line("waiting: 1 task"));
        reporter.report(&mut ui, state(&["a"]));
        assert_eq!(
            out.take(),
            "{\"line\":\"waiting: 1 task\"}\n{\"line\":\"waiting: 1 task\"}\n{\"state\":[\"a\"]}\n"
        );
        assert_eq!(err.take(), "");
    }
}
