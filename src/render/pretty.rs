use std::fmt::Write as _;

use super::{RenderContext, printable};
use crate::Report;
use crate::checks::rules;
use crate::diagnostic::{Diagnostic, Outcome, Service, Severity, Verification};

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
    }

    fn severity(&self, severity: Severity) -> String {
        match severity {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
            Severity::Info => self.paint("1;36", "info"),
        }
    }
}

/// A pre-flight report: one step per service, each finding with its source line.
pub fn render(report: &Report, context: &RenderContext<'_>) -> String {
    let style = Style { color: context.color };
    let mut out = String::new();
    let environments: Vec<String> = report
        .environments
        .iter()
        .map(|env| {
            let name =
                env.name.as_deref().map_or_else(|| "top level".to_owned(), |n| format!("env.{n}"));
            match &env.worker {
                Some(worker) => format!("{name} ({worker})"),
                None => name,
            }
        })
        .collect();
    let _ = writeln!(out, "{} {}", style.paint("1", "atom-sage"), report.version);
    let _ = writeln!(out, "Checking {}", report.config);
    if !environments.is_empty() {
        let _ = writeln!(out, "Environments: {}", environments.join(", "));
    }
    let _ = writeln!(out);

    let services: Vec<Service> = Service::ALL
        .into_iter()
        // Offline, a service only the account checks look at would say "ok" about nothing.
        .filter(|service| {
            rules().any(|rule| {
                rule.service == *service
                    && (report.account.is_some() || !crate::checks::is_remote(rule.code))
            })
        })
        .collect();
    // Secret values found in the config are masked wherever a source line shows them.
    let secrets: Vec<(&str, crate::diagnostic::Range)> = report
        .diagnostics
        .iter()
        .filter(|d| d.sensitive)
        .filter_map(|d| Some((d.file.as_deref()?, d.range?)))
        .collect();
    for (index, service) in services.iter().enumerate() {
        let findings: Vec<&Diagnostic> =
            report.diagnostics.iter().filter(|d| d.service == *service).collect();
        let unknown = report
            .verifications
            .iter()
            .filter(|v| v.service == *service && v.outcome == Outcome::Unknown)
            .count();
        let verdict = verdict(&findings, unknown, &style);
        let _ = writeln!(
            out,
            "[{}/{}] Checking {}... {verdict}",
            index + 1,
            services.len(),
            service.title()
        );
        for diagnostic in findings {
            write_diagnostic(&mut out, diagnostic, context, &style, &secrets);
        }
    }

    if let Some(account) = &report.account {
        write_account(&mut out, report, account, &style);
    }

    let s = report.summary;
    let _ = writeln!(out);
    let suppressed = if report.suppressed > 0 {
        format!(" ({} suppressed by settings)", report.suppressed)
    } else {
        String::new()
    };
    let line = format!("{}{suppressed}", super::summary_line(s));
    let _ = writeln!(
        out,
        "{}",
        if s.errors > 0 {
            style.paint("1;31", &line)
        } else if s.warnings > 0 {
            style.paint("1;33", &line)
        } else {
            style.paint("1;32", &line)
        }
    );
    out
}

/// The pre-flight of `--remote`: per service, each thing verified against the account (✓), each
/// finding (✗) and each check that could not be made (?).
fn write_account(out: &mut String, report: &Report, account: &str, style: &Style) {
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", style.paint("1", &format!("Against account {account}:")));
    for service in Service::ALL {
        let verified: Vec<&Verification> =
            report.verifications.iter().filter(|v| v.service == service).collect();
        let failed: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.service == service && crate::checks::is_remote(d.code))
            .collect();
        if verified.is_empty() && failed.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {}", service.title());
        for v in verified {
            let env =
                v.env.as_deref().map(|e| format!(" [env.{}]", printable(e))).unwrap_or_default();
            let line = match v.outcome {
                Outcome::Verified => {
                    format!("{} {} {}{env}", style.paint("32", "✓"), v.subject, v.detail)
                }
                Outcome::Unknown | Outcome::Unavailable => {
                    format!("{} {}: {}{env}", style.paint("33", "?"), v.subject, v.detail)
                }
            };
            let _ = writeln!(out, "    {}", printable(&line));
        }
        for d in failed {
            let env =
                d.env.as_deref().map(|e| format!(" [env.{}]", printable(e))).unwrap_or_default();
            let mark = match d.severity {
                Severity::Error => style.paint("31", "✗"),
                Severity::Warning => style.paint("33", "!"),
                Severity::Info => style.paint("36", "i"),
            };
            let _ = writeln!(out, "    {mark} [{}] {}{env}", d.code, printable(&d.message));
        }
    }
}

/// The counts after a section header; "ok" only when nothing was found and nothing is unknown.
fn verdict(findings: &[&Diagnostic], unknown: usize, style: &Style) -> String {
    let count = |severity| findings.iter().filter(|d| d.severity == severity).count();
    let (errors, warnings, infos) =
        (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(style.paint("31", &format!("{errors} error{}", plural(errors))));
    }
    if warnings > 0 {
        parts.push(style.paint("33", &format!("{warnings} warning{}", plural(warnings))));
    }
    if infos > 0 {
        parts.push(style.paint("36", &format!("{infos} info")));
    }
    if unknown > 0 {
        parts.push(style.paint("33", &format!("{unknown} unknown")));
    }
    if parts.is_empty() { style.paint("32", "ok") } else { parts.join(", ") }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn write_diagnostic(
    out: &mut String,
    d: &Diagnostic,
    context: &RenderContext<'_>,
    style: &Style,
    secrets: &[(&str, crate::diagnostic::Range)],
) {
    let env = d
        .env
        .as_deref()
        .map_or_else(|| "top level".to_owned(), |e| format!("env.{}", printable(e)));
    let _ = writeln!(
        out,
        "  {}[{}] {}",
        style.severity(d.severity),
        d.code,
        style.paint("1", &printable(&d.message))
    );
    let place = match (&d.file, d.range) {
        (Some(file), Some(range)) => format!("{file}:{}:{}", range.line, range.column),
        (Some(file), None) => file.clone(),
        _ => String::new(),
    };
    let _ = writeln!(out, "    {} {place} ({env})", style.paint("34", "-->"));
    if let (Some(file), Some(range)) = (&d.file, d.range)
        && let Some(source) = context.files.iter().find(|f| &f.display == file)
    {
        // A long line (minified JSON) is not shown: it would not fit, and masking it for every
        // finding on it would cost its length each time.
        let raw = source.lines.line_text(&source.text, range.line);
        let text =
            if raw.len() < 300 { mask(raw, file, range.line, secrets) } else { String::new() };
        if !text.trim().is_empty() {
            let number = range.line.to_string();
            let pad = " ".repeat(number.len());
            let width = if range.end_line == range.line {
                range.end_column.saturating_sub(range.column).max(1) as usize
            } else {
                text.chars().count().saturating_sub(range.column as usize - 1).max(1)
            };
            let marker = format!(
                "{}{}",
                " ".repeat(range.column.saturating_sub(1) as usize),
                "^".repeat(width.min(80))
            );
            let _ = writeln!(out, "    {pad} {}", style.paint("34", "|"));
            let _ = writeln!(
                out,
                "    {} {} {text}",
                style.paint("34", &number),
                style.paint("34", "|")
            );
            let _ = writeln!(
                out,
                "    {pad} {} {}",
                style.paint("34", "|"),
                style.paint(severity_color(d.severity), &marker)
            );
        }
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "    = {}: {}", style.paint("1", "help"), printable(help));
    }
    if let Some(note) = &d.note {
        let _ = writeln!(out, "    = {}: {}", style.paint("1", "note"), printable(note));
    }
}

fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "31",
        Severity::Warning => "33",
        Severity::Info => "36",
    }
}

/// The line with every secret on it replaced by `*`: the values findings marked as secret, and
/// any quoted value that looks like one (a line shown for another reason, or one that did not
/// parse, may hold a secret too).
fn mask(
    line: &str,
    file: &str,
    number: u32,
    secrets: &[(&str, crate::diagnostic::Range)],
) -> String {
    let mut chars: Vec<char> = line.chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
    for (secret_file, range) in secrets {
        if *secret_file != file || range.line > number || range.end_line < number {
            continue;
        }
        let start = if range.line == number { range.column as usize - 1 } else { 0 };
        let end =
            if range.end_line == number { range.end_column as usize - 1 } else { chars.len() };
        let end = end.min(chars.len());
        for c in &mut chars[start.min(end)..end] {
            *c = '*';
        }
    }
    let mut quote: Option<(char, usize)> = None;
    for index in 0..chars.len() {
        match quote {
            None if chars[index] == '"' || chars[index] == '\'' => {
                quote = Some((chars[index], index));
            }
            Some((open, start)) if chars[index] == open => {
                let value: String = chars[start + 1..index].iter().collect();
                if crate::secrets::must_not_print(&value) {
                    for c in &mut chars[start + 1..index] {
                        *c = '*';
                    }
                }
                quote = None;
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}
