//! A block of lines redrawn in place on a terminal (the deploy's TTY
//! progress): each draw moves the cursor back over the previous block and
//! clears to the end of the screen. Lines printed "above" the panel clear
//! it first and redraw it after. Writes only to the writer it is given
//! (the `Ui`'s stderr). Lines longer than the terminal are cut to fit:
//! a wrapped line would take two rows, and the next redraw would move the
//! cursor back over too few.

use std::io::{self, Write};

/// A redrawable block of lines.
#[derive(Debug, Default)]
pub struct Panel {
    /// Lines on screen now.
    drawn: usize,
    /// The last lines drawn, to redraw after a line printed above.
    lines: Vec<String>,
    /// The terminal's width in columns, when known.
    width: Option<usize>,
}

impl Panel {
    /// A panel for a terminal `width` columns wide (`None`: unknown, lines
    /// are drawn whole).
    pub fn with_width(width: Option<u16>) -> Self {
        Self {
            width: width.filter(|w| *w > 1).map(usize::from),
            ..Self::default()
        }
    }

    /// Replaces the block on screen with `lines`; nothing is written when
    /// they did not change.
    pub fn draw(&mut self, out: &mut dyn Write, lines: Vec<String>) -> io::Result<()> {
        if lines == self.lines && self.drawn == lines.len() {
            return Ok(());
        }
        self.lines = lines;
        self.redraw(out)
    }

    /// Removes the block from the screen (before a prompt, a line or the end).
    pub fn clear(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.drawn > 0 {
            write!(out, "\x1b[{}F\x1b[0J", self.drawn)?;
            self.drawn = 0;
        }
        out.flush()
    }

    /// Draws the last lines again (after [`Panel::clear`]).
    pub fn redraw(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.clear(out)?;
        for line in &self.lines {
            writeln!(out, "{}", fit(line, self.width))?;
        }
        self.drawn = self.lines.len();
        out.flush()
    }
}

/// `line` cut to one column less than `width` (so the cursor never wraps),
/// with `…` where it was cut.
fn fit(line: &str, width: Option<usize>) -> std::borrow::Cow<'_, str> {
    let Some(width) = width else {
        return line.into();
    };
    let room = width - 1;
    if line.chars().count() <= room {
        return line.into();
    }
    let mut cut: String = line.chars().take(room - 1).collect();
    cut.push('…');
    cut.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[test]
    fn a_draw_replaces_the_previous_block_and_the_same_lines_are_not_redrawn() {
        let mut panel = Panel::default();
        let mut out = Vec::new();
        panel.draw(&mut out, vec!["a".into(), "b".into()]).unwrap();
        assert_eq!(text(&out), "a\nb\n");
        out.clear();
        panel.draw(&mut out, vec!["a".into(), "b".into()]).unwrap();
        assert_eq!(text(&out), "", "unchanged");
        panel.draw(&mut out, vec!["c".into()]).unwrap();
        assert_eq!(text(&out), "\x1b[2F\x1b[0Jc\n", "up two lines, clear, draw");
    }

    #[test]
    fn a_line_above_clears_then_the_block_comes_back() {
        let mut panel = Panel::default();
        let mut out = Vec::new();
        panel.draw(&mut out, vec!["x".into(), "y".into()]).unwrap();
        out.clear();
        panel.clear(&mut out).unwrap();
        out.extend_from_slice(b"killing 1 task\n");
        panel.redraw(&mut out).unwrap();
        assert_eq!(text(&out), "\x1b[2F\x1b[0Jkilling 1 task\nx\ny\n");
        out.clear();
        panel.clear(&mut out).unwrap();
        panel.clear(&mut out).unwrap();
        assert_eq!(
            text(&out),
            "\x1b[2F\x1b[0J",
            "a second clear writes nothing"
        );
    }

    #[test]
    fn lines_wider_than_the_terminal_are_cut_to_fit_one_row() {
        let mut panel = Panel::with_width(Some(10));
        let mut out = Vec::new();
        let long = "green 2/3 healthy → blue 1/3".to_string();
        panel.draw(&mut out, vec![long, "ok".into()]).unwrap();
        assert_eq!(text(&out), "green 2/…\nok\n", "nine columns of ten");
        out.clear();
        panel
            .draw(&mut out, vec!["123456789".into(), "1234567890".into()])
            .unwrap();
        assert_eq!(
            text(&out),
            "\x1b[2F\x1b[0J123456789\n12345678…\n",
            "nine characters fit; ten would fill the last column: cut"
        );
        let mut unknown = Panel::with_width(None);
        out.clear();
        unknown.draw(&mut out, vec!["x".repeat(300)]).unwrap();
        assert_eq!(out.len(), 301, "unknown width: drawn whole");
    }
}
