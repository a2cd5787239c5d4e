use std::fmt::Write as _;

use super::printable;
use crate::Report;

/// One line per finding: `file:line:column: severity[CODE] message [env]`.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let place = match (&d.file, d.range) {
            (Some(file), Some(range)) => format!("{file}:{}:{}", range.line, range.column),
            (Some(file), None) => file.clone(),
            _ => report.config.clone(),
        };
        let env = d.env.as_deref().map(|e| format!(" [env.{}]", printable(e))).unwrap_or_default();
        let message = printable(&d.message);
        let _ = writeln!(out, "{place}: {}[{}] {message}{env}", d.severity.as_str(), d.code);
    }
    for v in super::unknowns(report) {
        let place = match (&v.file, v.range) {
            (Some(file), Some(range)) => format!("{file}:{}:{}", range.line, range.column),
            _ => report.config.clone(),
        };
        let env = super::env_suffix(v.env.as_deref());
        let _ = writeln!(out, "{place}: unknown[{}] {}: {}{env}", v.code, v.subject, v.detail);
    }
    let _ = writeln!(out, "{}", super::summary_line(report.summary));
    out
}
