use super::Span;

/// Turns byte offsets into 1-based lines and columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset at which each line starts.
    line_starts: Vec<u32>,
    /// Whether each line is ASCII, where a column is a byte count: a one-line minified config
    /// with thousands of findings must not be re-counted for each.
    ascii: Vec<bool>,
}

/// A 1-based line and column; the column counts characters, as editors do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    /// The line, from 1.
    pub line: u32,
    /// The column, from 1, in characters.
    pub column: u32,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        let mut ascii = Vec::new();
        let mut line_ascii = true;
        for (offset, byte) in text.bytes().enumerate() {
            line_ascii &= byte.is_ascii();
            if byte == b'\n' {
                line_starts.push(u32::try_from(offset + 1).unwrap_or(u32::MAX));
                ascii.push(line_ascii);
                line_ascii = true;
            }
        }
        ascii.push(line_ascii);
        Self { line_starts, ascii }
    }

    /// The line and column of a byte offset in `text`, the text this index was built from.
    #[must_use]
    pub fn locate(&self, text: &str, offset: u32) -> LineColumn {
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1) - 1;
        let line_start = self.line_starts[line] as usize;
        let end = (offset as usize).min(text.len()).max(line_start);
        let column = if self.ascii.get(line).copied().unwrap_or(false) {
            end - line_start
        } else {
            text.get(line_start..end).map_or(end - line_start, |s| s.chars().count())
        };
        LineColumn {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// The start and end positions of a span.
    #[must_use]
    pub fn range(&self, text: &str, span: Span) -> (LineColumn, LineColumn) {
        (self.locate(text, span.start), self.locate(text, span.end))
    }

    /// The text of line `line` (1-based), without its line break.
    #[must_use]
    pub fn line_text<'a>(&self, text: &'a str, line: u32) -> &'a str {
        let index = line.saturating_sub(1) as usize;
        let Some(&start) = self.line_starts.get(index) else { return "" };
        let end = self.line_starts.get(index + 1).map_or(text.len(), |&next| next as usize);
        text.get(start as usize..end).unwrap_or("").trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_offsets() {
        let text = "ab\ncdé\nf";
        let index = LineIndex::new(text);
        assert_eq!(index.locate(text, 0), LineColumn { line: 1, column: 1 });
        assert_eq!(index.locate(text, 3), LineColumn { line: 2, column: 1 });
        assert_eq!(index.locate(text, 7), LineColumn { line: 2, column: 4 });
        assert_eq!(index.locate(text, 8), LineColumn { line: 3, column: 1 });
        assert_eq!(index.line_text(text, 2), "cdé");
        assert_eq!(index.line_text(text, 9), "");
    }
}
