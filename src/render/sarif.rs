use serde_json::{Value, json};

use crate::Report;
use crate::checks::rules;
use crate::diagnostic::Severity;

/// SARIF 2.1.0, as code scanning reads it.
pub fn render(report: &Report) -> String {
    let rule_list: Vec<_> = rules().collect();
    let rule_objects: Vec<Value> = rule_list
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.summary },
                "help": { "text": rule.docs, "markdown": rule.docs },
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": { "service": rule.service.as_str() },
            })
        })
        .collect();
    // A check that could not be made is an "open" result: neither a pass nor a failure.
    let open = super::unknowns(report).map(|v| {
        let path = v.file.clone().unwrap_or_else(|| report.config.clone());
        let mut location = json!({ "artifactLocation": { "uri": uri(&path) } });
        if let Some(range) = v.range {
            location["region"] = json!({ "startLine": range.line, "startColumn": range.column });
        }
        json!({
            "ruleId": v.code,
            "ruleIndex": rule_list.iter().position(|rule| rule.code == v.code),
            "kind": "open",
            "level": "none",
            "message": { "text": format!("{}: {}", v.subject, v.detail) },
            "locations": [{ "physicalLocation": location }],
            "properties": { "env": v.env, "service": v.service.as_str() },
        })
    });
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let path = d.file.clone().unwrap_or_else(|| report.config.clone());
            let mut location = json!({ "artifactLocation": { "uri": uri(&path) } });
            if let Some(range) = d.range {
                location["region"] = json!({
                    "startLine": range.line,
                    "startColumn": range.column,
                    "endLine": range.end_line,
                    "endColumn": range.end_column,
                });
            }
            let text = match &d.help {
                Some(help) => format!("{} (help: {help})", d.message),
                None => d.message.clone(),
            };
            json!({
                "ruleId": d.code,
                "ruleIndex": rule_list.iter().position(|rule| rule.code == d.code),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{ "physicalLocation": location }],
                "properties": { "env": d.env, "binding": d.binding, "service": d.service.as_str() },
            })
        })
        .chain(open)
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "atom-sage",
                "version": report.version,
                "informationUri": "https://www.npmjs.com/package/@atom-sage/cloudflare",
                "rules": rule_objects,
            }},
            "results": results,
            // Columns count characters, as editors do, not UTF-16 units.
            "columnKind": "unicodeCodePoints",
        }],
    });
    let mut text = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference: every byte but unreserved ones and `/` percent-encoded,
/// so a `#` or a space in a folder name stays part of the path.
fn uri(path: &str) -> String {
    super::percent_encode(path, b"/")
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("sp ace#1/wrangler.toml"), "sp%20ace%231/wrangler.toml");
        assert_eq!(uri("examples/broken/wrangler.toml"), "examples/broken/wrangler.toml");
    }
}
