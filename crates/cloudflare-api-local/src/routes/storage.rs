//! Account storage and data products: KV, D1, R2, Queues, Hyperdrive, Vectorize and Durable
//! Object namespaces. `segments` start after `/accounts/{account_id}`.

use serde_json::{Value, json};

use super::json_body;
use crate::d1;
use crate::envelope::{PageSize, cursor_page, fail, ok, ok_with_info, page};
use crate::http::{Request, Response};
use crate::ids;
use crate::store::{Database, Store};

const KV_PAGE: PageSize = PageSize { min: 5, max: 100, default: 20 };
const D1_PAGE: PageSize = PageSize { min: 10, max: 10_000, default: 1000 };
const R2_PAGE: PageSize = PageSize { min: 1, max: 1000, default: 20 };
const LIST_PAGE: PageSize = PageSize { min: 5, max: 100, default: 20 };
const QUEUES_PAGE: PageSize = PageSize { min: 1, max: 1000, default: 100 };

/// Answers a storage path; `None` when no endpoint serves it.
pub fn answer(store: &mut Store, request: &Request, segments: &[&str]) -> Option<Response> {
    let response = match (request.method.as_str(), segments) {
        ("GET", ["storage", "kv", "namespaces"]) => {
            let mut namespaces = store.kv_namespaces.clone();
            if request.query_param("order").as_deref() == Some("title") {
                namespaces.sort_by(|a, b| a["title"].as_str().cmp(&b["title"].as_str()));
            }
            if request.query_param("direction").as_deref() == Some("desc") {
                namespaces.reverse();
            }
            page(request, namespaces, KV_PAGE)
        }
        ("POST", ["storage", "kv", "namespaces"]) => {
            let body = match json_body(request) {
                Ok(body) => body,
                Err(response) => return Some(response),
            };
            let Some(title) = body["title"].as_str().filter(|t| !t.is_empty()) else {
                return Some(fail(400, 10019, "create namespace: 'title' is required"));
            };
            if store.kv_namespaces.iter().any(|ns| ns["title"] == title) {
                return Some(fail(
                    400,
                    10014,
                    "create namespace: 'A namespace with this account ID and title already exists.'",
                ));
            }
            let namespace = json!({ "id": ids::hex32(&format!("kv:{title}")), "title": title, "supports_url_encoding": true });
            store.kv_namespaces.push(namespace.clone());
            ok(namespace)
        }
        ("GET", ["storage", "kv", "namespaces", id]) => {
            match store.kv_namespaces.iter().find(|ns| ns["id"] == *id) {
                Some(namespace) => ok(namespace.clone()),
                None => kv_not_found(),
            }
        }
        ("DELETE", ["storage", "kv", "namespaces", id]) => {
            let before = store.kv_namespaces.len();
            store.kv_namespaces.retain(|ns| ns["id"] != *id);
            if before == store.kv_namespaces.len() { kv_not_found() } else { ok(Value::Null) }
        }

        ("GET", ["d1", "database"]) => {
            let name = request.query_param("name");
            let databases = store
                .d1_databases
                .iter()
                .filter(|db| name.as_deref().is_none_or(|name| db.name.contains(name)))
                .map(|db| {
                    json!({
                        "uuid": db.uuid,
                        "name": db.name,
                        "version": db.info["version"],
                        "created_at": db.info["created_at"],
                        "jurisdiction": db.info["jurisdiction"],
                    })
                })
                .collect();
            page(request, databases, D1_PAGE)
        }
        ("GET", ["d1", "database", id]) => match find_database(store, id) {
            Some(database) => ok(database_info(database, request.query_param("fields").as_deref())),
            None => d1_not_found(id),
        },
        ("POST", ["d1", "database", id, kind @ ("query" | "raw")]) => {
            let Some(database) = find_database(store, id) else {
                return Some(d1_not_found(id));
            };
            let body = match json_body(request) {
                Ok(body) => body,
                Err(response) => return Some(response),
            };
            match d1::run(&database.path, &body, *kind == "raw") {
                Ok(results) => ok(Value::Array(results)),
                Err(error) => fail(400, 7500, &error.0),
            }
        }

        ("GET", ["r2", "buckets"]) => {
            // Buckets live in one jurisdiction; a list shows those of the one asked for.
            let jurisdiction = request.header("cf-r2-jurisdiction").unwrap_or("default");
            let contains = request.query_param("name_contains");
            let start_after = request.query_param("start_after");
            let mut buckets: Vec<Value> = store
                .r2_buckets
                .iter()
                .map(|bucket| bucket.info.clone())
                .filter(|info| {
                    let name = info["name"].as_str().unwrap_or_default();
                    info["jurisdiction"] == jurisdiction
                        && contains.as_deref().is_none_or(|part| name.contains(part))
                        && start_after.as_deref().is_none_or(|after| name > after)
                })
                .collect();
            buckets.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
            if request.query_param("direction").as_deref() == Some("desc") {
                buckets.reverse();
            }
            let (items, per_page, next) = cursor_page(request, buckets, R2_PAGE);
            let mut info = json!({ "per_page": per_page });
            if let Some(cursor) = next {
                info["cursor"] = json!(cursor);
            }
            ok_with_info(json!({ "buckets": items }), info)
        }
        ("GET", ["r2", "buckets", name, rest @ ..]) => {
            let jurisdiction = request.header("cf-r2-jurisdiction").unwrap_or("default");
            let Some(bucket) = store.r2_buckets.iter().find(|bucket| {
                bucket.info["name"] == *name && bucket.info["jurisdiction"] == jurisdiction
            }) else {
                return Some(fail(404, 10006, "The specified bucket does not exist."));
            };
            match rest {
                [] => ok(bucket.info.clone()),
                ["cors"] => match &bucket.cors {
                    Some(rules) => ok(json!({ "rules": rules })),
                    None => fail(404, 10059, "The CORS configuration does not exist."),
                },
                ["lifecycle"] => ok(json!({ "rules": bucket.lifecycle })),
                ["usage"] => ok(bucket.usage.clone()),
                _ => return None,
            }
        }

        ("GET", ["queues"]) => {
            let names: Vec<String> = request
                .query_pairs()
                .into_iter()
                .filter(|(k, _)| k == "name")
                .map(|(_, v)| v)
                .collect();
            let queues = store
                .queues
                .iter()
                .filter(|queue| {
                    names.is_empty()
                        || names.iter().any(|name| queue["queue_name"] == name.as_str())
                })
                .cloned()
                .collect();
            page(request, queues, QUEUES_PAGE)
        }
        ("GET", ["queues", id]) => match store.queues.iter().find(|queue| queue["queue_id"] == *id)
        {
            Some(queue) => ok(queue.clone()),
            None => fail(404, 11000, "Queue does not exist"),
        },
        ("GET", ["hyperdrive", "configs"]) => {
            page(request, store.hyperdrive_configs.clone(), LIST_PAGE)
        }
        ("GET", ["hyperdrive", "configs", id]) => {
            match store.hyperdrive_configs.iter().find(|config| config["id"] == *id) {
                Some(config) => ok(config.clone()),
                None => fail(404, 2006, "Hyperdrive config not found"),
            }
        }
        ("GET", ["vectorize", "v2", "indexes"]) => {
            ok(Value::Array(store.vectorize_indexes.clone()))
        }
        ("GET", ["vectorize", "v2", "indexes", name]) => {
            match store.vectorize_indexes.iter().find(|index| index["name"] == *name) {
                Some(index) => ok(index.clone()),
                None => fail(404, 3000, &format!("vectorize.not_found: index {name} not found")),
            }
        }
        ("GET", ["workers", "durable_objects", "namespaces"]) => {
            page(request, store.durable_object_namespaces.clone(), LIST_PAGE)
        }
        ("GET", ["workers", "durable_objects", "namespaces", id]) => {
            match store.durable_object_namespaces.iter().find(|namespace| namespace["id"] == *id) {
                Some(namespace) => ok(namespace.clone()),
                None => fail(404, 10066, "Durable Object namespace not found"),
            }
        }
        _ => return None,
    };
    Some(response)
}

fn kv_not_found() -> Response {
    fail(404, 10013, "get namespace: 'namespace not found'")
}

fn d1_not_found(id: &str) -> Response {
    fail(404, 7404, &format!("The database {id} could not be found"))
}

/// A database by UUID or by name, as wrangler looks databases up both ways.
fn find_database<'a>(store: &'a Store, id: &str) -> Option<&'a Database> {
    store
        .d1_databases
        .iter()
        .find(|db| db.uuid == id)
        .or_else(|| store.d1_databases.iter().find(|db| db.name == id))
}

/// The get-database object with the live table count and file size, restricted to `fields`.
fn database_info(database: &Database, fields: Option<&str>) -> Value {
    let mut info = database.info.clone();
    info["num_tables"] = json!(d1::table_count(&database.path));
    info["file_size"] = json!(std::fs::metadata(&database.path).map_or(0, |m| m.len()));
    if let (Some(fields), Some(object)) = (fields, info.as_object_mut()) {
        let wanted: Vec<&str> = fields.split(',').map(str::trim).collect();
        object.retain(|key, _| wanted.contains(&key.as_str()));
    }
    info
}
