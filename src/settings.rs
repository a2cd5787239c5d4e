//! The project's atom-sage settings: `.atom-sage/cloudflare-config.yaml`.
//!
//! ```yaml
//! services: [config, kv, d1]      # validate only these (default: all)
//! severity:
//!   KV002: error                  # by code or by name
//!   debug-switch-in-production: info
//! suppress:
//!   - code: VAR001
//!     env: staging                # optional: only this environment ("top" for the top level)
//!     binding: PUBLIC_KEY         # optional: only this binding
//!     reason: "a public key, not a secret"
//! ```
//!
//! Mistakes in the file are findings like any other, pointing at the line.

use std::path::Path;

use crate::diagnostic::{Service, Severity};
use crate::project::SourceFile;
use crate::syntax::{Node, Span, Value, parse_yaml};

/// Where the settings file lives, relative to the project directory.
pub const SETTINGS_PATH: &str = ".atom-sage/cloudflare-config.yaml";

/// The keys the settings file may hold at the top.
const KNOWN_KEYS: &[&str] = &["services", "severity", "suppress"];

/// The keys one suppression may hold.
const SUPPRESSION_KEYS: &[&str] = &["code", "env", "binding", "reason"];

/// Checks the settings cannot silence or lower: a config that does not parse cannot be checked
/// at all, and mistakes in the settings must stay visible.
const PROTECTED: &[&str] = &["CFG001", "SET001", "SET002"];

/// Whether a check's findings are beyond the reach of severity overrides and suppressions.
#[must_use]
pub fn is_protected(code: &str) -> bool {
    PROTECTED.contains(&code)
}

/// Project settings; the defaults when the file is absent.
#[derive(Debug, Default)]
pub struct Settings {
    /// The settings file, when there is one.
    pub file: Option<SourceFile>,
    /// Only these services are validated; `None` means all.
    pub services: Option<Vec<Service>>,
    /// Severity overrides, by check code or name.
    pub severity: Vec<(String, Severity, Span)>,
    /// Findings to leave out of the report.
    pub suppressions: Vec<Suppression>,
    /// What is wrong with the file itself.
    pub problems: Vec<SettingsProblem>,
}

/// A finding the user chose to silence, and why.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// The check code or name.
    pub code: String,
    /// Only in this environment (`top` for the top level).
    pub env: Option<String>,
    /// Only for this binding.
    pub binding: Option<String>,
    /// Why it is silenced; a suppression without one is not applied.
    pub reason: Option<String>,
    /// Where the suppression is written.
    pub span: Span,
}

/// A mistake in the settings file.
#[derive(Debug, Clone, PartialEq)]
pub struct SettingsProblem {
    /// What kind of mistake.
    pub kind: ProblemKind,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
    /// Where.
    pub span: Span,
}

/// The kinds of settings mistakes, each reported by its own check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// Syntax errors, unknown keys, values of the wrong type.
    Invalid,
    /// A suppression with no reason.
    MissingReason,
}

impl Settings {
    /// Reads the settings of the project in `directory`; defaults when there is no file.
    #[must_use]
    pub fn load(directory: &Path) -> Self {
        let path = directory.join(SETTINGS_PATH);
        if !path.is_file() {
            return Settings::default();
        }
        match SourceFile::read(&path) {
            Ok(file) => Settings::parse(file),
            Err(error) => {
                let problem = SettingsProblem {
                    kind: ProblemKind::Invalid,
                    message: format!("{error}"),
                    help: None,
                    span: Span::default(),
                };
                Settings { problems: vec![problem], ..Settings::default() }
            }
        }
    }

    /// Interprets a settings file's text.
    #[must_use]
    pub fn parse(file: SourceFile) -> Self {
        let mut settings = Settings::default();
        match parse_yaml(&file.text) {
            Ok(root) => settings.read(&root),
            Err(error) => {
                settings.invalid(error.span, format!("invalid YAML: {}", error.message), None);
            }
        }
        settings.file = Some(file);
        settings
    }

    /// Whether a service is to be validated.
    #[must_use]
    pub fn includes(&self, service: Service) -> bool {
        service == Service::Settings
            || self.services.as_ref().is_none_or(|services| services.contains(&service))
    }

    /// The severity override for a check, by code or name.
    #[must_use]
    pub fn severity_for(&self, code: &str, name: &str) -> Option<Severity> {
        self.severity.iter().find(|(key, _, _)| key == code || key == name).map(|(_, s, _)| *s)
    }

    fn invalid(&mut self, span: Span, message: String, help: Option<String>) {
        self.problems.push(SettingsProblem { kind: ProblemKind::Invalid, message, help, span });
    }

    fn unknown_key(&mut self, key: &str, span: Span, known: &[&'static str], place: &str) {
        let help = crate::suggest::closest(key, known.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| Some(format!("{place} may hold: {}", known.join(", "))));
        self.invalid(span, format!("unknown key `{key}` in {place}"), help);
    }

    fn read(&mut self, root: &Node) {
        if !matches!(root.value, Value::Table(_) | Value::Null) {
            self.invalid(root.span, "the settings file must be a mapping of keys".to_owned(), None);
            return;
        }
        for entry in root.entries() {
            match entry.key.as_str() {
                "services" => self.read_services(&entry.value),
                "severity" => self.read_severity(&entry.value),
                "suppress" => self.read_suppressions(&entry.value),
                other => self.unknown_key(other, entry.key_span, KNOWN_KEYS, "the settings file"),
            }
        }
    }

    fn read_services(&mut self, node: &Node) {
        let Value::Array(items) = &node.value else {
            self.invalid(node.span, "`services` must be a list of service names".to_owned(), None);
            return;
        };
        let mut services = Vec::new();
        for item in items {
            if let Some(service) = item.as_str().and_then(Service::parse) {
                services.push(service);
            } else {
                let names: Vec<&str> = Service::ALL.iter().map(|s| s.as_str()).collect();
                let help = format!("known services: {}", names.join(", "));
                self.invalid(item.span, "unknown service in `services`".to_owned(), Some(help));
            }
        }
        self.services = Some(services);
    }

    fn read_severity(&mut self, node: &Node) {
        if !node.is_table() {
            self.invalid(
                node.span,
                "`severity` must map check codes to severities".to_owned(),
                None,
            );
            return;
        }
        for entry in node.entries() {
            if crate::checks::find_rule(&entry.key).is_none() {
                let help = crate::suggest::closest(
                    &entry.key,
                    crate::checks::rules().flat_map(|rule| [rule.code, rule.name]),
                )
                .map(|s| format!("did you mean `{s}`?"));
                let message = format!("`{}` is not a check code or name", entry.key);
                self.invalid(entry.key_span, message, help);
                continue;
            }
            if crate::checks::find_rule(&entry.key).is_some_and(|rule| is_protected(rule.code)) {
                let message = format!("the severity of {} cannot be changed", entry.key);
                self.invalid(entry.key_span, message, None);
                continue;
            }
            match entry.value.as_str().and_then(Severity::parse) {
                Some(severity) => self.severity.push((entry.key.clone(), severity, entry.key_span)),
                None => self.invalid(
                    entry.value.span,
                    "a severity must be `error`, `warning` or `info`".to_owned(),
                    None,
                ),
            }
        }
    }

    fn read_suppressions(&mut self, node: &Node) {
        let Value::Array(items) = &node.value else {
            self.invalid(node.span, "`suppress` must be a list".to_owned(), None);
            return;
        };
        for item in items {
            if !item.is_table() {
                self.invalid(
                    item.span,
                    "each suppression must be a mapping with `code` and `reason`".to_owned(),
                    None,
                );
                continue;
            }
            let mut suppression = Suppression {
                code: String::new(),
                env: None,
                binding: None,
                reason: None,
                span: item.span,
            };
            for entry in item.entries() {
                let text = entry.value.as_str().map(str::to_owned);
                match entry.key.as_str() {
                    "code" => suppression.code = text.unwrap_or_default(),
                    "env" => suppression.env = text,
                    "binding" => suppression.binding = text,
                    "reason" => suppression.reason = text.filter(|r| !r.trim().is_empty()),
                    other => {
                        self.unknown_key(other, entry.key_span, SUPPRESSION_KEYS, "a suppression");
                    }
                }
            }
            if crate::checks::find_rule(&suppression.code).is_none() {
                let span = item.get("code").map_or(item.span, |c| c.span);
                self.invalid(
                    span,
                    format!("`{}` is not a check code or name", suppression.code),
                    None,
                );
                continue;
            }
            if crate::checks::find_rule(&suppression.code)
                .is_some_and(|rule| is_protected(rule.code))
            {
                let message = format!("{} cannot be suppressed", suppression.code);
                self.invalid(item.span, message, None);
                continue;
            }
            if suppression.reason.is_none() {
                self.problems.push(SettingsProblem {
                    kind: ProblemKind::MissingReason,
                    message: format!("the suppression of {} gives no reason", suppression.code),
                    help: Some("add `reason:` saying why this finding does not apply".to_owned()),
                    span: item.span,
                });
            }
            self.suppressions.push(suppression);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> Settings {
        Settings::parse(SourceFile::new("s.yaml".into(), "s.yaml".into(), text.to_owned()))
    }

    #[test]
    fn reads_valid_settings() {
        let s = settings(
            "services: [kv, d1]\nseverity:\n  KV001: warning\nsuppress:\n  - code: VAR001\n    env: staging\n    reason: public key\n",
        );
        assert_eq!(s.problems, []);
        assert_eq!(s.services, Some(vec![Service::Kv, Service::D1]));
        assert!(s.includes(Service::Kv) && !s.includes(Service::R2));
        assert_eq!(s.severity_for("KV001", "x"), Some(Severity::Warning));
        assert_eq!(s.suppressions[0].env.as_deref(), Some("staging"));
    }

    #[test]
    fn reports_mistakes() {
        let s = settings(
            "servces: [kv]\nseverity:\n  KV001: loud\n  NOPE9: error\nsuppress:\n  - code: VAR001\n",
        );
        let messages: Vec<&str> = s.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown key `servces` in the settings file",
                "a severity must be `error`, `warning` or `info`",
                "`NOPE9` is not a check code or name",
                "the suppression of VAR001 gives no reason",
            ]
        );
        assert_eq!(s.problems[0].help.as_deref(), Some("did you mean `services`?"));
        assert_eq!(s.problems[3].kind, ProblemKind::MissingReason);
    }

    #[test]
    fn the_syntax_check_cannot_be_silenced() {
        let s = settings(
            "severity:\n  CFG001: info\nsuppress:\n  - code: invalid-syntax\n    reason: noisy\n",
        );
        let messages: Vec<&str> = s.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            ["the severity of CFG001 cannot be changed", "invalid-syntax cannot be suppressed"]
        );
        assert!(s.suppressions.is_empty() && s.severity.is_empty());
    }
}
