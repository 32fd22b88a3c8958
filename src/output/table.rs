//! Aligned text tables for the terminal (`claims`, `compare`, `landscape`):
//! columns left-aligned, two spaces apart, trailing spaces trimmed.
//!
//! Written by hand rather than with `comfy-table`: forty lines keep the tables
//! the commands have always printed (no borders, widths by character count, a
//! blank line between groups), where that crate's presets pad and frame cells.

/// A table of text cells, optionally indented, with blank lines between groups.
#[derive(Clone, Debug, Default)]
pub struct TextTable {
    indent: String,
    rows: Vec<Option<Vec<String>>>,
}

impl TextTable {
    /// A table whose first row is `header`.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        let mut t = TextTable::default();
        t.row(header);
        t
    }

    /// Every line begins with `indent`.
    pub fn indent(mut self, indent: &str) -> Self {
        self.indent = indent.to_string();
        self
    }

    /// Adds a row of cells; rows may have fewer cells than others.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows
            .push(Some(cells.into_iter().map(Into::into).collect()));
    }

    /// A blank line (ignored in widths).
    pub fn gap(&mut self) {
        self.rows.push(None);
    }

    /// The table as text: columns as wide as their widest cell, two spaces apart,
    /// trailing spaces trimmed, each line ending in a newline.
    pub fn render(&self) -> String {
        let mut width: Vec<usize> = Vec::new();
        for r in self.rows.iter().flatten() {
            for (k, x) in r.iter().enumerate() {
                let n = x.chars().count();
                match width.get_mut(k) {
                    Some(w) => *w = (*w).max(n),
                    None => width.push(n),
                }
            }
        }
        let mut text = String::new();
        for r in &self.rows {
            let Some(r) = r else {
                text.push('\n');
                continue;
            };
            let mut line = self.indent.clone();
            for (x, w) in r.iter().zip(&width) {
                line.push_str(x);
                line.push_str(&" ".repeat(w - x.chars().count() + 2));
            }
            text.push_str(line.trim_end());
            text.push('\n');
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_characters() {
        let mut t = TextTable::new(["#", "effect"]).indent("  ");
        t.row(["1a", "−0.5 [−0.6, −0.4]"]);
        t.gap();
        t.row(["10", ""]);
        assert_eq!(
            t.render(),
            "  #   effect\n  1a  −0.5 [−0.6, −0.4]\n\n  10\n"
        );
    }
}
