use std::fmt::Write as _;

use crate::Report;
use crate::diagnostic::Severity;

/// GitHub Actions workflow commands, one annotation per finding.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = Vec::new();
        if let Some(file) = &d.file {
            properties.push(format!("file={}", escape_property(file)));
        }
        if let Some(range) = d.range {
            properties.push(format!("line={}", range.line));
            properties.push(format!("col={}", range.column));
            properties.push(format!("endLine={}", range.end_line));
            properties.push(format!("endColumn={}", range.end_column));
        }
        properties.push(format!("title={}", escape_property(&format!("{} {}", d.code, d.name))));
        let mut message = d.message.clone();
        if let Some(env) = &d.env {
            let _ = write!(message, " [env.{env}]");
        }
        if let Some(help) = &d.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        let _ = writeln!(out, "::{level} {}::{}", properties.join(","), escape_data(&message));
    }
    for v in super::unknowns(report) {
        let mut properties = Vec::new();
        if let (Some(file), Some(range)) = (&v.file, v.range) {
            properties.push(format!("file={}", escape_property(file)));
            properties.push(format!("line={}", range.line));
            properties.push(format!("col={}", range.column));
        }
        properties.push(format!("title={}", escape_property(&format!("{} unknown", v.code))));
        let message = format!("{}: {}{}", v.subject, v.detail, super::env_suffix(v.env.as_deref()));
        let _ = writeln!(out, "::warning {}::{}", properties.join(","), escape_data(&message));
    }
    let _ = writeln!(out, "atom-sage: {}", super::summary_line(report.summary));
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_command_text() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
