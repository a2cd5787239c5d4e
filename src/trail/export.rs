//! The trail as a table, JSON, JSON lines or CSV.

use std::fmt::Write as _;

use super::Entry;

/// The formats `trail export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// One JSON array of entries.
    Json,
    /// One entry per line, as the trail stores them.
    Jsonl,
    /// A header and one row per entry; versions and findings flattened into columns.
    Csv,
}

/// The CSV columns, in order.
const CSV_COLUMNS: &[&str] = &[
    "tag",
    "operation",
    "time",
    "who",
    "intent",
    "action",
    "environment",
    "worker",
    "version_before",
    "version_after",
    "errors",
    "warnings",
    "infos",
    "codes",
    "outcome",
    "reason",
    "rollback_command",
    "prev_hash",
    "hash",
];

/// The entries in `format`.
#[must_use]
pub fn export(entries: &[Entry], format: ExportFormat) -> String {
    match format {
        ExportFormat::Json => {
            let mut text = serde_json::to_string_pretty(entries).expect("entries serialise");
            text.push('\n');
            text
        }
        ExportFormat::Jsonl => entries
            .iter()
            .map(|entry| serde_json::to_string(entry).expect("an entry serialises") + "\n")
            .collect(),
        ExportFormat::Csv => {
            let mut text = CSV_COLUMNS.join(",");
            text.push_str("\r\n");
            for entry in entries {
                let text_or_empty = |value: &Option<String>| value.clone().unwrap_or_default();
                let findings = entry.findings.as_ref();
                let count = |pick: fn(&super::FindingsSummary) -> usize| {
                    findings.map(|f| pick(f).to_string()).unwrap_or_default()
                };
                let row = [
                    entry.tag.clone(),
                    entry.operation.clone(),
                    entry.time.clone(),
                    entry.who.clone(),
                    text_or_empty(&entry.intent),
                    entry.action.clone(),
                    text_or_empty(&entry.environment),
                    text_or_empty(&entry.worker),
                    text_or_empty(&entry.version_ids.before),
                    text_or_empty(&entry.version_ids.after),
                    count(|f| f.errors),
                    count(|f| f.warnings),
                    count(|f| f.infos),
                    findings.map(|f| f.codes.join(" ")).unwrap_or_default(),
                    entry.outcome.as_str().to_owned(),
                    text_or_empty(&entry.reason),
                    text_or_empty(&entry.rollback_command),
                    entry.prev_hash.clone(),
                    entry.hash.clone(),
                ];
                let cells: Vec<String> = row.iter().map(|cell| csv_cell(cell)).collect();
                text.push_str(&cells.join(","));
                text.push_str("\r\n");
            }
            text
        }
    }
}

/// A CSV cell: quoted when it holds a comma, quote or line break (RFC 4180), and with a leading
/// `'` when it starts like a spreadsheet formula, so opening the export runs nothing.
fn csv_cell(cell: &str) -> String {
    let cell =
        if cell.starts_with(['=', '+', '-', '@']) { format!("'{cell}") } else { cell.to_owned() };
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// The entries as a table: tag, time, who, action, environment, outcome.
#[must_use]
pub fn table(entries: &[Entry]) -> String {
    let rows: Vec<[String; 6]> = entries
        .iter()
        .map(|entry| {
            [
                entry.tag.as_str(),
                entry.time.as_str(),
                entry.who.as_str(),
                entry.action.as_str(),
                entry.environment.as_deref().unwrap_or("top"),
                entry.outcome.as_str(),
            ]
            .map(|cell| crate::render::printable(cell).into_owned())
        })
        .collect();
    let header = ["TAG", "TIME", "WHO", "ACTION", "ENV", "OUTCOME"].map(str::to_owned);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(widths) {
            let _ = write!(line, "{cell:<width$}  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
