use serde::Serialize;

use crate::diagnostic::{Diagnostic, Service, Severity, Summary};
use crate::{CheckedEnvironment, Report, Verification};

/// A finding as the JSON report writes it: the location flattened into lines and columns.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct JsonDiagnostic {
    /// The permanent code.
    pub code: &'static str,
    /// The kebab-case name.
    pub name: &'static str,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// The service.
    pub service: Service,
    /// The environment; `null` for the top level.
    pub env: Option<String>,
    /// The binding or variable name.
    pub binding: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
    /// Why it matters.
    pub note: Option<String>,
    /// The file.
    pub file: Option<String>,
    /// First line, from 1.
    pub line: Option<u32>,
    /// First column, from 1.
    pub column: Option<u32>,
    /// Last line.
    pub end_line: Option<u32>,
    /// Column past the end.
    pub end_column: Option<u32>,
}

impl From<&Diagnostic> for JsonDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        JsonDiagnostic {
            code: d.code,
            name: d.name,
            severity: d.severity,
            service: d.service,
            env: d.env.clone(),
            binding: d.binding.clone(),
            message: d.message.clone(),
            help: d.help.clone(),
            note: d.note.clone(),
            file: d.file.clone(),
            line: d.range.map(|r| r.line),
            column: d.range.map(|r| r.column),
            end_line: d.range.map(|r| r.end_line),
            end_column: d.range.map(|r| r.end_column),
        }
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: &'a str,
    schema: u32,
    config: &'a str,
    environments: &'a [CheckedEnvironment],
    diagnostics: Vec<JsonDiagnostic>,
    summary: Summary,
    suppressed: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<&'a str>,
    verifications: Vec<JsonVerification<'a>>,
}

/// A verification as the JSON report writes it.
#[derive(Serialize)]
struct JsonVerification<'a> {
    #[serde(flatten)]
    verification: &'a Verification,
    line: Option<u32>,
    column: Option<u32>,
}

impl<'a> From<&'a Report> for JsonReport<'a> {
    fn from(report: &'a Report) -> Self {
        JsonReport {
            version: report.version,
            schema: report.schema,
            config: &report.config,
            environments: &report.environments,
            diagnostics: report.diagnostics.iter().map(JsonDiagnostic::from).collect(),
            summary: report.summary,
            suppressed: report.suppressed,
            account: report.account.as_deref(),
            verifications: report
                .verifications
                .iter()
                .map(|v| JsonVerification {
                    verification: v,
                    line: v.range.map(|r| r.line),
                    column: v.range.map(|r| r.column),
                })
                .collect(),
        }
    }
}

/// The JSON report as a value, for the stdio protocol.
#[must_use]
pub fn to_value(report: &Report) -> serde_json::Value {
    serde_json::to_value(JsonReport::from(report)).unwrap_or(serde_json::Value::Null)
}

/// The JSON report, pretty-printed, with a final newline.
#[must_use]
pub fn to_json(report: &Report) -> String {
    let json = JsonReport::from(report);
    let mut text = serde_json::to_string_pretty(&json)
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    text.push('\n');
    text
}
