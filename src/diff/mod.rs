//! Two environments of one config side by side, as wrangler resolves them, and what their
//! differences mean: data both can reach, a binding one of them lacks, a runtime that differs,
//! debugging left on in production.
//!
//! `top` names the top level (unless the config declares an `[env.top]`). Secrets are compared by
//! name only: `secrets.required` and the local variable files; no value is read or shown, and a
//! var whose value looks secret is shown as `<redacted>`.
//!
//! Known limitations: secrets put with `wrangler secret put` live only in the account and are
//! not seen offline; of the local files, `.dev.vars.<env>` replaces `.dev.vars` for that
//! environment and the `.env` files are read only when there is no `.dev.vars`, as wrangler does.

mod describe;
mod render;

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;

pub use render::{json, pretty};

use describe::{Item, describe};

use crate::checks::Context;
use crate::checks::environments::shared_resource::uses;
use crate::checks::vars::debug_in_production::debug_switch;
use crate::config::bindings::kind_label;
use crate::config::{Environment, resolve_environments};
use crate::diagnostic::{Severity, Summary};
use crate::project::{LoadError, Project};
use crate::secrets::redact_message;

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// The environment's name; `None` for the top level.
    pub name: Option<String>,
    /// As reports show it: `top level` or `env.NAME`.
    pub label: String,
    /// The worker name it deploys as.
    pub worker: Option<String>,
    /// Whether it is treated as production: named like `prod`, `production` or `live`, or the
    /// top level when no environment is.
    pub production: bool,
}

/// What part of the config a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// The worker name.
    Worker,
    /// A binding to a resource or service.
    Binding,
    /// A plain-text variable.
    Var,
    /// A secret, by name.
    Secret,
    /// A route, custom domain or `workers_dev`.
    Route,
    /// The compatibility date and flags.
    Compatibility,
    /// A cron trigger.
    Trigger,
}

/// How the two sides compare on a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Both have it, with the same value.
    Same,
    /// Both have it, with different values.
    Differs,
    /// Only the left side has it.
    OnlyLeft,
    /// Only the right side has it.
    OnlyRight,
}

/// One thing both sides may have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The part of the config.
    pub section: Section,
    /// The config key, e.g. `kv_namespaces`, `vars`, `routes`, `compatibility_date`.
    pub kind: String,
    /// The binding, var or secret name, the route pattern or cron; the key again for single
    /// values.
    pub name: String,
    /// The left side's value (a resource id or name, a var's value, where a secret is named);
    /// `None` when it does not have it.
    pub left: Option<String>,
    /// The right side's value.
    pub right: Option<String>,
    /// How they compare (on the real values, also when they are shown redacted).
    pub state: State,
}

/// What kind of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Both sides reach the same KV namespace, database, bucket, queue or Hyperdrive config.
    SharedResource,
    /// Both sides deploy as the same worker, so each deploy replaces the other.
    SameWorker,
    /// A binding, var or secret only one side has.
    Missing,
    /// The compatibility date or flags differ, so the runtime behaves differently.
    CompatibilityDiffers,
    /// A debug switch is on in the production side.
    DebugInProduction,
}

/// What the comparison found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How serious.
    pub severity: Severity,
    /// What kind.
    pub kind: FindingKind,
    /// A sentence saying what, with secret-looking values redacted.
    pub message: String,
}

/// Two environments compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvironmentDiff {
    /// The atom-sage version.
    pub version: &'static str,
    /// The config file.
    pub config: String,
    /// The first environment named.
    pub left: Side,
    /// The second.
    pub right: Side,
    /// Everything either side has, by section; within one, in the order of the left side's
    /// config, then what only the right side has.
    pub rows: Vec<Row>,
    /// Errors first, then warnings, then info.
    pub findings: Vec<Finding>,
    /// Counts by severity.
    pub summary: Summary,
}

impl EnvironmentDiff {
    /// Whether the comparison fails a run: any error finding.
    #[must_use]
    pub fn fails(&self) -> bool {
        self.summary.errors > 0
    }
}

/// Why two environments could not be compared.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// The project could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The config does not parse.
    #[error("{config}: the config does not parse: {message}; `atom-sage check` shows where")]
    Parse {
        /// The config file.
        config: String,
        /// The parser's message.
        message: String,
    },
    /// An environment is not declared.
    #[error("environment `{}` is not declared in {config} (declared: {}; `top` is the top level)", crate::render::printable(.name), .available.join(", "))]
    UnknownEnvironment {
        /// The name asked for.
        name: String,
        /// The config file.
        config: String,
        /// The environments the config declares.
        available: Vec<String>,
    },
}

/// Loads the project found from `path` and compares two of its environments (`top` is the top
/// level).
///
/// # Errors
/// When the project cannot be loaded, its config does not parse, or an environment is not
/// declared.
pub fn diff(path: &Path, left: &str, right: &str) -> Result<EnvironmentDiff, DiffError> {
    diff_project(&Project::load(path)?, left, right)
}

/// Compares two environments of a loaded project.
///
/// # Errors
/// When its config does not parse, or an environment is not declared.
pub fn diff_project(
    project: &Project,
    left: &str,
    right: &str,
) -> Result<EnvironmentDiff, DiffError> {
    let config = project.config.display.clone();
    let root = project.tree.as_ref().map_err(|error| DiffError::Parse {
        config: config.clone(),
        message: error.message.clone(),
    })?;
    let environments = resolve_environments(root, None);
    let find = |name: &str| {
        environments
            .iter()
            .find(|env| env.name == Some(name))
            .or_else(|| (name == "top").then(|| &environments[0]))
            .copied()
            .ok_or_else(|| DiffError::UnknownEnvironment {
                name: name.to_owned(),
                config: config.clone(),
                available: environments.iter().filter_map(|e| e.name.map(str::to_owned)).collect(),
            })
    };
    let (left, right) = (find(left)?, find(right)?);
    let named_production = Context::find_named_production(root);
    let side = |env: &Environment<'_>| Side {
        name: env.name.map(str::to_owned),
        label: env.label(),
        worker: env.worker_name(),
        production: env.is_named_production() || (env.is_top_level() && !named_production),
    };
    let (left_side, right_side) = (side(&left), side(&right));
    let rows = rows(&describe(project, &left), &describe(project, &right));
    let mut findings = Vec::new();
    if left.name != right.name {
        compare(&left_side, &right_side, &rows, &mut findings);
        shared(&left, &right, &left_side, &right_side, &mut findings);
    }
    let sides = if left.name == right.name { 1 } else { 2 };
    for (env, side) in [(&left, &left_side), (&right, &right_side)].into_iter().take(sides) {
        if side.production {
            debug_findings(env, side, &mut findings);
        }
    }
    for finding in &mut findings {
        finding.message = redact_message(&finding.message).0;
    }
    findings.sort_by_key(|finding| finding.severity);
    let count = |severity| findings.iter().filter(|f| f.severity == severity).count();
    let summary = Summary {
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        ..Summary::default()
    };
    Ok(EnvironmentDiff {
        version: crate::VERSION,
        config,
        left: left_side,
        right: right_side,
        rows,
        findings,
        summary,
    })
}

/// The rows of both sides: the left side's items in order, then what only the right has.
fn rows(left: &[Item], right: &[Item]) -> Vec<Row> {
    let key = |item: &Item| (item.section, item.kind.clone(), item.name.clone());
    let mut rows: Vec<Row> = Vec::new();
    let mut seen = HashSet::new();
    for item in left.iter().chain(right) {
        if !seen.insert(key(item)) {
            continue;
        }
        let find = |items: &'_ [Item]| {
            items
                .iter()
                .find(|other| key(other) == key(item))
                .map(|i| (i.shown.clone(), i.compared.clone()))
        };
        let (l, r) = (find(left), find(right));
        let state = match (&l, &r) {
            (Some(a), Some(b)) if a.1 == b.1 => State::Same,
            (Some(_), Some(_)) => State::Differs,
            (Some(_), None) => State::OnlyLeft,
            _ => State::OnlyRight,
        };
        rows.push(Row {
            section: item.section,
            kind: item.kind.clone(),
            name: item.name.clone(),
            left: l.map(|v| v.0),
            right: r.map(|v| v.0),
            state,
        });
    }
    // What only the right side has joins its section.
    rows.sort_by_key(|row| row.section);
    rows
}

/// What only one side has, and runtimes or workers that should differ or should not.
fn compare(left: &Side, right: &Side, rows: &[Row], findings: &mut Vec<Finding>) {
    for row in rows {
        let (has, lacks) = match row.state {
            State::OnlyLeft => (left, right),
            State::OnlyRight => (right, left),
            State::Same | State::Differs => {
                if row.state == State::Differs && row.section == Section::Compatibility {
                    let (severity, what) = if row.kind == "compatibility_date" {
                        (Severity::Info, "compatibility date differs")
                    } else {
                        (Severity::Warning, "compatibility flags differ")
                    };
                    findings.push(Finding {
                        severity,
                        kind: FindingKind::CompatibilityDiffers,
                        message: format!(
                            "the {what} ({}: `{}`, {}: `{}`): what runs in {} is not what was tried in the other",
                            left.label,
                            row.left.as_deref().unwrap_or_default(),
                            right.label,
                            row.right.as_deref().unwrap_or_default(),
                            if left.production { &left.label } else { &right.label },
                        ),
                    });
                }
                if row.section == Section::Worker && row.state == State::Same {
                    findings.push(Finding {
                        severity: Severity::Error,
                        kind: FindingKind::SameWorker,
                        message: format!(
                            "{} and {} both deploy as worker `{}`: each deploy replaces the other",
                            left.label,
                            right.label,
                            row.left.as_deref().unwrap_or_default()
                        ),
                    });
                }
                continue;
            }
        };
        let what = match row.section {
            Section::Binding => format!("{} binding `{}`", kind_label(&row.kind), row.name),
            Section::Var => format!("var `{}`", row.name),
            Section::Secret => format!("secret `{}`", row.name),
            Section::Worker | Section::Route | Section::Compatibility | Section::Trigger => {
                continue;
            }
        };
        findings.push(Finding {
            severity: Severity::Warning,
            kind: FindingKind::Missing,
            message: format!("{what} is in {} but not in {}", has.label, lacks.label),
        });
    }
}

/// Resources both sides reach.
fn shared(
    left: &Environment<'_>,
    right: &Environment<'_>,
    left_side: &Side,
    right_side: &Side,
    findings: &mut Vec<Finding>,
) {
    let right_uses = uses(right);
    let mut reported = HashSet::new();
    for one in uses(left) {
        let Some(other) =
            right_uses.iter().find(|u| u.kind == one.kind && u.resource == one.resource)
        else {
            continue;
        };
        if !reported.insert((one.kind, one.resource.clone())) {
            continue;
        }
        let production = [left_side, right_side].into_iter().find(|side| side.production);
        let (severity, consequence) = match production {
            Some(side) => (
                Severity::Error,
                format!("deploying the other reads and writes {}'s production data", side.label),
            ),
            None => (Severity::Warning, "each reads and writes the other's data".to_owned()),
        };
        findings.push(Finding {
            severity,
            kind: FindingKind::SharedResource,
            message: format!(
                "{} (`{}`) and {} (`{}`) both reach {} `{}`: {consequence}",
                left_side.label,
                one.binding,
                right_side.label,
                other.binding,
                one.kind,
                one.resource
            ),
        });
    }
}

/// Debug switches in a production side's vars.
fn debug_findings(env: &Environment<'_>, side: &Side, findings: &mut Vec<Finding>) {
    let Some(vars) = env.get("vars") else { return };
    for entry in vars.node.entries() {
        if let Some(problem) =
            debug_switch(&entry.key, &entry.value.value, env.is_named_production())
        {
            findings.push(Finding {
                severity: Severity::Warning,
                kind: FindingKind::DebugInProduction,
                message: format!(
                    "vars.{} {problem} in {}, the production side",
                    entry.key, side.label
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests;
