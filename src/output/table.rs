//! Tables in the dcos CLI's style: no borders, upper-case headers, left-aligned
//! cells. Pure: builds strings only.

use comfy_table::{Cell, ContentArrangement, presets};

/// A table of rows under upper-cased headers.
#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headers (upper-cased when rendered).
    pub fn new<S: AsRef<str>>(headers: &[S]) -> Self {
        Self {
            headers: headers.iter().map(|h| h.as_ref().to_uppercase()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Renders the table. `width` 0 means "as wide as the content"; `tty`
    /// allows dynamic arrangement to the terminal.
    pub fn render(&self, width: u16, tty: bool) -> String {
        let mut table = comfy_table::Table::new();
        table.load_style(presets::NOTHING);
        if tty {
            table.set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            table.force_no_tty();
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
        if width > 0 {
            table.set_width(width);
        }
        table.set_header(self.headers.iter().map(Cell::new));
        for row in &self.rows {
            table.add_row(row.iter().map(Cell::new));
        }
        for column in table.column_iter_mut() {
            column.set_padding((0, 2));
        }
        table
            .to_string()
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_without_borders() {
        let mut t = Table::new(&["app", "healthy"]);
        t.row(["/blue", "True"]);
        t.row(["/green-myapp", "False"]);
        assert_eq!(
            t.render(0, false),
            "APP           HEALTHY\n/blue         True\n/green-myapp  False"
        );
    }
}
