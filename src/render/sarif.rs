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
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut location = json!({ "artifactLocation": { "uri": d.file.clone().unwrap_or_else(|| report.config.clone()) } });
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
