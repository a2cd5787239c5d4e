//! Returning a worker to an earlier version through the API, and what doing so leaves as it is.

use std::collections::BTreeMap;

use super::api::{BindingName, SECRETS_CHANGED, Workers};
use super::point::RollbackPoint;
use crate::remote::CallError;

/// What a rollback did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollback {
    /// The version serving before it; `None` when the worker had no deployment.
    pub from: Option<String>,
    /// The version serving now.
    pub to: String,
    /// Whether the API first refused because the secrets changed, so it was forced.
    pub forced: bool,
}

/// Sends all of `worker`'s traffic to `version`. When the API refuses because the worker's
/// secrets changed since that version, `on_secrets_changed` is told why and the deployment is
/// forced, as `wrangler rollback` does.
///
/// # Errors
/// When the API cannot be reached or refuses for any other reason.
pub fn rollback(
    workers: &Workers,
    worker: &str,
    version: &str,
    message: &str,
    on_secrets_changed: impl FnOnce(&CallError),
) -> Result<Rollback, CallError> {
    let from = workers.active_deployment(worker)?.map(|active| active.version_id);
    let forced = match workers.deploy_version(worker, version, message, false) {
        Ok(()) => false,
        Err(error) if error.has_code(SECRETS_CHANGED) => {
            on_secrets_changed(&error);
            workers.deploy_version(worker, version, message, true)?;
            true
        }
        Err(error) => return Err(error),
    };
    Ok(Rollback { from, to: version.to_owned(), forced })
}

/// How a binding differs between the version left and the version returned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The version left has it; the version returned to does not.
    Removed,
    /// The version returned to has it; the version left does not.
    Restored,
    /// Both have it, pointing at something else or holding another value.
    Changed,
}

impl Change {
    /// How the report words it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Removed => "is in the version left, not in the one serving now",
            Change::Restored => "is in the version serving now, not in the one left",
            Change::Changed => "points elsewhere or holds another value in the version serving now",
        }
    }
}

/// One binding that differs: the group it belongs to (`binding`, `var`, `secret`), its name,
/// type and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// `binding`, `var` or `secret`.
    pub group: &'static str,
    /// The binding's name.
    pub name: String,
    /// The API's type.
    pub kind: String,
    /// How it differs.
    pub change: Change,
}

fn group(kind: &str) -> &'static str {
    match kind {
        "plain_text" | "json" => "var",
        kind if kind.starts_with("secret") => "secret",
        _ => "binding",
    }
}

/// The bindings, vars and secrets that differ between the version `left` and the version
/// `returned` to, by name.
#[must_use]
pub fn differences(left: &[BindingName], returned: &[BindingName]) -> Vec<Difference> {
    let by_name = |list: &[BindingName]| -> BTreeMap<String, BindingName> {
        list.iter().map(|binding| (binding.name.clone(), binding.clone())).collect()
    };
    let (left, returned) = (by_name(left), by_name(returned));
    let mut out = Vec::new();
    for (name, binding) in &left {
        let change = match returned.get(name) {
            None => Change::Removed,
            Some(other) if other.kind != binding.kind || other.digest != binding.digest => {
                Change::Changed
            }
            Some(_) => continue,
        };
        let kind = binding.kind.clone();
        out.push(Difference { group: group(&kind), name: name.clone(), kind, change });
    }
    for (name, binding) in returned.iter().filter(|(name, _)| !left.contains_key(*name)) {
        let kind = binding.kind.clone();
        out.push(Difference {
            group: group(&kind),
            name: name.clone(),
            kind,
            change: Change::Restored,
        });
    }
    out
}

/// The migrations each D1 database applied since `point` was recorded, by database id. A
/// database the point has no list for is left out: nothing can be said about it.
#[must_use]
pub fn migrations_since(
    point: &RollbackPoint,
    now: &BTreeMap<String, Vec<String>>,
) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (database, recorded) in &point.d1_migrations {
        let Some(current) = now.get(database) else { continue };
        let new: Vec<String> =
            current.iter().filter(|name| !recorded.contains(name)).cloned().collect();
        if !new.is_empty() {
            out.push((database.clone(), new));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(name: &str, kind: &str, digest: &str) -> BindingName {
        BindingName { name: name.to_owned(), kind: kind.to_owned(), digest: digest.to_owned() }
    }

    #[test]
    fn differences_by_name_kind_and_target() {
        let left = [
            binding("CACHE", "kv_namespace", "a"),
            binding("DB", "d1", "b"),
            binding("LOG_LEVEL", "plain_text", "c"),
            binding("NEW_KEY", "secret_text", "d"),
        ];
        let returned = [
            binding("DB", "d1", "other-database"),
            binding("LOG_LEVEL", "plain_text", "c"),
            binding("OLD_FLAG", "plain_text", "e"),
        ];
        let found = differences(&left, &returned);
        let found: Vec<(&str, &str, Change)> =
            found.iter().map(|d| (d.group, d.name.as_str(), d.change)).collect();
        assert_eq!(
            found,
            [
                ("binding", "CACHE", Change::Removed),
                ("binding", "DB", Change::Changed),
                ("secret", "NEW_KEY", Change::Removed),
                ("var", "OLD_FLAG", Change::Restored),
            ]
        );
        assert!(differences(&left, &left).is_empty());
    }

    #[test]
    fn migrations_applied_since_the_point() {
        let mut point: RollbackPoint = serde_json::from_value(serde_json::json!({
            "worker": "w", "environment": null, "account_id": "a", "recorded_at_ms": 1,
            "deployment_id": null, "version_id": null, "bindings": null, "vars": null,
            "secrets": null, "d1_migrations": {"db1": ["0001.sql"]}, "migration_tag": null
        }))
        .unwrap();
        let now = BTreeMap::from([
            ("db1".to_owned(), vec!["0001.sql".to_owned(), "0002.sql".to_owned()]),
            ("db2".to_owned(), vec!["0001.sql".to_owned()]),
        ]);
        assert_eq!(
            migrations_since(&point, &now),
            [("db1".to_owned(), vec!["0002.sql".to_owned()])]
        );
        point.d1_migrations.insert("db1".to_owned(), now["db1"].clone());
        assert!(migrations_since(&point, &now).is_empty());
    }
}
