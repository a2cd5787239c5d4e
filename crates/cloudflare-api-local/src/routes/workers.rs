//! Workers: scripts and their settings, secrets, versions, deployments, routes, workers.dev
//! subdomain, cron triggers and custom domains. `segments` start after `/accounts/{id}`.

use serde_json::{Value, json};

use super::json_body;
use super::triggers::{domains_changeset, put_domains, put_routes, script_routes};
use super::versions::{
    create_deployment, deployment_json, new_version_with, set_secret, version_detail,
    version_summary,
};
use crate::envelope::{fail, ok};
use crate::http::{Request, Response};
use crate::store::{SECRET_TYPES, Script, Store};
use crate::upload;

/// The author every version and deployment names.
pub const AUTHOR_EMAIL: &str = "dev@example.com";

/// Answers a Workers path; `None` when no endpoint serves it.
pub fn answer(store: &mut Store, request: &Request, segments: &[&str]) -> Option<Response> {
    let method = request.method.as_str();
    let response = match (method, segments) {
        ("GET", ["workers", "scripts"]) => {
            let scripts: Vec<Value> =
                store.workers.iter().map(|script| script_object(store, script)).collect();
            ok(Value::Array(scripts))
        }
        ("GET", ["workers", "subdomain"]) => ok(json!({ "subdomain": store.subdomain })),
        ("GET", ["workers", "domains"]) => {
            let filters = request.query_pairs();
            let domains = store
                .custom_domains
                .iter()
                .filter(|domain| {
                    filters.iter().all(|(key, wanted)| match key.as_str() {
                        "hostname" | "service" | "environment" | "zone_id" | "zone_name" => {
                            domain[key.as_str()] == wanted.as_str()
                        }
                        _ => true,
                    })
                })
                .cloned()
                .collect();
            ok(Value::Array(domains))
        }
        ("GET", ["workers", "domains", "records", id]) => {
            match store.custom_domains.iter().find(|domain| domain["id"] == *id) {
                Some(domain) => ok(domain.clone()),
                None => fail(404, 100_114, "Domain not found"),
            }
        }
        ("GET", ["workers", "services", name]) => match store.script(name) {
            Some(script) => ok(service(store, script)),
            None => fail(404, 10090, "workers.api.error.service_not_found"),
        },
        ("GET", ["workers", "services", name, "environments", _, "routes"]) => {
            match store.script(name) {
                Some(script) => ok(Value::Array(script_routes(store, &script.name))),
                None => fail(404, 10090, "workers.api.error.service_not_found"),
            }
        }
        ("DELETE", ["workers", "services", name]) => {
            if store.script(name).is_none() {
                return Some(fail(404, 10090, "workers.api.error.service_not_found"));
            }
            delete_script(store, name);
            ok(Value::Null)
        }
        ("PUT", ["workers", "scripts", name]) => upload::put_script(store, request, name),
        ("POST", ["workers", "scripts", name, "versions"]) => {
            upload::post_version(store, request, name)
        }
        (_, ["workers", "scripts", name, rest @ ..]) => {
            if store.script(name).is_none() {
                return Some(script_not_found());
            }
            return in_script(store, request, name, rest);
        }
        _ => return None,
    };
    Some(response)
}

fn in_script(store: &mut Store, request: &Request, name: &str, rest: &[&str]) -> Option<Response> {
    let method = request.method.as_str();
    let response = match (method, rest) {
        ("GET", []) => {
            let script = store.script(name)?;
            return Some(content(script, None));
        }
        ("GET", ["content", "v2"]) => {
            let script = store.script(name)?;
            return Some(content(script, request.query_param("version").as_deref()));
        }
        ("DELETE", []) => {
            delete_script(store, name);
            ok(Value::Null)
        }
        ("GET", ["settings"]) => {
            let script = store.script(name)?;
            ok(settings(script))
        }
        ("GET", ["script-settings"]) => ok(script_settings(store.script(name)?)),
        ("PATCH", ["script-settings"]) => {
            let body = match json_body(request) {
                Ok(body) => body,
                Err(response) => return Some(response),
            };
            let script = store.script_mut(name)?;
            if let Some(logpush) = body.get("logpush").and_then(Value::as_bool) {
                script.logpush = logpush;
            }
            for (key, slot) in [
                ("observability", &mut script.observability),
                ("tags", &mut script.tags),
                ("tail_consumers", &mut script.tail_consumers),
            ] {
                if let Some(value) = body.get(key) {
                    *slot = value.clone();
                }
            }
            ok(script_settings(script))
        }
        ("GET", ["secrets"]) => {
            let secrets: Vec<Value> = store
                .script(name)?
                .secrets
                .iter()
                .map(|(name, secret)| json!({ "name": name, "type": secret.kind }))
                .collect();
            ok(Value::Array(secrets))
        }
        ("GET", ["secrets", secret]) => match store.script(name)?.secrets.get(*secret) {
            Some(stored) => ok(json!({ "name": secret, "type": stored.kind })),
            None => fail(404, 10056, &format!("Secret {secret} not found")),
        },
        ("PUT", ["secrets"]) => {
            let body = match json_body(request) {
                Ok(body) => body,
                Err(response) => return Some(response),
            };
            let Some(secret) = body["name"].as_str().filter(|n| !n.is_empty()) else {
                return Some(fail(400, 10021, "a secret needs a `name`"));
            };
            let kind = body["type"].as_str().unwrap_or("secret_text").to_owned();
            let conflicts = store.script(name)?.current_version().is_some_and(|version| {
                version.bindings.iter().any(|binding| {
                    binding["name"] == secret
                        && !SECRET_TYPES.contains(&binding["type"].as_str().unwrap_or_default())
                })
            });
            if conflicts {
                return Some(fail(
                    400,
                    10053,
                    &format!(
                        "Binding name '{secret}' already in use. Please use a different name and try again."
                    ),
                ));
            }
            let secret = secret.to_owned();
            set_secret(store, name, &secret, &kind, source_of(request));
            ok(json!({ "name": secret, "type": kind }))
        }
        ("DELETE", ["secrets", secret]) => {
            if !store.script(name)?.secrets.contains_key(*secret) {
                return Some(fail(404, 10056, &format!("Secret {secret} not found")));
            }
            let secret = (*secret).to_owned();
            new_version_with(store, name, source_of(request), |secrets| {
                secrets.remove(&secret);
            });
            ok(Value::Null)
        }
        ("GET", ["versions"]) => {
            let script = store.script(name)?;
            let deployable = request.query_param("deployable").as_deref() == Some("true");
            let per_page = request
                .query_param("per_page")
                .and_then(|t| t.parse::<usize>().ok())
                .unwrap_or(10)
                .clamp(1, 100);
            let page = request
                .query_param("page")
                .and_then(|t| t.parse::<usize>().ok())
                .unwrap_or(1)
                .max(1);
            let newest_first = script.versions.iter().rev();
            let items: Vec<Value> = if deployable {
                newest_first.map(version_summary).collect()
            } else {
                newest_first
                    .skip((page - 1) * per_page)
                    .take(per_page)
                    .map(version_summary)
                    .collect()
            };
            ok(json!({ "items": items }))
        }
        ("GET", ["versions", id]) => {
            match store.script(name)?.versions.iter().find(|v| v.id == *id) {
                Some(version) => ok(version_detail(version)),
                None => fail(404, 100_146, "workers.api.error.version_not_found"),
            }
        }
        ("GET", ["deployments"]) => {
            let deployments: Vec<Value> =
                store.script(name)?.deployments.iter().rev().map(deployment_json).collect();
            ok(json!({ "deployments": deployments }))
        }
        ("GET", ["deployments", id]) => {
            match store.script(name)?.deployments.iter().find(|deployment| deployment.id == *id) {
                Some(deployment) => ok(deployment_json(deployment)),
                None => fail(404, 10336, "workers.api.error.deployment_not_found"),
            }
        }
        ("POST", ["deployments"]) => {
            let body = match json_body(request) {
                Ok(body) => body,
                Err(response) => return Some(response),
            };
            let force = request.query_param("force").as_deref() == Some("true");
            create_deployment(store, name, &body, force, source_of(request))
        }
        ("GET", ["subdomain"]) => {
            let script = store.script(name)?;
            ok(
                json!({ "enabled": script.workers_dev, "previews_enabled": script.previews_enabled }),
            )
        }
        ("POST", ["subdomain"]) => {
            let body = match json_body(request) {
                Ok(body) => body,
                Err(response) => return Some(response),
            };
            let script = store.script_mut(name)?;
            if let Some(enabled) = body["enabled"].as_bool() {
                script.workers_dev = enabled;
            }
            if let Some(enabled) = body["previews_enabled"].as_bool() {
                script.previews_enabled = enabled;
            }
            ok(
                json!({ "enabled": script.workers_dev, "previews_enabled": script.previews_enabled }),
            )
        }
        ("GET", ["schedules"]) => ok(json!({ "schedules": store.script(name)?.schedules })),
        ("PUT", ["schedules"]) => {
            let body = match json_body(request) {
                Ok(body) => body,
                Err(response) => return Some(response),
            };
            let Some(items) = body.as_array() else {
                return Some(fail(400, 10021, "schedules must be an array of {\"cron\": ...}"));
            };
            let now = store.clock.tick();
            let schedules: Vec<Value> = items
                .iter()
                .map(|item| json!({ "cron": item["cron"], "created_on": now, "modified_on": now }))
                .collect();
            store.script_mut(name)?.schedules.clone_from(&schedules);
            ok(json!({ "schedules": schedules }))
        }
        ("GET", ["routes"]) => ok(Value::Array(script_routes(store, name))),
        ("POST", ["domains", "changeset"]) => {
            let body = match json_body(request) {
                Ok(body) => body,
                Err(response) => return Some(response),
            };
            return Some(domains_changeset(store, name, &body));
        }
        ("PUT", ["domains", "records"]) => {
            let body = match json_body(request) {
                Ok(body) => body,
                Err(response) => return Some(response),
            };
            return Some(put_domains(store, name, &body));
        }
        ("PUT", ["routes"]) => {
            let body = match json_body(request) {
                Ok(body) => body,
                Err(response) => return Some(response),
            };
            return Some(put_routes(store, name, &body));
        }
        _ => return None,
    };
    Some(response)
}

/// Who made a change, as `metadata.source` and a deployment's `source` say: wrangler says so
/// in its `User-Agent`; anything else is the API.
pub fn source_of(request: &Request) -> &'static str {
    let agent = request.header("user-agent").unwrap_or_default();
    if agent.starts_with("wrangler") { "wrangler" } else { "api" }
}

/// Deletes a script with its routes and custom domains.
fn delete_script(store: &mut Store, name: &str) {
    store.workers.retain(|script| script.name != name);
    store.zone_routes.retain(|route| route.object["script"] != name);
    store.custom_domains.retain(|domain| domain["service"] != name);
}

/// The 404 every script sub-resource answers when the script does not exist.
pub fn script_not_found() -> Response {
    fail(404, 10007, "workers.api.error.script_not_found")
}

/// A script as the scripts list shows it.
pub fn script_object(store: &Store, script: &Script) -> Value {
    let version = script.current_version();
    let routes: Vec<Value> = script_routes(store, &script.name)
        .into_iter()
        .map(|route| json!({ "id": route["id"], "pattern": route["pattern"], "script": route["script"] }))
        .collect();
    let mut object = json!({
        "id": script.name,
        "tag": script.tag,
        "etag": version.map(|v| v.etag.clone()),
        "handlers": version.map(|v| v.handlers.clone()).unwrap_or_default(),
        "named_handlers": [],
        "created_on": script.created_on,
        "modified_on": script.modified_on,
        "compatibility_date": version.map(|v| v.compatibility_date.clone()),
        "compatibility_flags": version.map(|v| v.compatibility_flags.clone()).unwrap_or_default(),
        "usage_model": version.map_or("standard", |v| v.usage_model.as_str()),
        "last_deployed_from": version.map_or("wrangler", |v| v.source.as_str()),
        "has_modules": true,
        "has_assets": false,
        "logpush": script.logpush,
        "tags": script.tags,
        "tail_consumers": script.tail_consumers,
        "routes": if routes.is_empty() { Value::Null } else { Value::Array(routes) },
    });
    // The API leaves these out rather than sending null.
    if let Some(tag) = &script.migration_tag {
        object["migration_tag"] = json!(tag);
    }
    if !script.observability.is_null() {
        object["observability"] = script.observability.clone();
    }
    object
}

fn service(store: &Store, script: &Script) -> Value {
    let item = script_object(store, script);
    json!({
        "id": script.name,
        "default_environment": {
            "environment": "production",
            "created_on": script.created_on,
            "modified_on": script.modified_on,
            "script": item,
        },
        "created_on": script.created_on,
        "modified_on": script.modified_on,
    })
}

fn settings(script: &Script) -> Value {
    let version = script.current_version();
    json!({
        "compatibility_date": version.map(|v| v.compatibility_date.clone()),
        "compatibility_flags": version.map(|v| v.compatibility_flags.clone()).unwrap_or_default(),
        "usage_model": version.map_or("standard", |v| v.usage_model.as_str()),
        "logpush": script.logpush,
        "tags": script.tags,
        "tail_consumers": script.tail_consumers,
        "observability": script.observability,
        "limits": version.map_or(Value::Null, |v| v.limits.clone()),
        "bindings": version.map(|v| v.bindings.clone()).unwrap_or_default(),
    })
}

fn script_settings(script: &Script) -> Value {
    json!({
        "logpush": script.logpush,
        "tags": script.tags,
        "tail_consumers": script.tail_consumers,
        "observability": script.observability,
    })
}

fn content(script: &Script, version_id: Option<&str>) -> Response {
    let version = match version_id {
        Some(id) => script.versions.iter().find(|version| version.id == id),
        None => script.current_version(),
    };
    let Some(version) = version else {
        return fail(404, 100_146, "workers.api.error.version_not_found");
    };
    let boundary = format!("----cloudflare-api-local-{}", &version.etag[..16]);
    let mut body = Vec::new();
    for module in &version.modules {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{0}\"; filename=\"{0}\"\r\nContent-Type: {1}\r\n\r\n",
                module.name, module.content_type
            )
            .as_bytes(),
        );
        body.extend_from_slice(&module.content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Response {
        status: 200,
        headers: vec![
            ("Content-Type".to_owned(), format!("multipart/form-data; boundary={boundary}")),
            ("cf-entrypoint".to_owned(), version.main_module.clone()),
        ],
        body,
    }
}
