//! atom-sage: pre-deploy validation for Cloudflare Workers projects.
//!
//! Data flows one way: [`project`] loads files into a [`Project`], [`checks`] turn it into
//! [`Diagnostic`]s, and [`render`] turns those into text, JSON, SARIF or annotations. The CLI,
//! the Node addon and the tests all go through [`check`].

pub mod checks;
pub mod cli;
pub mod code;
pub mod config;
pub mod d1;
pub mod date;
pub mod deploy;
pub mod diagnostic;
pub mod diff;
pub mod intent;
#[cfg(feature = "napi")]
mod napi;
pub mod platform;
pub mod project;
pub mod protocol;
pub mod remote;
pub mod render;
pub mod resource_ids;
pub mod secrets;
pub mod settings;
mod stdio;
mod suggest;
pub mod syntax;
pub mod trail;
pub mod wrangler;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use diagnostic::{Diagnostic, Outcome, Severity, Summary, Verification};
pub use project::{LoadError, Project};

use crate::checks::{Context, REGISTRY, Run, Sink};
use crate::config::resolve_environments;

/// The version of this tool, as reports carry it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version of the JSON report's layout; raised when a field changes meaning or goes away.
pub const REPORT_SCHEMA: u32 = 1;

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Check only the top level and this environment; `None` checks every environment, and
    /// the empty name only the top level (as `wrangler --env ""` deploys it).
    pub env: Option<String>,
    /// With `--remote`: an account check that could not be made is an error, not only unknown.
    pub require_remote: bool,
}

/// Why a check could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The project could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// `--env` names an environment the config does not declare.
    #[error("environment `{}` is not declared in {config}{}", render::printable(.name), available_list(.available))]
    UnknownEnvironment {
        /// The name asked for.
        name: String,
        /// The config file.
        config: String,
        /// The environments the config declares.
        available: Vec<String>,
    },
}

fn available_list(available: &[String]) -> String {
    const SHOWN: usize = 20;
    if available.is_empty() {
        return " (it declares no [env.NAME] sections)".to_owned();
    }
    let names: Vec<String> =
        available.iter().take(SHOWN).map(|n| render::printable(n).into_owned()).collect();
    let more = if available.len() > SHOWN {
        format!(" and {} more", available.len() - SHOWN)
    } else {
        String::new()
    };
    format!(" (declared: {}{more})", names.join(", "))
}

/// One environment that was checked.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CheckedEnvironment {
    /// The environment's name; `None` for the top level.
    pub name: Option<String>,
    /// The worker name it deploys as.
    pub worker: Option<String>,
}

/// The result of checking a project.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    /// The atom-sage version.
    pub version: &'static str,
    /// The layout version of this report.
    pub schema: u32,
    /// The config file checked.
    pub config: String,
    /// The environments checked, the top level first.
    pub environments: Vec<CheckedEnvironment>,
    /// The findings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// What the account checks (`--remote`) verified or could not; empty offline.
    pub verifications: Vec<Verification>,
    /// The account checked, with `--remote`.
    pub account: Option<String>,
    /// Counts by severity.
    pub summary: Summary,
    /// How many findings the settings file suppressed.
    pub suppressed: usize,
}

impl Report {
    /// Whether the report fails a run: any error, or any warning when warnings are denied.
    #[must_use]
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.summary.errors > 0 || (deny_warnings && self.summary.warnings > 0)
    }
}

/// Loads the project found from `path` and checks it.
///
/// # Errors
/// When no config is found, it cannot be read, or `options.env` is not declared in it.
pub fn check(path: &Path, options: &Options) -> Result<Report, CheckError> {
    let project = Project::load(path)?;
    check_project(&project, options)
}

/// Checks a config held in memory, as if it were the file `wrangler.<format>` in `directory`.
/// With a directory, the code, migrations and settings around it are read as [`check`] reads
/// them; without one only the config itself is checked.
///
/// # Errors
/// When `options.env` is not declared in the config.
pub fn check_text(
    text: &str,
    format: project::ConfigFormat,
    directory: Option<&Path>,
    options: &Options,
) -> Result<Report, CheckError> {
    let name = format!("wrangler.{}", format.as_str());
    let project = match directory {
        Some(directory) => {
            if !directory.is_dir() {
                return Err(LoadError::Missing(directory.to_owned()).into());
            }
            let path = directory.join(&name);
            let display = project::display_path(&path);
            Project::from_source(
                directory.to_owned(),
                project::SourceFile::new(path, display, text.to_owned()),
                format,
            )
        }
        None => Project::detached(
            project::SourceFile::new(PathBuf::from(&name), name.clone(), text.to_owned()),
            format,
        ),
    };
    check_project(&project, options)
}

/// Checks a loaded project.
///
/// # Errors
/// When `options.env` is not declared in the config.
pub fn check_project(project: &Project, options: &Options) -> Result<Report, CheckError> {
    check_project_with(project, options, None)
}

/// Checks a loaded project, and with a `remote` snapshot, against the account as well.
///
/// # Errors
/// When `options.env` is not declared in the config.
pub fn check_project_with(
    project: &Project,
    options: &Options,
    remote: Option<&remote::Snapshot>,
) -> Result<Report, CheckError> {
    let config = project.config.display.clone();
    let ((mut diagnostics, verifications), environments) = match &project.tree {
        Err(_) => (run_checks(project, None), Vec::new()),
        Ok(root) => {
            let declared = project.environment_names().unwrap_or_default();
            if let Some(name) = &options.env
                && !name.is_empty()
                && !declared.contains(name)
            {
                return Err(CheckError::UnknownEnvironment {
                    name: name.clone(),
                    config,
                    available: declared,
                });
            }
            let environments = resolve_environments(root, options.env.as_deref());
            let checked = environments
                .iter()
                .map(|env| CheckedEnvironment {
                    name: env.name.map(str::to_owned),
                    worker: env.worker_name(),
                })
                .collect();
            let context = Context {
                project,
                root,
                environments: &environments,
                today: date::Date::today(),
                named_production: Context::find_named_production(root),
                remote,
            };
            (run_checks(project, Some(&context)), checked)
        }
    };
    if options.require_remote {
        diagnostics.extend(checks::unknown_as_errors(&verifications));
    }
    let suppressed = apply_settings(project, &mut diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut summary = Summary::of(&diagnostics);
    summary.unknown = verifications.iter().filter(|v| v.outcome == Outcome::Unknown).count();
    Ok(Report {
        version: VERSION,
        schema: REPORT_SCHEMA,
        config,
        environments,
        diagnostics,
        verifications,
        account: remote.map(|snapshot| snapshot.account_id.clone()),
        summary,
        suppressed,
    })
}

/// Runs every check the settings include. Without a parsed config (`context` is `None`) only the
/// checks that read files rather than the config tree can say anything.
fn run_checks(
    project: &Project,
    context: Option<&Context<'_>>,
) -> (Vec<Diagnostic>, Vec<Verification>) {
    let mut diagnostics = Vec::new();
    let mut verifications = Vec::new();
    for check in REGISTRY {
        // The settings choose among the checks of the config; that it parses, and that the
        // settings themselves are sound, is always checked.
        let always = matches!(check.run, Run::File(_));
        if !always && !project.settings.includes(check.rule.service) {
            continue;
        }
        let mut sink = Sink::new(check.rule, &project.config);
        match (check.run, context) {
            (Run::File(run), _) => run(project, &mut sink),
            (Run::Project(run), Some(context)) => run(context, &mut sink),
            (Run::Environment(run), Some(context)) => {
                for env in context.environments {
                    run(context, env, &mut sink);
                }
            }
            (Run::Remote(run), Some(context)) => {
                let Some(snapshot) = context.remote else { continue };
                for env in context.environments {
                    run(context, env, snapshot, &mut sink);
                }
            }
            _ => {}
        }
        let (found, verified) = sink.into_parts();
        diagnostics.extend(found);
        verifications.extend(verified);
    }
    let mut seen = std::collections::HashSet::new();
    verifications.retain(|v| seen.insert((v.code, v.subject.clone(), v.detail.clone())));
    (dedupe(diagnostics), verifications)
}

/// An inherited value is seen by every environment that inherits it; its finding is reported
/// once, for the first environment that saw it (the top level).
fn dedupe(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    diagnostics
        .into_iter()
        .filter(|d| {
            seen.insert((d.code, d.file.clone(), d.span, d.binding.clone(), d.message.clone()))
        })
        .collect()
}

/// Applies the settings' severity overrides and suppressions; returns how many were suppressed.
fn apply_settings(project: &Project, diagnostics: &mut Vec<Diagnostic>) -> usize {
    let settings = &project.settings;
    for diagnostic in diagnostics.iter_mut() {
        if settings::is_protected(diagnostic.code) {
            continue;
        }
        if let Some(severity) = settings.severity_for(diagnostic.code, diagnostic.name) {
            diagnostic.severity = severity;
        }
    }
    let before = diagnostics.len();
    diagnostics.retain(|d| {
        settings::is_protected(d.code)
            || !settings.suppressions.iter().any(|s| {
                s.reason.is_some()
                    && (s.code.eq_ignore_ascii_case(d.code) || s.code == d.name)
                    && s.env.as_deref().is_none_or(|env| match &d.env {
                        None => env == "top",
                        Some(name) => name == env,
                    })
                    && s.binding.as_deref().is_none_or(|b| d.binding.as_deref() == Some(b))
            })
    });
    before - diagnostics.len()
}
