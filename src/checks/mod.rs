//! The checks: pure functions over a loaded project, each returning findings.
//!
//! Every check lives in its own file under `checks/<service>/`, declares a [`Rule`] with a
//! permanent code, and is listed once in [`REGISTRY`]. Codes are never reused.

mod account;
mod code;
mod compat;
mod config;
mod containers;
mod d1;
mod durable_objects;
pub(crate) mod environments;
mod hyperdrive;
mod kv;
mod limits;
mod queues;
mod r2;
pub(crate) mod routes;
mod secrets;
mod services;
mod settings;
#[cfg(test)]
pub(crate) mod test_support;
mod triggers;
pub(crate) mod vars;

use crate::config::Environment;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Outcome, Service, Severity, Verification};
use crate::project::{Project, SourceFile};
use crate::remote::Snapshot;
use crate::syntax::{Node, Span};

/// What a check is: its permanent code, name, service, default severity and documentation.
#[derive(Debug)]
pub struct Rule {
    /// Permanent code, e.g. `KV001`; never reused for another check.
    pub code: &'static str,
    /// Kebab-case name, e.g. `invalid-kv-namespace-id`.
    pub name: &'static str,
    /// The service the check is about.
    pub service: Service,
    /// Severity unless the settings override it (some checks lower it case by case).
    pub severity: Severity,
    /// Whether atom-sage can fix what it finds.
    pub fixable: bool,
    /// One line saying what the check finds.
    pub summary: &'static str,
    /// Markdown documentation with the same headings for every check.
    pub docs: &'static str,
}

/// How a check runs: on the files, once for the project, or once for every environment checked.
#[derive(Clone, Copy)]
pub enum Run {
    /// Looks at files only, so it runs even when the config does not parse.
    File(fn(&Project, &mut Sink<'_>)),
    /// Looks at the project as a whole: the file, or several environments together.
    Project(fn(&Context<'_>, &mut Sink<'_>)),
    /// Looks at one environment at a time.
    Environment(fn(&Context<'_>, &Environment<'_>, &mut Sink<'_>)),
    /// Looks at one environment at a time against the account; runs only with `--remote`.
    Remote(fn(&Context<'_>, &Environment<'_>, &Snapshot, &mut Sink<'_>)),
}

/// A rule and the function that checks it.
pub struct Check {
    /// The rule.
    pub rule: &'static Rule,
    /// The check.
    pub run: Run,
}

/// Every check, in report order.
pub static REGISTRY: &[Check] = &[
    config::invalid_syntax::CHECK,
    config::invalid_type::CHECK,
    config::missing_required_key::CHECK,
    config::unknown_key::CHECK,
    config::invalid_worker_name::CHECK,
    config::invalid_account_id::CHECK,
    config::empty_binding_name::CHECK,
    config::duplicate_binding_name::CHECK,
    config::missing_entry_point::CHECK,
    config::resource_provisioned_on_deploy::CHECK,
    config::removed_key::CHECK,
    config::conflicting_settings::CHECK,
    config::invalid_value::CHECK,
    config::reserved_binding_name::CHECK,
    config::invalid_pages_config::CHECK,
    code::binding_not_bound::CHECK,
    code::undeclared_variable::CHECK,
    code::binding_kind_mismatch::CHECK,
    code::durable_object_not_exported::CHECK,
    code::unbound_durable_object_class::CHECK,
    code::binding_unused::CHECK,
    code::code_not_analysed::CHECK,
    compat::missing_compatibility_date::CHECK,
    compat::invalid_compatibility_date::CHECK,
    compat::unknown_compatibility_flag::CHECK,
    compat::conflicting_compatibility_flags::CHECK,
    compat::python_without_flag::CHECK,
    compat::node_builtin_without_flag::CHECK,
    environments::binding_not_inherited::CHECK,
    environments::shared_resource::CHECK,
    environments::shared_route::CHECK,
    kv::invalid_kv_namespace_id::CHECK,
    d1::invalid_database_id::CHECK,
    d1::missing_migrations_dir::CHECK,
    d1::migration_file_name::CHECK,
    d1::nested_migrations::CHECK,
    d1::migration_fails::CHECK,
    d1::statement_d1_refuses::CHECK,
    d1::query_refused::CHECK,
    d1::full_table_scan::CHECK,
    d1::queries_not_checked::CHECK,
    d1::local_migrations_pending::CHECK,
    r2::invalid_bucket_name::CHECK,
    r2::invalid_jurisdiction::CHECK,
    durable_objects::class_without_migration::CHECK,
    durable_objects::duplicate_migration_tag::CHECK,
    queues::consumer_limits::CHECK,
    services::service_environment::CHECK,
    hyperdrive::invalid_hyperdrive_id::CHECK,
    vars::secret_in_vars::CHECK,
    vars::debug_in_production::CHECK,
    routes::invalid_route_pattern::CHECK,
    routes::invalid_custom_domain::CHECK,
    routes::zone_name_mismatch::CHECK,
    triggers::invalid_cron::CHECK,
    triggers::weekday_numbering::CHECK,
    containers::invalid_container_image::CHECK,
    containers::container_without_name::CHECK,
    limits::cpu_ms_over_limit::CHECK,
    settings::invalid_settings::CHECK,
    settings::suppression_without_reason::CHECK,
    account::api_token::CHECK,
    account::check_not_made::CHECK,
    kv::namespace_not_found::CHECK,
    d1::database_not_found::CHECK,
    d1::remote_migrations_pending::CHECK,
    d1::remote_schema_drift::CHECK,
    d1::remote_table_missing::CHECK,
    r2::bucket_not_found::CHECK,
    r2::bucket_cors::CHECK,
    r2::lifecycle_default_only::CHECK,
    queues::queue_not_found::CHECK,
    hyperdrive::config_not_found::CHECK,
    account::vectorize_index_not_found::CHECK,
    durable_objects::script_not_found::CHECK,
    services::service_not_found::CHECK,
    secrets::secret_not_set::CHECK,
    vars::var_is_secret::CHECK,
    routes::zone_not_found::CHECK,
    routes::route_taken::CHECK,
    routes::custom_domain_dns_conflict::CHECK,
    routes::host_not_proxied::CHECK,
    routes::routes_drift::CHECK,
    environments::binding_drift::CHECK,
    account::usage_against_limits::CHECK,
];

pub use account::check_not_made::unknown_as_errors;

/// Whether the check with this code runs against the account (`--remote`).
#[must_use]
pub fn is_remote(code: &str) -> bool {
    REGISTRY.iter().any(|check| check.rule.code == code && matches!(check.run, Run::Remote(_)))
}

/// Every rule, in report order.
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    REGISTRY.iter().map(|check| check.rule)
}

/// The rule with this code or name.
#[must_use]
pub fn find_rule(code_or_name: &str) -> Option<&'static Rule> {
    rules().find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

/// What every check can see.
pub struct Context<'a> {
    /// The project.
    pub project: &'a Project,
    /// The parsed config.
    pub root: &'a Node,
    /// The environments being checked: the top level first.
    pub environments: &'a [Environment<'a>],
    /// Today's date, for the compatibility date.
    pub today: Date,
    /// Whether any environment of the file is named like production (computed once: the
    /// cross-environment checks ask for every binding).
    pub named_production: bool,
    /// The account, with `--remote`.
    pub remote: Option<&'a Snapshot>,
}

impl Context<'_> {
    /// The environment treated as production: the one named like production; when none is,
    /// the top level. Several production-named environments are all production.
    #[must_use]
    pub fn is_production(&self, env: &Environment<'_>) -> bool {
        if env.is_named_production() {
            return true;
        }
        env.is_top_level() && !self.has_named_production()
    }

    /// Whether any environment in the file is named like production.
    #[must_use]
    pub fn has_named_production(&self) -> bool {
        self.named_production
    }

    /// Whether any environment in the file is named like production, computed from the file.
    #[must_use]
    pub fn find_named_production(root: &Node) -> bool {
        root.get("env")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .any(|entry| crate::config::is_production_name(&entry.key))
    }

    /// Whether the file declares any `[env.NAME]`.
    #[must_use]
    pub fn has_named_environments(&self) -> bool {
        self.root.get("env").is_some_and(|env| !env.entries().is_empty())
    }
}

/// Collects the findings of one check.
pub struct Sink<'a> {
    rule: &'static Rule,
    config: &'a SourceFile,
    found: Vec<Diagnostic>,
    verifications: Vec<Verification>,
}

impl<'a> Sink<'a> {
    /// A sink for one rule's findings about the config file.
    #[must_use]
    pub fn new(rule: &'static Rule, config: &'a SourceFile) -> Self {
        Self { rule, config, found: Vec::new(), verifications: Vec::new() }
    }

    /// Reports a finding at `span` in the config file, about `env` (`None`: the file as a whole
    /// or the top level).
    pub fn report(
        &mut self,
        env: Option<&Environment<'_>>,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let file = self.config;
        self.report_in(file, env.and_then(|e| e.name), span, message)
    }

    /// Reports a finding at `span` in another file.
    pub fn report_in(
        &mut self,
        file: &SourceFile,
        env: Option<&str>,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        // Whatever a check quotes from the config, a secret is never printed.
        let (message, redacted) = crate::secrets::redact_message(&message.into());
        self.found.push(Diagnostic {
            code: self.rule.code,
            name: self.rule.name,
            severity: self.rule.severity,
            service: self.rule.service,
            env: env.map(str::to_owned),
            binding: None,
            message,
            help: None,
            note: None,
            file: Some(file.display.clone()),
            span: Some(span),
            range: Some(file.range(span)),
            sensitive: redacted,
        });
        self.found.last_mut().expect("a finding was just pushed")
    }

    /// Records that `subject` was verified against the account: `detail` says against what.
    pub fn verified(
        &mut self,
        env: Option<&Environment<'_>>,
        span: Span,
        subject: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.verification(env, span, subject.into(), Outcome::Verified, detail.into());
    }

    /// Records that `subject` could not be verified, and why.
    pub fn unknown(
        &mut self,
        env: Option<&Environment<'_>>,
        span: Span,
        subject: impl Into<String>,
        reason: impl std::fmt::Display,
    ) {
        let detail = format!("unknown ({reason})");
        self.verification(env, span, subject.into(), Outcome::Unknown, detail);
    }

    fn verification(
        &mut self,
        env: Option<&Environment<'_>>,
        span: Span,
        subject: String,
        outcome: Outcome,
        detail: String,
    ) {
        self.verifications.push(Verification {
            code: self.rule.code,
            service: self.rule.service,
            env: env.and_then(|e| e.name).map(str::to_owned),
            subject,
            outcome,
            detail,
            file: Some(self.config.display.clone()),
            span: Some(span),
            range: Some(self.config.range(span)),
        });
    }

    /// Records that the API offers no way to verify `subject`.
    pub fn unavailable(
        &mut self,
        env: Option<&Environment<'_>>,
        span: Span,
        subject: impl Into<String>,
        reason: &str,
    ) {
        let detail = format!("unavailable ({reason})");
        self.verification(env, span, subject.into(), Outcome::Unavailable, detail);
    }

    /// The findings collected.
    #[must_use]
    pub fn into_findings(self) -> Vec<Diagnostic> {
        self.found
    }

    /// The findings and the verifications collected.
    #[must_use]
    pub fn into_parts(self) -> (Vec<Diagnostic>, Vec<Verification>) {
        (self.found, self.verifications)
    }
}
