//! Turning a [`Report`] into text for people, CI systems and other tools. One file per format.

mod concise;
mod github;
mod json;
mod pretty;
mod sarif;

pub use json::{JsonDiagnostic, to_json, to_value};

use crate::Report;
use crate::project::SourceFile;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A pre-flight report with source snippets, for people.
    Pretty,
    /// One line per finding.
    Concise,
    /// The JSON report, for other tools.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

impl Format {
    /// Parses a format name.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "pretty" => Some(Format::Pretty),
            "concise" => Some(Format::Concise),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            "github" => Some(Format::Github),
            _ => None,
        }
    }
}

/// What the renderers may need besides the report.
pub struct RenderContext<'a> {
    /// The files findings point into, for source snippets.
    pub files: Vec<&'a SourceFile>,
    /// Whether to use colour.
    pub color: bool,
}

/// Text from the user's files made safe for a terminal: control characters (a newline in a
/// cron string, an escape sequence in an environment name) are shown escaped, never sent raw.
#[must_use]
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() })
            .collect(),
    )
}

/// "2 errors, 1 warning, 0 info": the counts every format ends with.
#[must_use]
pub fn summary_line(summary: crate::Summary) -> String {
    let plural = |count: usize| if count == 1 { "" } else { "s" };
    let unknown =
        if summary.unknown > 0 { format!(", {} unknown", summary.unknown) } else { String::new() };
    format!(
        "{} error{}, {} warning{}, {} info{unknown}",
        summary.errors,
        plural(summary.errors),
        summary.warnings,
        plural(summary.warnings),
        summary.infos
    )
}

/// Every byte of `text` but unreserved ones (letters, digits, `-._~`) and those in `keep`
/// percent-encoded: a path in a URI, or a segment of one.
#[must_use]
pub fn percent_encode(text: &str, keep: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || keep.contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `[env.staging]` after a line about an environment; nothing for the top level.
fn env_suffix(env: Option<&str>) -> String {
    env.map(|e| format!(" [env.{}]", printable(e))).unwrap_or_default()
}

/// The verifications that could not be made: what the annotation formats list. Those the API
/// offers no way to make (unavailable) are left out, since no change to the project removes them.
fn unknowns(report: &Report) -> impl Iterator<Item = &crate::Verification> {
    report.verifications.iter().filter(|v| v.outcome == crate::Outcome::Unknown)
}

/// What the machine-readable formats print when the check could not run at all: a JSON object
/// with `error`, or a SARIF run whose invocation failed. `None` for the formats meant for people.
#[must_use]
pub fn render_failure(format: Format, message: &str) -> Option<String> {
    let document = match format {
        Format::Json => serde_json::json!({
            "version": crate::VERSION,
            "schema": crate::REPORT_SCHEMA,
            "error": message,
        }),
        Format::Sarif => serde_json::json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": { "name": "atom-sage", "version": crate::VERSION } },
                "invocations": [{
                    "executionSuccessful": false,
                    "toolExecutionNotifications": [{ "level": "error", "message": { "text": message } }],
                }],
                "results": [],
            }],
        }),
        Format::Pretty | Format::Concise | Format::Github => return None,
    };
    Some(format!("{}\n", serde_json::to_string_pretty(&document).unwrap_or_default()))
}

/// Renders a report in a format.
#[must_use]
pub fn render(report: &Report, format: Format, context: &RenderContext<'_>) -> String {
    match format {
        Format::Pretty => pretty::render(report, context),
        Format::Concise => concise::render(report),
        Format::Json => to_json(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
    }
}
