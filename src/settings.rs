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
//! r2:                             # with `check --remote`: what browsers fetch from R2
//!   browser_origins: ["https://app.example.com"]
//!   browser_methods: [GET, PUT]   # optional, default [GET]
//!   bindings: [UPLOADS]           # optional: only these R2 bindings (default: all)
//! deploy:                         # atom-sage deploy: health checks, auto rollback, retention
//!   health_checks: [{url: "https://api.example.com/health"}]
//! trail:                          # send each audit trail entry to an HTTP endpoint
//!   sink: {url: "https://audit.example.com/atom-sage"}
//! ```
//!
//! Mistakes in the file are findings like any other, pointing at the line.

mod deploy;
mod trail;

use std::path::Path;

use crate::diagnostic::{Service, Severity};
use crate::project::SourceFile;
use crate::syntax::{Node, Span, Value, parse_yaml};

pub use deploy::{DeploySettings, HealthCheck};
pub use trail::{SinkSettings, TrailSettings};

/// Where the settings file lives, relative to the project directory.
pub const SETTINGS_PATH: &str = ".atom-sage/cloudflare-config.yaml";

/// The keys the settings file may hold at the top.
const KNOWN_KEYS: &[&str] = &["services", "severity", "suppress", "r2", "deploy", "trail"];

/// The keys of the `r2` section.
const R2_KEYS: &[&str] = &["browser_origins", "browser_methods", "bindings"];

/// The methods an R2 CORS rule can allow.
const R2_METHODS: &[&str] = &["GET", "PUT", "POST", "DELETE", "HEAD"];

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
    /// What browsers fetch from the project's R2 buckets, for the CORS check of `--remote`.
    pub r2: R2Settings,
    /// How `atom-sage deploy` verifies, rolls back and keeps rollback points.
    pub deploy: DeploySettings,
    /// Where the audit trail's entries are sent.
    pub trail: TrailSettings,
}

/// The `r2` section: the origins whose pages fetch from R2 buckets directly (presigned URLs, a
/// public bucket), and with which methods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct R2Settings {
    /// Origins such as `https://app.example.com`; empty when no browser fetches from R2.
    pub browser_origins: Vec<String>,
    /// The methods they use; `GET` unless set.
    pub browser_methods: Vec<String>,
    /// The R2 bindings browsers fetch from; `None` means all.
    pub bindings: Option<Vec<String>>,
}

impl R2Settings {
    /// Whether browsers fetch from the bucket of this binding.
    #[must_use]
    pub fn applies_to(&self, binding: &str) -> bool {
        !self.browser_origins.is_empty()
            && self.bindings.as_ref().is_none_or(|names| names.iter().any(|n| n == binding))
    }

    /// The methods browsers use, `GET` when the file names none.
    #[must_use]
    pub fn methods(&self) -> Vec<&str> {
        if self.browser_methods.is_empty() {
            vec!["GET"]
        } else {
            self.browser_methods.iter().map(String::as_str).collect()
        }
    }
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
    /// Whether the text at `span` is a secret, masked wherever the line is shown.
    pub sensitive: bool,
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
                    sensitive: false,
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
        let kind = ProblemKind::Invalid;
        self.problems.push(SettingsProblem { kind, message, help, span, sensitive: false });
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
                "r2" => self.read_r2(&entry.value),
                "deploy" => self.read_deploy(&entry.value),
                "trail" => self.read_trail(&entry.value),
                other => self.unknown_key(other, entry.key_span, KNOWN_KEYS, "the settings file"),
            }
        }
    }

    fn read_r2(&mut self, node: &Node) {
        if !node.is_table() {
            self.invalid(node.span, "`r2` must be a mapping of keys".to_owned(), None);
            return;
        }
        for entry in node.entries() {
            if !R2_KEYS.contains(&entry.key.as_str()) {
                self.unknown_key(&entry.key, entry.key_span, R2_KEYS, "`r2`");
                continue;
            }
            let Some(items) = self.strings(&entry.value, &entry.key) else { continue };
            match entry.key.as_str() {
                "browser_origins" => {
                    for (text, span) in items {
                        if is_origin(&text) {
                            self.r2.browser_origins.push(text);
                        } else {
                            self.invalid(
                                span,
                                format!("`{text}` is not an origin"),
                                Some("write scheme and host, with a port if any, and no path: `https://app.example.com`, or `*`".to_owned()),
                            );
                        }
                    }
                }
                "browser_methods" => {
                    for (text, span) in items {
                        let upper = text.to_ascii_uppercase();
                        if R2_METHODS.contains(&upper.as_str()) {
                            self.r2.browser_methods.push(upper);
                        } else {
                            let help = format!("R2 CORS allows {}", R2_METHODS.join(", "));
                            self.invalid(
                                span,
                                format!("`{text}` is not a method R2 CORS rules allow"),
                                Some(help),
                            );
                        }
                    }
                }
                "bindings" => {
                    self.r2.bindings = Some(items.into_iter().map(|(text, _)| text).collect());
                }
                _ => {}
            }
        }
    }

    /// The strings of a list, each with its span; a problem and `None` when it is not one.
    fn strings(&mut self, node: &Node, key: &str) -> Option<Vec<(String, Span)>> {
        let Value::Array(items) = &node.value else {
            self.invalid(node.span, format!("`r2.{key}` must be a list"), None);
            return None;
        };
        let mut out = Vec::new();
        for item in items {
            match item.as_str() {
                Some(text) => out.push((text.to_owned(), item.span)),
                None => self.invalid(item.span, format!("`r2.{key}` must hold strings"), None),
            }
        }
        Some(out)
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
                    sensitive: false,
                });
            }
            self.suppressions.push(suppression);
        }
    }
}

/// `*`, or `scheme://host[:port]` with nothing after it.
fn is_origin(text: &str) -> bool {
    if text == "*" {
        return true;
    }
    let Some((scheme, rest)) = text.split_once("://") else { return false };
    let host = rest.split(':').next().unwrap_or("");
    matches!(scheme, "http" | "https")
        && !host.is_empty()
        && !rest.contains(['/', '?', '#', ' '])
        && rest.split_once(':').is_none_or(|(_, port)| port.parse::<u16>().is_ok())
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
    fn r2_browser_origins_are_validated() {
        let s = settings(
            "r2:\n  browser_origins: [\"https://app.example.com\", \"app.example.com\", \"https://x.com/path\"]\n  browser_methods: [get, PATCH]\n  bindings: [UPLOADS]\n  cors: x\n",
        );
        let messages: Vec<&str> = s.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`app.example.com` is not an origin",
                "`https://x.com/path` is not an origin",
                "`PATCH` is not a method R2 CORS rules allow",
                "unknown key `cors` in `r2`",
            ]
        );
        assert_eq!(s.r2.browser_origins, ["https://app.example.com"]);
        assert_eq!(s.r2.methods(), ["GET"]);
        assert!(s.r2.applies_to("UPLOADS") && !s.r2.applies_to("LOGS"));
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
