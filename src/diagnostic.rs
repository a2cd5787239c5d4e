//! Findings: what is wrong, where, and what to do about it.

use serde::Serialize;

use crate::syntax::Span;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The deploy will fail, or the worker will break once deployed.
    Error,
    /// Likely a mistake; the deploy goes through.
    Warning,
    /// Worth knowing; nothing is wrong.
    Info,
}

impl Severity {
    /// The lowercase name used in output and settings.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// Parses a severity name as the settings file writes it.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// The Cloudflare service a check is about; the pretty report groups findings by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// The config file itself: syntax, keys, types, names.
    Config,
    /// What the worker's code uses against what the environment binds.
    Code,
    /// Compatibility date and flags.
    Compat,
    /// How environments relate: inheritance, shared resources, shared routes.
    Environments,
    /// Workers KV namespaces.
    Kv,
    /// D1 databases and their migrations.
    D1,
    /// R2 buckets.
    R2,
    /// Durable Object namespaces and their migrations.
    DurableObjects,
    /// Queue producers and consumers.
    Queues,
    /// Service bindings to other workers.
    Services,
    /// Hyperdrive configs.
    Hyperdrive,
    /// Plain-text `vars` and `define`.
    Vars,
    /// Secrets.
    Secrets,
    /// Routes and custom domains.
    Routes,
    /// Cron triggers.
    Triggers,
    /// Containers and their images.
    Containers,
    /// CPU limits and placement.
    Limits,
    /// The atom-sage settings file.
    Settings,
    /// The Cloudflare account itself: the API token, usage against the plan (`--remote`).
    Account,
}

impl Service {
    /// Every service, in report order.
    pub const ALL: [Service; 19] = [
        Service::Config,
        Service::Code,
        Service::Compat,
        Service::Environments,
        Service::Kv,
        Service::D1,
        Service::R2,
        Service::DurableObjects,
        Service::Queues,
        Service::Services,
        Service::Hyperdrive,
        Service::Vars,
        Service::Secrets,
        Service::Routes,
        Service::Triggers,
        Service::Containers,
        Service::Limits,
        Service::Settings,
        Service::Account,
    ];

    /// The `snake_case` name used in JSON and the settings file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Config => "config",
            Service::Code => "code",
            Service::Compat => "compat",
            Service::Environments => "environments",
            Service::Kv => "kv",
            Service::D1 => "d1",
            Service::R2 => "r2",
            Service::DurableObjects => "durable_objects",
            Service::Queues => "queues",
            Service::Services => "services",
            Service::Hyperdrive => "hyperdrive",
            Service::Vars => "vars",
            Service::Secrets => "secrets",
            Service::Routes => "routes",
            Service::Triggers => "triggers",
            Service::Containers => "containers",
            Service::Limits => "limits",
            Service::Settings => "settings",
            Service::Account => "account",
        }
    }

    /// Parses the `snake_case` name.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Service::ALL.into_iter().find(|service| service.as_str() == text)
    }

    /// What the pretty report says while checking this service.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Service::Config => "configuration",
            Service::Code => "bindings the code uses",
            Service::Compat => "compatibility settings",
            Service::Environments => "environment parity",
            Service::Kv => "KV namespace bindings",
            Service::D1 => "D1 database bindings",
            Service::R2 => "R2 bucket bindings",
            Service::DurableObjects => "Durable Object bindings",
            Service::Queues => "queue bindings",
            Service::Services => "service bindings",
            Service::Hyperdrive => "Hyperdrive bindings",
            Service::Vars => "variables",
            Service::Secrets => "secrets",
            Service::Routes => "routes and custom domains",
            Service::Triggers => "cron triggers",
            Service::Containers => "containers",
            Service::Limits => "limits and placement",
            Service::Settings => "atom-sage settings",
            Service::Account => "Cloudflare account",
        }
    }
}

/// A line and column range in a file, 1-based, columns in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Range {
    /// First line.
    pub line: u32,
    /// First column.
    pub column: u32,
    /// Last line.
    pub end_line: u32,
    /// Column just past the end.
    pub end_column: u32,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// The permanent code of the check, e.g. `KV002`.
    pub code: &'static str,
    /// The kebab-case name of the check.
    pub name: &'static str,
    /// How serious it is, after the settings' overrides.
    pub severity: Severity,
    /// The service the check is about.
    pub service: Service,
    /// The environment it concerns; `None` for the top level.
    pub env: Option<String>,
    /// The binding or variable name it concerns.
    pub binding: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Why it matters, where that is not obvious.
    pub note: Option<String>,
    /// The file, relative to the project directory where possible.
    pub file: Option<String>,
    /// Where in the file.
    #[serde(skip)]
    pub span: Option<Span>,
    /// Where in the file, as lines and columns.
    #[serde(skip)]
    pub range: Option<Range>,
    /// Whether the text at `span` is a secret: renderers never show it.
    #[serde(skip)]
    pub sensitive: bool,
}

impl Diagnostic {
    /// A sort key: file order first, then position, then code.
    #[must_use]
    pub fn sort_key(&self) -> (Option<&str>, Option<Range>, &'static str, Option<&str>) {
        (self.file.as_deref(), self.range, self.code, self.env.as_deref())
    }
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Findings at error level.
    pub errors: usize,
    /// Findings at warning level.
    pub warnings: usize,
    /// Findings at info level.
    pub infos: usize,
    /// Account checks (`--remote`) that could not be made: neither passed nor failed.
    pub unknown: usize,
}

impl Summary {
    /// Counts the findings.
    #[must_use]
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut summary = Summary::default();
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }
}

/// What an account check (`--remote`) found out about one thing it verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// It was verified against the account and is as the config says.
    Verified,
    /// It could not be verified: no permission, a timeout, the API down. Never a pass.
    Unknown,
    /// The API offers no way to verify it (KV and R2 usage). Unknown, but no retry or permission
    /// would change that, so `--require-remote` does not fail on it and the summary does not
    /// count it.
    Unavailable,
}

/// One thing an account check verified, or could not: a line of the pre-flight report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    /// The code of the check that made it.
    pub code: &'static str,
    /// The service.
    pub service: Service,
    /// The environment; `None` for the top level.
    pub env: Option<String>,
    /// What was verified, e.g. `KV CACHE` or `R2 ASSETS CORS`.
    pub subject: String,
    /// Verified or unknown.
    pub outcome: Outcome,
    /// Against what (`0f2a… exists (title site-CACHE)`), or why it is unknown.
    pub detail: String,
    /// The file whose entry it is about.
    pub file: Option<String>,
    /// Where in the file.
    #[serde(skip)]
    pub span: Option<Span>,
    /// Where in the file, as lines and columns.
    #[serde(skip)]
    pub range: Option<Range>,
}

impl Diagnostic {
    /// Adds what to do.
    pub fn help(&mut self, text: impl Into<String>) -> &mut Self {
        self.help = Some(text.into());
        self
    }

    /// Adds why it matters.
    pub fn note(&mut self, text: impl Into<String>) -> &mut Self {
        self.note = Some(text.into());
        self
    }

    /// Names the binding or variable concerned.
    pub fn binding(&mut self, name: impl Into<String>) -> &mut Self {
        self.binding = Some(name.into());
        self
    }

    /// Marks the text at the finding's span as a secret that no output may show.
    pub fn sensitive(&mut self) -> &mut Self {
        self.sensitive = true;
        self
    }

    /// Lowers or raises the severity of this one finding, for checks whose severity depends
    /// on the case (a warning in production, info elsewhere).
    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::Service;

    /// The Node addon types `service` as a union of names written in its source; it must name
    /// exactly the services there are.
    #[test]
    fn the_node_typings_list_every_service() {
        let source = include_str!("napi.rs");
        let union = source
            .lines()
            .find(|line| line.contains("ts_type = \"'config'"))
            .expect("the service union in napi.rs");
        let listed: Vec<&str> = union.split('\'').skip(1).step_by(2).collect();
        let services: Vec<&str> = Service::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(listed, services);
    }
}
