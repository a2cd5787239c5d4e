//! An environment diff as a table for people, or as JSON.

use std::fmt::Write as _;

use super::{EnvironmentDiff, Row, Section, State};
use crate::render::{printable, summary_line};

/// The diff as JSON (the [`EnvironmentDiff`] fields), with a final newline.
#[must_use]
pub fn json(diff: &EnvironmentDiff) -> String {
    let mut text = serde_json::to_string_pretty(diff).expect("a diff serialises");
    text.push('\n');
    text
}

/// The diff as a side-by-side table, then the findings and their counts.
#[must_use]
pub fn pretty(diff: &EnvironmentDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {} and {}\n", diff.config, diff.left.label, diff.right.label);
    let header = [String::new(), diff.left.label.clone(), diff.right.label.clone(), String::new()];
    let mut table: Vec<[String; 4]> = vec![header];
    let mut section = None;
    for row in &diff.rows {
        if section.is_some() && section != Some(row.section) {
            table.push(Default::default());
        }
        section = Some(row.section);
        table.push([
            what(row),
            cell(row.left.as_deref()),
            cell(row.right.as_deref()),
            mark(row.state).to_owned(),
        ]);
    }
    let mut widths = [0; 3];
    for line in &table {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for [what, left, right, mark] in &table {
        let line = format!(
            "{what:<w0$}  {left:<w1$}  {right:<w2$}  {mark}",
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
    for finding in &diff.findings {
        let _ = writeln!(out, "{}: {}", finding.severity.as_str(), printable(&finding.message));
    }
    let _ = writeln!(out, "{}", summary_line(diff.summary));
    out
}

fn what(row: &Row) -> String {
    let text = match row.section {
        Section::Worker => "worker".to_owned(),
        Section::Compatibility => row.kind.clone(),
        Section::Route if row.kind == "workers_dev" => row.kind.clone(),
        Section::Secret => format!("secret {}", row.name),
        Section::Binding | Section::Var | Section::Route | Section::Trigger => {
            format!("{} {}", row.kind, row.name)
        }
    };
    printable(&text).into_owned()
}

fn cell(value: Option<&str>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| printable(v).into_owned())
}

fn mark(state: State) -> &'static str {
    match state {
        State::Same => "same",
        State::Differs => "differs",
        State::OnlyLeft => "only left",
        State::OnlyRight => "only right",
    }
}
