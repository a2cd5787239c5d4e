//! Versions and deployments of a Worker: how the API shows them, secrets that make a new
//! version, and deployments, with the rollback check on secrets.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::workers::AUTHOR_EMAIL;
use crate::envelope::{fail, ok};
use crate::http::Response;
use crate::ids;
use crate::store::{SECRET_TYPES, ScriptDeployment, ScriptVersion, Store, StoredSecret};

pub(super) fn metadata(version: &ScriptVersion) -> Value {
    json!({
        "author_email": AUTHOR_EMAIL,
        "author_id": ids::hex32("author"),
        "created_on": version.created_on,
        "modified_on": version.created_on,
        "source": version.source,
        "hasPreview": false,
    })
}

pub(super) fn version_summary(version: &ScriptVersion) -> Value {
    json!({ "id": version.id, "number": version.number, "metadata": metadata(version) })
}

/// A version as `GET .../versions/{id}` shows it.
pub fn version_detail(version: &ScriptVersion) -> Value {
    json!({
        "id": version.id,
        "number": version.number,
        "metadata": metadata(version),
        "annotations": version.annotations,
        "resources": {
            "bindings": version.bindings.clone(),
            "script": {
                "etag": version.etag,
                "handlers": version.handlers,
                "last_deployed_from": version.source,
            },
            "script_runtime": {
                "compatibility_date": version.compatibility_date,
                "compatibility_flags": version.compatibility_flags,
                "usage_model": version.usage_model,
                "limits": version.limits,
            },
        },
    })
}

/// A deployment as the deployments endpoints show it.
pub fn deployment_json(deployment: &ScriptDeployment) -> Value {
    json!({
        "id": deployment.id,
        "source": deployment.source,
        "strategy": "percentage",
        "author_email": AUTHOR_EMAIL,
        "created_on": deployment.created_on,
        "annotations": deployment.annotations,
        "versions": deployment.versions.iter().map(|(id, percentage)| json!({ "version_id": id, "percentage": percentage_json(*percentage) })).collect::<Vec<_>>(),
    })
}

/// A percentage as the API writes it: whole numbers without a fraction.
pub(super) fn percentage_json(percentage: f64) -> Value {
    if percentage.fract() == 0.0 { json!(percentage as i64) } else { json!(percentage) }
}

/// Sets a secret: a new version with the secret, deployed at 100%, as the API does for
/// versioned Workers.
pub(super) fn set_secret(store: &mut Store, name: &str, secret: &str, kind: &str, source: &str) {
    let generation = store.script(name).map_or(0, |script| {
        script
            .versions
            .iter()
            .filter_map(|v| v.secrets.get(secret))
            .map(|s| s.generation)
            .max()
            .unwrap_or(0)
    }) + 1;
    let stored = StoredSecret { kind: kind.to_owned(), generation };
    let secret = secret.to_owned();
    new_version_with(store, name, source, move |secrets| {
        secrets.insert(secret, stored);
    });
}

/// Copies the current version, lets `change` edit its secrets, and deploys it at 100% marked
/// as triggered by a secret change.
pub(super) fn new_version_with(
    store: &mut Store,
    name: &str,
    source: &str,
    change: impl FnOnce(&mut BTreeMap<String, StoredSecret>),
) {
    let triggered_by = "secret";
    let created_on = store.clock.tick();
    let deployed_on = store.clock.tick();
    let Some(script) = store.script_mut(name) else { return };
    let Some(mut version) = script.current_version().cloned() else { return };
    let number = script.next_version_number();
    version.id = ids::uuid(&format!("version:{name}:{number}"));
    version.number = number;
    version.created_on.clone_from(&created_on);
    source.clone_into(&mut version.source);
    version.annotations =
        Map::from_iter([("workers/triggered_by".to_owned(), json!(triggered_by))]);
    change(&mut version.secrets);
    // The secret bindings follow the secrets: gone ones removed, new ones appended.
    version.bindings.retain(|binding| {
        let kind = binding["type"].as_str().unwrap_or_default();
        !SECRET_TYPES.contains(&kind)
            || binding["name"].as_str().is_some_and(|n| version.secrets.contains_key(n))
    });
    for (secret, stored) in &version.secrets {
        if !version.bindings.iter().any(|binding| binding["name"] == secret.as_str()) {
            version.bindings.push(json!({ "name": secret, "type": stored.kind }));
        }
    }
    script.secrets.clone_from(&version.secrets);
    let deployment = ScriptDeployment {
        id: ids::uuid(&format!("deployment:{name}:{}", script.deployments.len() + 1)),
        created_on: deployed_on.clone(),
        source: source.to_owned(),
        annotations: Map::from_iter([("workers/triggered_by".to_owned(), json!(triggered_by))]),
        versions: vec![(version.id.clone(), 100.0)],
    };
    script.versions.push(version);
    script.deployments.push(deployment);
    script.modified_on = deployed_on;
}

pub(super) fn create_deployment(
    store: &mut Store,
    name: &str,
    body: &Value,
    force: bool,
    source: &str,
) -> Response {
    let Some(shares) = body["versions"].as_array().filter(|shares| !shares.is_empty()) else {
        return fail(400, 10021, "a deployment needs `versions`");
    };
    let script = store.script(name).expect("the caller checked the script");
    let mut versions = Vec::new();
    for share in shares {
        let id = share["version_id"].as_str().unwrap_or_default();
        let Some(version) = script.versions.iter().find(|version| version.id == id) else {
            return fail(404, 100_146, &format!("workers.api.error.version_not_found: {id}"));
        };
        versions.push((version.id.clone(), share["percentage"].as_f64().unwrap_or(0.0)));
    }
    let total: f64 = versions.iter().map(|(_, percentage)| percentage).sum();
    if (total - 100.0).abs() > 1e-9 {
        return fail(
            400,
            10021,
            &format!("the percentages of a deployment add up to {total}, not 100"),
        );
    }

    // Going back to a version that runs with other secrets than the Worker has now changes
    // behaviour silently; the API refuses unless forced.
    let (target, _) = versions.iter().max_by(|a, b| a.1.total_cmp(&b.1)).expect("not empty");
    let target = script.versions.iter().find(|version| &version.id == target).expect("found above");
    let changed: Vec<&str> = script
        .secrets
        .iter()
        .filter(|(secret, stored)| target.secrets.get(*secret) != Some(stored))
        .map(|(secret, _)| secret.as_str())
        .chain(
            target
                .secrets
                .keys()
                .filter(|secret| !script.secrets.contains_key(*secret))
                .map(String::as_str),
        )
        .collect();
    if !changed.is_empty() && !force {
        return fail(
            400,
            10220,
            &format!(
                "A deployment of this version would run with different secrets than the Worker has now. The following secrets have changed: {}",
                changed.join(", ")
            ),
        );
    }
    let target_secrets = target.secrets.clone();

    let mut annotations = Map::new();
    if let Some(message) = body.pointer("/annotations/workers~1message").and_then(Value::as_str) {
        annotations.insert("workers/message".to_owned(), json!(message));
    }
    // Deploying an older version than the newest is a rollback; the API marks only that.
    let newest = script.versions.last().map(|version| version.id.as_str());
    let rollback = newest != Some(target.id.as_str());
    if rollback {
        annotations.insert("workers/triggered_by".to_owned(), json!("rollback"));
    }
    let created_on = store.clock.tick();
    let script = store.script_mut(name).expect("checked above");
    let deployment = ScriptDeployment {
        id: ids::uuid(&format!("deployment:{name}:{}", script.deployments.len() + 1)),
        created_on: created_on.clone(),
        source: source.to_owned(),
        annotations,
        versions,
    };
    let shown = deployment_json(&deployment);
    script.deployments.push(deployment);
    script.secrets = target_secrets;
    script.modified_on = created_on;
    ok(shown)
}
