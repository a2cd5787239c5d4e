//! Workers: scripts and their settings, secrets, versions, deployments, routes, workers.dev
//! subdomain, cron triggers and custom domains. `segments` start after `/accounts/{id}`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::json_body;
use crate::envelope::{fail, ok};
use crate::http::{Request, Response};
use crate::ids;
use crate::store::{
    SECRET_TYPES, Scoped, Script, ScriptDeployment, ScriptVersion, Store, StoredSecret,
};
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

fn metadata(version: &ScriptVersion) -> Value {
    json!({
        "author_email": AUTHOR_EMAIL,
        "author_id": ids::hex32("author"),
        "created_on": version.created_on,
        "modified_on": version.created_on,
        "source": version.source,
        "hasPreview": false,
    })
}

fn version_summary(version: &ScriptVersion) -> Value {
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
fn percentage_json(percentage: f64) -> Value {
    if percentage.fract() == 0.0 { json!(percentage as i64) } else { json!(percentage) }
}

/// Routes of a script across zones, as `{id, pattern, zone_name, script}`.
fn script_routes(store: &Store, name: &str) -> Vec<Value> {
    store
        .zone_routes
        .iter()
        .filter(|route| route.object["script"] == name)
        .map(|route| {
            json!({
                "id": route.object["id"],
                "pattern": route.object["pattern"],
                "zone_name": store.zone_name(&route.zone_id),
                "script": name,
            })
        })
        .collect()
}

fn put_routes(store: &mut Store, name: &str, body: &Value) -> Response {
    let Some(items) = body.as_array() else {
        return fail(400, 10021, "routes must be an array of {\"pattern\": ...}");
    };
    let mut wanted = Vec::new();
    for item in items {
        let Some(pattern) = item["pattern"].as_str() else {
            return fail(400, 10021, "a route needs a `pattern`");
        };
        let host = pattern
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_start_matches("*.")
            .trim_start_matches('*');
        let zone_id = item["zone_id"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| item["zone_name"].as_str().and_then(|zone| store.zone_id(zone)))
            .or_else(|| store.zone_for_host(host).map(|(id, _)| id));
        let Some(zone_id) = zone_id else {
            return fail(400, 10019, &format!("Could not find zone for `{pattern}`"));
        };
        let taken = store.zone_routes.iter().any(|route| {
            route.zone_id == zone_id
                && route.object["pattern"] == pattern
                && route.object["script"] != name
        });
        if taken {
            return fail(
                409,
                10020,
                &format!("The route {pattern} is already in use by another Worker."),
            );
        }
        wanted.push((zone_id, pattern.to_owned()));
    }
    // PUT replaces every route of the script.
    store.zone_routes.retain(|route| route.object["script"] != name);
    for (zone_id, pattern) in wanted {
        let object = json!({ "id": ids::hex32(&format!("route:{zone_id}:{pattern}")), "pattern": pattern, "script": name });
        store.zone_routes.push(Scoped { zone_id, object });
    }
    ok(Value::Array(script_routes(store, name)))
}

/// The zone of a custom domain origin: named by id or name, or found from the hostname.
fn origin_zone(store: &Store, origin: &Value) -> Option<(String, String)> {
    let hostname = origin["hostname"].as_str().unwrap_or_default();
    let named = origin["zone_id"].as_str().or_else(|| origin["zone_name"].as_str());
    match named {
        Some(zone) => {
            let id = store.zone_id(zone)?;
            let name = store.zone_name(&id)?.to_owned();
            Some((id, name))
        }
        None => store.zone_for_host(hostname),
    }
}

/// What attaching `origins` to a script would change: domains that move from another
/// script, and hostnames that already have DNS records.
fn domains_changeset(store: &Store, name: &str, body: &Value) -> Response {
    let mut added = Vec::new();
    let mut updated = Vec::new();
    let mut conflicting = Vec::new();
    for origin in body.as_array().into_iter().flatten() {
        let hostname = origin["hostname"].as_str().unwrap_or_default();
        match store.custom_domains.iter().find(|domain| domain["hostname"] == hostname) {
            Some(domain) => {
                let mut domain = domain.clone();
                domain["modified"] = json!(domain["service"] != name);
                updated.push(domain);
            }
            None => added.push(json!({ "hostname": hostname })),
        }
        if store.dns_records.iter().any(|record| record.object["name"] == hostname) {
            conflicting.push(json!({ "hostname": hostname }));
        }
    }
    ok(json!({ "added": added, "removed": [], "updated": updated, "conflicting": conflicting }))
}

/// Attaches custom domains to a script, replacing the ones it had. A hostname with DNS records
/// or on another script is refused unless the body allows overriding it.
fn put_domains(store: &mut Store, name: &str, body: &Value) -> Response {
    let override_dns = body["override_existing_dns_record"].as_bool() == Some(true);
    let override_origin = body["override_existing_origin"].as_bool() == Some(true);
    let mut attached = Vec::new();
    for origin in body["origins"].as_array().into_iter().flatten() {
        let hostname = origin["hostname"].as_str().unwrap_or_default().to_owned();
        let Some((zone_id, zone_name)) = origin_zone(store, origin) else {
            return fail(400, 100_109, &format!("No zone of this account contains {hostname}"));
        };
        let records =
            store.dns_records.iter().any(|record| record.object["name"] == hostname.as_str());
        if records && !override_dns {
            return fail(
                409,
                100_117,
                &format!("Hostname '{hostname}' already has externally managed DNS records"),
            );
        }
        let elsewhere = store
            .custom_domains
            .iter()
            .any(|domain| domain["hostname"] == hostname.as_str() && domain["service"] != name);
        if elsewhere && !override_origin {
            return fail(
                409,
                100_116,
                &format!("Hostname '{hostname}' is already used by another Worker"),
            );
        }
        attached.push(json!({
            "id": ids::hex32(&format!("domain:{hostname}")),
            "zone_id": zone_id,
            "zone_name": zone_name,
            "hostname": hostname,
            "service": name,
            "environment": "production",
            "cert_id": ids::hex32(&format!("cert:{hostname}")),
        }));
    }
    // The Worker's records replace the DNS records of the hostnames it takes.
    let taken: Vec<Value> = attached.iter().map(|domain| domain["hostname"].clone()).collect();
    store.dns_records.retain(|record| !taken.contains(&record.object["name"]));
    store
        .custom_domains
        .retain(|domain| domain["service"] != name && !taken.contains(&domain["hostname"]));
    store.custom_domains.extend(attached.iter().cloned());
    ok(Value::Array(attached))
}

/// Sets a secret: a new version with the secret, deployed at 100%, as the API does for
/// versioned Workers.
fn set_secret(store: &mut Store, name: &str, secret: &str, kind: &str, source: &str) {
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
fn new_version_with(
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

fn create_deployment(
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
