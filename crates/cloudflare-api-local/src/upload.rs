//! Worker uploads: `PUT .../workers/scripts/{name}` (a new version deployed at once) and
//! `POST .../workers/scripts/{name}/versions` (a new version, not deployed). Both take the
//! multipart form wrangler builds: a `metadata` part and the modules.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::envelope::{fail, ok};
use crate::http::{Request, Response};
use crate::ids;
use crate::multipart;
use crate::routes::versions::version_detail;
use crate::routes::workers::{script_object, source_of};
use crate::store::{
    Module, SECRET_TYPES, Script, ScriptDeployment, ScriptVersion, Store, StoredSecret, etag,
};

/// `PUT .../workers/scripts/{name}`: uploads and deploys at 100%.
pub fn put_script(store: &mut Store, request: &Request, name: &str) -> Response {
    let version = match upload(store, request, name) {
        Ok(version) => version,
        Err(response) => return response,
    };
    let created_on = store.clock.tick();
    let script = store.script_mut(name).expect("upload created the script");
    let deployment = ScriptDeployment {
        id: ids::uuid(&format!("deployment:{name}:{}", script.deployments.len() + 1)),
        created_on: created_on.clone(),
        source: source_of(request).to_owned(),
        annotations: Map::from_iter([("workers/triggered_by".to_owned(), json!("upload"))]),
        versions: vec![(version.clone(), 100.0)],
    };
    script.deployments.push(deployment);
    script.modified_on = created_on;
    let workers_dev = script.workers_dev;
    let script = store.script(name).expect("upload created the script");
    let mut result = script_object(store, script);
    result["deployment_id"] = json!(version);
    result["startup_time_ms"] = json!(1);
    result["available_on_subdomain"] = json!(workers_dev);
    ok(result)
}

/// `POST .../workers/scripts/{name}/versions`: uploads a version without deploying it.
pub fn post_version(store: &mut Store, request: &Request, name: &str) -> Response {
    let version = match upload(store, request, name) {
        Ok(version) => version,
        Err(response) => return response,
    };
    let script = store.script(name).expect("upload created the script");
    let version = script.versions.iter().find(|v| v.id == version).expect("just added");
    let mut detail = version_detail(version);
    detail["startup_time_ms"] = json!(1);
    ok(detail)
}

/// Stores the uploaded version (creating the script on its first upload) and returns its id.
fn upload(store: &mut Store, request: &Request, name: &str) -> Result<String, Response> {
    let content_type = request.header("content-type").unwrap_or_default();
    let parts = multipart::parse(content_type, &request.body)
        .map_err(|error| fail(400, 10021, &format!("the upload is not a valid form: {error}")))?;
    let metadata_part = parts
        .iter()
        .find(|part| part.name == "metadata")
        .ok_or_else(|| fail(400, 10021, "the upload has no `metadata` part"))?;
    let metadata: Value = serde_json::from_slice(&metadata_part.data)
        .map_err(|error| fail(400, 10021, &format!("the `metadata` part is not JSON: {error}")))?;

    let main_module = metadata["main_module"]
        .as_str()
        .or_else(|| metadata["body_part"].as_str())
        .ok_or_else(|| fail(400, 10021, "metadata has neither `main_module` nor `body_part`"))?
        .to_owned();
    let modules: Vec<Module> = parts
        .iter()
        .filter(|part| part.name != "metadata")
        .map(|part| Module {
            name: part.name.clone(),
            content_type: part
                .content_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".to_owned()),
            content: part.data.clone(),
        })
        .collect();
    let Some(main) = modules.iter().find(|module| module.name == main_module) else {
        return Err(fail(
            400,
            10021,
            &format!("No such module \"{main_module}\": the main module is not in the upload"),
        ));
    };
    let handlers = handlers_of(&String::from_utf8_lossy(&main.content));

    let current = store.script(name).and_then(Script::current_version).cloned();
    let keep: Vec<&str> = metadata["keep_bindings"]
        .as_array()
        .map(|types| types.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let (bindings, secrets) = resolve_bindings(store, &metadata, current.as_ref(), &keep)?;
    let migration = Migration::of(&metadata);
    check_migration(store, name, &migration, &bindings)?;
    migration.apply(store, name);

    let created_on = store.clock.tick();
    if store.script(name).is_none() {
        store.workers.push(new_script(name, &created_on));
    }
    let script = store.script_mut(name).expect("created above");
    let number = script.next_version_number();
    let mut annotations = Map::new();
    if let Some(given) = metadata["annotations"].as_object() {
        for (key, value) in given {
            if !value.is_null() {
                annotations.insert(key.clone(), value.clone());
            }
        }
    }
    annotations.insert("workers/triggered_by".to_owned(), json!("upload"));
    let version = ScriptVersion {
        id: ids::uuid(&format!("version:{name}:{number}")),
        number,
        created_on,
        source: source_of(request).to_owned(),
        annotations,
        bindings,
        secrets: secrets.clone(),
        compatibility_date: metadata["compatibility_date"]
            .as_str()
            .unwrap_or("2025-01-01")
            .to_owned(),
        compatibility_flags: metadata["compatibility_flags"]
            .as_array()
            .map(|flags| flags.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default(),
        usage_model: metadata["usage_model"].as_str().unwrap_or("standard").to_owned(),
        limits: metadata.get("limits").cloned().unwrap_or(Value::Null),
        handlers,
        etag: etag(name, number),
        main_module,
        modules,
    };
    if let Some(tag) = metadata.pointer("/migrations/new_tag").and_then(Value::as_str) {
        script.migration_tag = Some(tag.to_owned());
    }
    if let Some(logpush) = metadata["logpush"].as_bool() {
        script.logpush = logpush;
    }
    if let Some(observability) = metadata.get("observability") {
        script.observability = observability.clone();
    }
    let id = version.id.clone();
    script.versions.push(version);
    script.secrets = secrets;
    Ok(id)
}

/// The bindings of the new version: those uploaded, plus those `keep_bindings` and `inherit`
/// carry over from the current version. A secret uploaded with its text is set anew; a kept or
/// inherited one keeps its value.
fn resolve_bindings(
    store: &Store,
    metadata: &Value,
    current: Option<&ScriptVersion>,
    keep: &[&str],
) -> Result<(Vec<Value>, BTreeMap<String, StoredSecret>), Response> {
    let mut bindings: Vec<Value> = current
        .map(|version| {
            version
                .bindings
                .iter()
                .filter(|b| keep.contains(&b["type"].as_str().unwrap_or_default()))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let mut set_anew = Vec::new();

    for binding in metadata["bindings"].as_array().into_iter().flatten() {
        let name = binding["name"].as_str().unwrap_or_default().to_owned();
        let kind = binding["type"].as_str().unwrap_or_default();
        if name.is_empty() {
            return Err(fail(400, 10021, "a binding has no `name`"));
        }
        let resolved = if kind == "inherit" {
            let inherited = current
                .and_then(|version| version.bindings.iter().find(|b| b["name"] == name.as_str()));
            let Some(inherited) = inherited else {
                return Err(fail(
                    400,
                    10021,
                    &format!(
                        "binding {name} inherits from the current version, which has no binding of that name"
                    ),
                ));
            };
            inherited.clone()
        } else if SECRET_TYPES.contains(&kind) {
            // Only the name and type are kept; the value is never stored.
            set_anew.push(name.clone());
            json!({ "name": name, "type": kind })
        } else {
            check_resource(store, binding, &name, kind)?;
            binding.clone()
        };
        if let Some(kept) = bindings.iter().position(|kept| kept["name"] == name.as_str()) {
            let kept_kind = bindings[kept]["type"].as_str().unwrap_or_default();
            if keep.contains(&kept_kind)
                && kept_kind != resolved["type"].as_str().unwrap_or_default()
            {
                return Err(name_in_use(&name));
            }
            bindings.remove(kept);
        }
        if bindings.iter().any(|b| b["name"] == name.as_str()) {
            return Err(name_in_use(&name));
        }
        bindings.push(resolved);
    }

    let mut secrets = BTreeMap::new();
    for binding in &bindings {
        let kind = binding["type"].as_str().unwrap_or_default();
        let Some(name) = binding["name"].as_str().filter(|_| SECRET_TYPES.contains(&kind)) else {
            continue;
        };
        let before =
            current.and_then(|version| version.secrets.get(name)).map_or(0, |s| s.generation);
        let generation =
            if set_anew.iter().any(|set| set == name) { before + 1 } else { before.max(1) };
        secrets.insert(name.to_owned(), StoredSecret { kind: kind.to_owned(), generation });
    }
    Ok((bindings, secrets))
}

fn name_in_use(name: &str) -> Response {
    fail(
        400,
        10053,
        &format!(
            "Binding name '{name}' already in use. Please use a different name and try again."
        ),
    )
}

/// What an upload's `migrations` do to its Durable Object classes, in either shape wrangler
/// sends: `{old_tag?, new_tag, steps: [...]}` or the step's keys at the top.
struct Migration {
    old_tag: Option<String>,
    given: bool,
    /// Classes created, with whether they store data in SQLite.
    created: Vec<(String, bool)>,
    deleted: Vec<String>,
}

impl Migration {
    fn of(metadata: &Value) -> Migration {
        let migrations = &metadata["migrations"];
        let steps: Vec<&Value> = match migrations["steps"].as_array() {
            Some(steps) => steps.iter().collect(),
            None => vec![migrations],
        };
        let classes = |step: &Value, key: &str| -> Vec<String> {
            step[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        };
        let mut created = Vec::new();
        let mut deleted = Vec::new();
        for step in steps {
            created.extend(classes(step, "new_classes").into_iter().map(|class| (class, false)));
            created
                .extend(classes(step, "new_sqlite_classes").into_iter().map(|class| (class, true)));
            deleted.extend(classes(step, "deleted_classes"));
        }
        Migration {
            old_tag: migrations["old_tag"].as_str().map(str::to_owned),
            given: migrations.is_object(),
            created,
            deleted,
        }
    }

    /// Creates the namespaces of new classes and removes those of deleted ones.
    fn apply(&self, store: &mut Store, script: &str) {
        store.durable_object_namespaces.retain(|namespace| {
            namespace["script"] != script
                || !self.deleted.iter().any(|class| namespace["class"] == class.as_str())
        });
        for (class, sqlite) in &self.created {
            let exists = store.durable_object_namespaces.iter().any(|namespace| {
                namespace["script"] == script && namespace["class"] == class.as_str()
            });
            if !exists {
                store.durable_object_namespaces.push(json!({
                    "id": ids::hex32(&format!("do:{script}:{class}")),
                    "name": format!("{script}_{class}"),
                    "script": script,
                    "class": class,
                    "use_sqlite": sqlite,
                }));
            }
        }
    }
}

/// Refuses a migration whose `old_tag` is not the script's tag, and a binding to a Durable
/// Object class of this script that neither exists nor is created by the migration.
fn check_migration(
    store: &Store,
    name: &str,
    migration: &Migration,
    bindings: &[Value],
) -> Result<(), Response> {
    let current_tag = store.script(name).and_then(|script| script.migration_tag.clone());
    if migration.given && migration.old_tag != current_tag {
        return Err(fail(
            400,
            10079,
            &format!(
                "The migration's old_tag {:?} does not match the script's migration tag {:?}",
                migration.old_tag.as_deref().unwrap_or(""),
                current_tag.as_deref().unwrap_or("")
            ),
        ));
    }
    for binding in bindings.iter().filter(|b| b["type"] == "durable_object_namespace") {
        let own = binding["script_name"].as_str().is_none_or(|script| script == name);
        let class = binding["class_name"].as_str().unwrap_or_default();
        let exists = store
            .durable_object_namespaces
            .iter()
            .any(|namespace| namespace["script"] == name && namespace["class"] == class);
        let created = migration.created.iter().any(|(created, _)| created == class);
        if own && !exists && !created {
            return Err(fail(
                400,
                10061,
                &format!(
                    "Cannot create binding for class '{class}' because it is not currently configured to implement Durable Objects. Did you forget to apply a migration?"
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses bindings to resources the account does not have, as the API does at upload.
fn check_resource(store: &Store, binding: &Value, name: &str, kind: &str) -> Result<(), Response> {
    match kind {
        "kv_namespace" => {
            let id = binding["namespace_id"].as_str().unwrap_or_default();
            if !store.kv_namespaces.iter().any(|ns| ns["id"] == id) {
                return Err(fail(
                    400,
                    10042,
                    &format!("KV namespace '{id}' is not valid. [code: 10042]"),
                ));
            }
        }
        "d1" => {
            let id = binding["database_id"]
                .as_str()
                .or_else(|| binding["id"].as_str())
                .unwrap_or_default();
            if !store.d1_databases.iter().any(|db| db.uuid == id) {
                return Err(fail(
                    400,
                    10181,
                    &format!(
                        "binding {name} of type d1 must have a valid `id` specified [code: 10181]"
                    ),
                ));
            }
        }
        "r2_bucket" => {
            let bucket = binding["bucket_name"].as_str().unwrap_or_default();
            if !store.r2_buckets.iter().any(|b| b.info["name"] == bucket) {
                return Err(fail(400, 10085, &format!("R2 bucket '{bucket}' cannot be found")));
            }
        }
        _ => {}
    }
    Ok(())
}

fn new_script(name: &str, created_on: &str) -> Script {
    Script {
        name: name.to_owned(),
        tag: ids::hex32(&format!("script:{name}")),
        created_on: created_on.to_owned(),
        modified_on: created_on.to_owned(),
        secrets: BTreeMap::new(),
        logpush: false,
        observability: Value::Null,
        tags: Value::Null,
        tail_consumers: Value::Null,
        workers_dev: false,
        previews_enabled: false,
        schedules: Vec::new(),
        migration_tag: None,
        versions: Vec::new(),
        deployments: Vec::new(),
    }
}

/// The handlers a module exports, read from its text: the API runs the code to know; a look
/// for the handler names is close enough for a test double.
fn handlers_of(code: &str) -> Vec<String> {
    let found: Vec<String> = ["fetch", "scheduled", "queue", "email", "tail", "trace"]
        .into_iter()
        .filter(|handler| {
            code.contains(&format!("{handler}(")) || code.contains(&format!("{handler}:"))
        })
        .map(str::to_owned)
        .collect();
    if found.is_empty() { vec!["fetch".to_owned()] } else { found }
}

#[cfg(test)]
mod tests {
    use super::handlers_of;

    #[test]
    fn handlers_come_from_the_code() {
        assert_eq!(
            handlers_of("export default { async fetch(r) {}, scheduled(e) {} }"),
            ["fetch", "scheduled"]
        );
        assert_eq!(handlers_of("export default {}"), ["fetch"]);
    }
}
