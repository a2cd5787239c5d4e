//! Every example response in `shared/cloudflare-api/examples` against the server's answer.
//!
//! For each example the state holds the same objects; the answer must have the example's
//! status, the same keys at every level, the same JSON types and the same values, except at the
//! paths a case names as made by the server (times it measures, ids it derives), each with the
//! reason. Then the same request against a state reduced to the keys a state must give (names,
//! zones, types) checks the defaults: same keys and types, values free. An example no case
//! covers fails the test.

mod support;

use std::collections::BTreeSet;

use cloudflare_api_local::{DEFAULT_ACCOUNT_ID as ACCOUNT, DEFAULT_TOKEN as TOKEN, Server, State};
use serde_json::{Map, Value, json};
use support::{Answer, call, get, send};

const ZONE: &str = "1123456789abcdef0123456789abcdef";
const D1_UUID: &str = "41234567-89ab-4cde-8f01-23456789abcd";

/// One example and how to reproduce it.
struct Case {
    /// The example file name without `.json`.
    example: &'static str,
    /// The HTTP status the example stands for (ENDPOINTS.md, "Example file → HTTP status").
    status: u16,
    /// The state holding the example's objects.
    state: Value,
    /// Sends the request.
    request: fn(&Server) -> Answer,
    /// JSON pointers (`*` for any array index) whose values the server makes itself.
    generated: &'static [&'static str],
    /// Keys present on one side only, as `pointer` of the object and the key.
    key_differences: &'static [(&'static str, &'static str)],
}

/// Keys the API sends only when the object has them set, so a reduced state leaves them out.
const OPTIONAL_KEYS: [(&str, &str); 4] = [
    ("/result", "not_before"),
    ("/result", "expires_on"),
    ("/result/*", "migration_tag"),
    ("/result/*", "observability"),
];

fn example(name: &str) -> Value {
    let path = support::shared_dir().join(format!("cloudflare-api/examples/{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn result_of(name: &str) -> Value {
    example(name)["result"].clone()
}

fn zone() -> Value {
    let mut zone = result_of("zones-list")[0].clone();
    zone["id"] = json!(ZONE);
    zone
}

fn with_zone(items: Value, extra: &[(&str, Value)]) -> Vec<Value> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let mut item = item.clone();
            item["zone"] = json!(ZONE);
            for (key, value) in extra {
                item[*key] = value.clone();
            }
            item
        })
        .collect()
}

fn account_path(server: &Server, rest: &str) -> Answer {
    get(server.base_url(), &format!("/accounts/{ACCOUNT}{rest}"), TOKEN)
}

fn zone_path(server: &Server, rest: &str) -> Answer {
    get(server.base_url(), &format!("/zones/{ZONE}{rest}"), TOKEN)
}

fn query(server: &Server, body: &Value) -> Answer {
    send(
        server.base_url(),
        "POST",
        &format!("/accounts/{ACCOUNT}/d1/database/{D1_UUID}/query"),
        TOKEN,
        body,
    )
}

/// The example Worker: its settings, secrets and the two versions and three deployments of
/// the versions and deployments examples.
fn example_worker() -> Value {
    let settings = result_of("workers-get-script-and-version-settings");
    let script = &result_of("workers-list-scripts")[0];
    let version = result_of("workers-get-version");
    let bindings: Vec<Value> = settings["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] != "secret_text")
        .cloned()
        .collect();
    let listed = result_of("workers-list-versions");
    let deployments = result_of("workers-list-deployments");
    let mut deployment_inputs: Vec<Value> = deployments["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|deployment| {
            let annotations = &deployment["annotations"];
            let mut input = json!({
                "id": deployment["id"],
                "created_on": deployment["created_on"],
                "versions": deployment["versions"],
            });
            if let Some(message) = annotations.get("workers/message") {
                input["message"] = message.clone();
            }
            if let Some(triggered_by) = annotations.get("workers/triggered_by") {
                input["triggered_by"] = triggered_by.clone();
            }
            input
        })
        .collect();
    deployment_inputs.truncate(3);
    json!({
        "name": "example-worker",
        "tag": script["tag"],
        "created_on": script["created_on"],
        "modified_on": script["modified_on"],
        "secrets": ["API_KEY", "SIGNING_SECRET"],
        "bindings": bindings,
        "compatibility_date": settings["compatibility_date"],
        "compatibility_flags": settings["compatibility_flags"],
        "usage_model": "standard",
        "limits": settings["limits"],
        "logpush": false,
        "observability": settings["observability"],
        "handlers": ["fetch", "scheduled"],
        "migration_tag": "v1",
        "versions": [
            {
                "id": listed["items"][1]["id"],
                "number": 11,
                "created_on": listed["items"][1]["metadata"]["created_on"],
            },
            {
                "id": version["id"],
                "number": 12,
                "created_on": version["metadata"]["created_on"],
                "etag": version["resources"]["script"]["etag"],
                "bindings": version["resources"]["bindings"],
                "message": version["annotations"]["workers/message"],
                "tag": version["annotations"]["workers/tag"],
            },
        ],
        "deployments": deployment_inputs,
    })
}

fn cases() -> Vec<Case> {
    // Measured on the real SQLite file: time taken, file size, rows read.
    let d1_meta_generated: &'static [&'static str] = &[
        "/result/*/meta/timings/sql_duration_ms",
        "/result/*/meta/duration",
        "/result/*/meta/size_after",
        "/result/*/meta/rows_read",
    ];
    let query_database = json!({
        "d1_databases": [{
            "name": "example-db",
            "uuid": D1_UUID,
            "tables": [
                { "name": "users", "columns": ["id INTEGER PRIMARY KEY", "email TEXT"] },
                { "name": "sessions", "columns": ["id TEXT PRIMARY KEY"] },
            ],
            "sql": ["INSERT INTO users VALUES (1, 'alice@example.com'), (41, 'zed@example.com')"],
            "d1_migrations": [],
        }],
    });
    let listed_scripts = result_of("workers-list-scripts");
    let cron = &listed_scripts[1];
    let worker = example_worker();

    vec![
        case("accounts-list", 200, json!({ "accounts": result_of("accounts-list") }), |s| get(s.base_url(), "/accounts", TOKEN)),
        case("auth-verify-account-token", 200, json!({ "tokens": [{ "value": "account-token", "kind": "account", "id": result_of("auth-verify-account-token")["id"] }] }), |s| {
                get(s.base_url(), &format!("/accounts/{ACCOUNT}/tokens/verify"), "account-token")
            }),
        case("auth-verify-user-token", 200, {
                let token = result_of("auth-verify-user-token");
                json!({ "tokens": [{ "value": "user-token", "id": token["id"], "not_before": token["not_before"], "expires_on": token["expires_on"] }] })
            }, |s| get(s.base_url(), "/user/tokens/verify", "user-token")),
        case("d1-database-not-found", 404, json!({}), |s| account_path(s, &format!("/d1/database/{D1_UUID}"))),
        case("d1-get-database", 200, {
                let database = result_of("d1-get-database");
                let tables: Vec<String> = (1..=7).map(|i| format!("table_{i}")).collect();
                json!({ "d1_databases": [{
                    "name": database["name"], "uuid": database["uuid"], "created_at": database["created_at"],
                    "running_in_region": "WEUR", "tables": tables,
                }] })
            }, |s| account_path(s, &format!("/d1/database/{D1_UUID}")))
            // The size of the real SQLite file.
            .generated(&["/result/file_size"]),
        case("d1-list-databases", 200, json!({ "d1_databases": result_of("d1-list-databases") }), |s| {
            account_path(s, "/d1/database")
        })
        // The example omits it; every page-paginated list here gives all five fields.
        .key_differences(&[("/result_info", "total_pages")]),
        case("d1-query", 200, query_database.clone(), |s| {
            query(s, &json!({ "sql": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'" }))
        })
        .generated(d1_meta_generated),
        case("d1-query-batch", 200, query_database.clone(), |s| {
            query(s, &json!({ "batch": [
                { "sql": "SELECT id, email FROM users WHERE id = ?", "params": [1] },
                { "sql": "INSERT INTO users (email) VALUES (?)", "params": ["bob@example.com"] },
            ]}))
        })
        .generated(d1_meta_generated),
        case("d1-query-sql-error", 400, query_database, |s| query(s, &json!({ "sql": "SELECT * FROM userz" }))),
        case("dns-list-records", 200, json!({ "zones": [zone()], "dns_records": with_zone(result_of("dns-list-records"), &[]) }), |s| zone_path(s, "/dns_records")),
        case("durable-objects-list-namespaces", 200, json!({ "durable_object_namespaces": result_of("durable-objects-list-namespaces") }), |s| account_path(s, "/workers/durable_objects/namespaces")),
        case("errors-authentication-error", 403, json!({}), |s| {
                get(s.base_url(), &format!("/accounts/{ACCOUNT}/workers/scripts"), "not-a-token")
            }),
        case("errors-invalid-api-token-verify", 401, json!({}), |s| get(s.base_url(), "/user/tokens/verify", "not-a-token")),
        case("errors-kv-namespace-not-found", 404, json!({}), |s| account_path(s, "/storage/kv/namespaces/3123456789abcdef0123456789abcdef")),
        case("errors-malformed-auth-header", 400, json!({}), |s| {
                call(s.base_url(), "GET", "/zones", &[("Authorization", "Bearer")], b"").unwrap()
            }),
        case("errors-missing-auth-headers", 400, json!({}), |s| call(s.base_url(), "GET", "/zones", &[], b"").unwrap()),
        case("errors-no-route", 400, json!({}), |s| get(s.base_url(), "/zones/not-a-zone-id/dns_records", TOKEN)),
        case("errors-rate-limited", 429, json!({ "faults": { "rules": [{ "path": "/zones", "rate_limited": 1 }] } }), |s| {
                let answer = get(s.base_url(), "/zones", TOKEN);
                assert_eq!(answer.header("retry-after"), Some("1"), "a 429 carries Retry-After");
                answer
            }),
        case("errors-unauthorized-resource", 403, json!({ "tokens": [{ "value": "kv-only", "permissions": ["kv:read"] }] }), |s| get(s.base_url(), "/zones", "kv-only")),
        case("hyperdrive-list-configs", 200, json!({ "hyperdrive_configs": result_of("hyperdrive-list-configs") }), |s| account_path(s, "/hyperdrive/configs")),
        case("kv-get-namespace", 200, json!({ "kv_namespaces": [result_of("kv-get-namespace")] }), |s| account_path(s, "/storage/kv/namespaces/3123456789abcdef0123456789abcdef")),
        case("kv-list-namespaces", 200, json!({ "kv_namespaces": result_of("kv-list-namespaces") }), |s| account_path(s, "/storage/kv/namespaces")),
        case("queues-list", 200, json!({ "queues": result_of("queues-list") }), |s| account_path(s, "/queues")),
        case("r2-bucket-not-found", 404, json!({}), |s| account_path(s, "/r2/buckets/example-assets")),
        case("r2-get-bucket-cors-missing", 404, json!({ "r2_buckets": [{ "name": "example-assets" }] }), |s| account_path(s, "/r2/buckets/example-assets/cors")),
        case("r2-get-bucket-cors", 200, json!({ "r2_buckets": [{ "name": "example-assets", "cors": result_of("r2-get-bucket-cors")["rules"] }] }), |s| account_path(s, "/r2/buckets/example-assets/cors")),
        case("r2-get-bucket-lifecycle", 200, json!({ "r2_buckets": [{ "name": "example-assets", "lifecycle": result_of("r2-get-bucket-lifecycle")["rules"] }] }), |s| account_path(s, "/r2/buckets/example-assets/lifecycle")),
        case("r2-get-bucket", 200, json!({ "r2_buckets": [result_of("r2-get-bucket")] }), |s| account_path(s, "/r2/buckets/example-assets")),
        case("r2-list-buckets", 200, json!({ "r2_buckets": result_of("r2-list-buckets")["buckets"] }), |s| account_path(s, "/r2/buckets")),
        case("rulesets-entrypoint-not-found", 404, json!({ "zones": [zone()] }), |s| zone_path(s, "/rulesets/phases/http_ratelimit/entrypoint")),
        case("rulesets-get-entrypoint-http_ratelimit", 200, json!({ "zones": [zone()], "rulesets": with_zone(json!([result_of("rulesets-get-entrypoint-http_ratelimit")]), &[]) }), |s| zone_path(s, "/rulesets/phases/http_ratelimit/entrypoint")),
        case("rulesets-get-entrypoint-http_request_firewall_custom", 200, json!({ "zones": [zone()], "rulesets": with_zone(json!([result_of("rulesets-get-entrypoint-http_request_firewall_custom")]), &[]) }), |s| zone_path(s, "/rulesets/phases/http_request_firewall_custom/entrypoint")),
        case("rulesets-get-entrypoint-http_request_firewall_managed", 200, json!({ "zones": [zone()], "rulesets": with_zone(json!([result_of("rulesets-get-entrypoint-http_request_firewall_managed")]), &[]) }), |s| zone_path(s, "/rulesets/phases/http_request_firewall_managed/entrypoint")),
        case("rulesets-list-zone", 200, json!({ "zones": [zone()], "rulesets": with_zone(result_of("rulesets-list-zone"), &[("rules", json!([]))]) }), |s| zone_path(s, "/rulesets")),
        case("ssl-list-certificate-packs", 200, json!({ "zones": [zone()], "certificate_packs": with_zone(result_of("ssl-list-certificate-packs"), &[]) }), |s| zone_path(s, "/ssl/certificate_packs")),
        case("vectorize-list-indexes", 200, json!({ "vectorize_indexes": result_of("vectorize-list-indexes") }), |s| account_path(s, "/vectorize/v2/indexes")),
        case("workers-create-deployment", 200, json!({ "workers": [worker.clone()] }), |s| {
            let body = json!({
                "strategy": "percentage",
                "versions": [{ "version_id": "81234567-89ab-4cde-8f01-23456789abcd", "percentage": 100 }],
                "annotations": { "workers/message": "Rollback" },
            });
            let path = format!("/accounts/{ACCOUNT}/workers/scripts/example-worker/deployments");
            send(s.base_url(), "POST", &path, TOKEN, &body)
        })
        // A new deployment: its id is derived, its time comes from the logical clock.
        .generated(&["/result/id", "/result/created_on"]),
        case("workers-get-script-and-version-settings", 200, {
            let mut worker = worker.clone();
            worker.as_object_mut().unwrap().remove("versions");
            worker.as_object_mut().unwrap().remove("deployments");
            worker["secrets"] = json!(["API_KEY"]);
            json!({ "workers": [worker] })
        }, |s| account_path(s, "/workers/scripts/example-worker/settings")),
        case("workers-get-script-settings", 200, json!({ "workers": [worker.clone()] }), |s| account_path(s, "/workers/scripts/example-worker/script-settings")),
        // This example's version runs with one secret; the secrets example lists two.
        case("workers-get-version", 200, {
            let mut worker = worker.clone();
            worker["secrets"] = json!(["API_KEY"]);
            json!({ "workers": [worker] })
        }, |s| account_path(s, "/workers/scripts/example-worker/versions/82234567-89ab-4cde-8f01-23456789abcd"))
        // Derived; a state has no author.
        .generated(&["/result/metadata/author_id"]),
        case("workers-list-custom-domains", 200, json!({ "zones": [zone()], "custom_domains": result_of("workers-list-custom-domains") }), |s| account_path(s, "/workers/domains")),
        case("workers-list-deployments", 200, json!({ "workers": [worker.clone()] }), |s| account_path(s, "/workers/scripts/example-worker/deployments")),
        case("workers-list-scripts", 200, json!({
                "zones": [zone()],
                "worker_routes": [{ "zone": ZONE, "id": "6123456789abcdef0123456789abcdef", "pattern": "api.example.com/*", "script": "example-worker" }],
                "workers": [
                    { "name": "example-worker", "tag": listed_scripts[0]["tag"], "created_on": listed_scripts[0]["created_on"],
                      "modified_on": listed_scripts[0]["modified_on"], "compatibility_date": "2026-06-01",
                      "compatibility_flags": ["nodejs_compat"], "handlers": ["fetch", "scheduled"], "migration_tag": "v1",
                      "observability": listed_scripts[0]["observability"], "versions": [{ "etag": listed_scripts[0]["etag"] }] },
                    { "name": "example-cron", "tag": cron["tag"], "created_on": cron["created_on"], "modified_on": cron["modified_on"],
                      "compatibility_date": cron["compatibility_date"], "handlers": ["scheduled"],
                      "versions": [{ "etag": cron["etag"], "source": "api" }] },
                ],
            }), |s| account_path(s, "/workers/scripts"))
            // The example has it on one script and not the other; the server always sends it.
            .key_differences(&[("/result/1", "named_handlers")]),
        case("workers-list-secrets", 200, json!({ "workers": [worker.clone()] }), |s| {
            account_path(s, "/workers/scripts/example-worker/secrets")
        }),
        case("workers-list-versions", 200, json!({ "workers": [worker.clone()] }), |s| {
            account_path(s, "/workers/scripts/example-worker/versions")
        })
        // Derived; a state has no author.
        .generated(&["/result/items/*/metadata/author_id"]),
        case(
            "workers-list-zone-routes",
            200,
            json!({ "zones": [zone()], "worker_routes": with_zone(result_of("workers-list-zone-routes"), &[]) }),
            |s| zone_path(s, "/workers/routes"),
        ),
        case("workers-script-not-found", 404, json!({}), |s| account_path(s, "/workers/scripts/example-worker/settings")),
        zone_setting_case("zone-settings-always_use_https", |s| {
            zone_path(s, "/settings/always_use_https")
        }),
        zone_setting_case("zone-settings-min_tls_version", |s| {
            zone_path(s, "/settings/min_tls_version")
        }),
        zone_setting_case("zone-settings-security_level", |s| {
            zone_path(s, "/settings/security_level")
        }),
        zone_setting_case("zone-settings-ssl", |s| zone_path(s, "/settings/ssl")),
        case("zones-list", 200, json!({ "zones": [zone()] }), |s| get(s.base_url(), "/zones", TOKEN)),
    ]
}

impl Case {
    /// Names the JSON pointers whose values the server makes itself.
    fn generated(mut self, paths: &'static [&'static str]) -> Case {
        self.generated = paths;
        self
    }

    /// Names the keys present on one side only.
    fn key_differences(mut self, keys: &'static [(&'static str, &'static str)]) -> Case {
        self.key_differences = keys;
        self
    }
}

/// A case whose answer must match the example everywhere.
fn case(example: &'static str, status: u16, state: Value, request: fn(&Server) -> Answer) -> Case {
    Case { example, status, state, request, generated: &[], key_differences: &[] }
}

fn zone_setting_case(example: &'static str, request: fn(&Server) -> Answer) -> Case {
    let setting = result_of(example);
    case(
        example,
        200,
        json!({ "zones": [zone()], "zone_settings": with_zone(json!([setting]), &[]) }),
        request,
    )
}

/// Keys a state must give per list; everything else is left to the server's defaults.
fn reduced(state: &Value) -> Value {
    let required = |list: &str| -> &'static [&'static str] {
        match list {
            // Other lists name zones by id, so the id stays.
            "zones" => &["name", "id"],
            "pages_projects" | "hyperdrive_configs" | "vectorize_indexes" => &["name"],
            // The rules are the bucket's data, not defaults.
            "r2_buckets" => &["name", "cors", "lifecycle"],
            "dns_records" => &["zone", "type", "name", "content", "priority"],
            "worker_routes" => &["zone", "pattern", "script"],
            "zone_settings" => &["zone", "id", "value"],
            "certificate_packs" => &["zone"],
            "rulesets" => &["zone", "phase", "kind"],
            "custom_domains" => &["hostname", "service"],
            // Bindings and examples name namespaces by id, so the id stays.
            "kv_namespaces" => &["title", "id"],
            "queues" => &["queue_name"],
            "durable_object_namespaces" => &["script", "class"],
            "d1_databases" => &["name", "uuid", "tables", "sql", "d1_migrations", "jurisdiction"],
            "workers" => &["name", "secrets", "versions", "deployments"],
            "tokens" => &["value", "kind", "permissions"],
            _ => &[],
        }
    };
    let mut out = Map::new();
    for (list, items) in state.as_object().unwrap() {
        if list == "faults" || list == "accounts" {
            if list == "faults" {
                out.insert(list.clone(), items.clone());
            }
            continue;
        }
        let keep = required(list);
        let items: Vec<Value> = items
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                let kept: Map<String, Value> = item
                    .as_object()
                    .unwrap()
                    .iter()
                    .filter(|(k, _)| keep.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Value::Object(kept)
            })
            .collect();
        out.insert(list.clone(), Value::Array(items));
    }
    Value::Object(out)
}

fn pointer_matches(pattern: &str, path: &str) -> bool {
    let (mut left, mut right) = (pattern.split('/'), path.split('/'));
    loop {
        match (left.next(), right.next()) {
            (None, None) => return true,
            (Some("*"), Some(_)) => {}
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The differences between the example and the answer. `values`: compare values too (else
/// only keys and types, with null standing for any type).
fn differences(
    expected: &Value,
    actual: &Value,
    path: &str,
    case: &Case,
    values: bool,
    out: &mut Vec<String>,
) {
    let generated = case.generated.iter().any(|pattern| pointer_matches(pattern, path));
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            let keys: BTreeSet<&String> = want.keys().chain(got.keys()).collect();
            for key in keys {
                let optional = !values
                    && OPTIONAL_KEYS.iter().any(|(at, k)| pointer_matches(at, path) && k == key);
                let allowed = optional
                    || case
                        .key_differences
                        .iter()
                        .any(|(at, k)| pointer_matches(at, path) && k == key);
                match (want.get(key), got.get(key)) {
                    (Some(a), Some(b)) => {
                        differences(a, b, &format!("{path}/{key}"), case, values, out);
                    }
                    (Some(_), None) if !allowed => out.push(format!("{path}/{key}: missing")),
                    (None, Some(_)) if !allowed => {
                        out.push(format!("{path}/{key}: not in the example"));
                    }
                    _ => {}
                }
            }
        }
        (Value::Array(want), Value::Array(got)) => {
            if values && want.len() != got.len() && !generated {
                out.push(format!("{path}: {} items, the example has {}", got.len(), want.len()));
            }
            for (index, (a, b)) in want.iter().zip(got).enumerate() {
                differences(a, b, &format!("{path}/{index}"), case, values, out);
            }
        }
        (a, b) if type_name(a) != type_name(b) => {
            let nullable = !values && (a.is_null() || b.is_null());
            if !nullable && !generated {
                out.push(format!(
                    "{path}: {} where the example has {}",
                    type_name(b),
                    type_name(a)
                ));
            }
        }
        (a, b) => {
            let same = match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => (x - y).abs() < 1e-9,
                _ => a == b,
            };
            if values && !generated && !same {
                out.push(format!("{path}: {b} where the example has {a}"));
            }
        }
    }
}

#[test]
fn every_example_is_answered_alike() {
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        let expected = example(case.example);
        for (label, state, values) in [
            ("full state", case.state.clone(), true),
            ("reduced state", reduced(&case.state), false),
        ] {
            let server = Server::start(State::from_json(&state.to_string()).unwrap())
                .unwrap_or_else(|error| panic!("{} ({label}): {error}", case.example));
            let answer = (case.request)(&server);
            if answer.status != case.status {
                failures.push(format!(
                    "{} ({label}): status {} where the example is {}",
                    case.example, answer.status, case.status
                ));
                continue;
            }
            let mut found = Vec::new();
            differences(&expected, &answer.json(), "", case, values, &mut found);
            failures.extend(found.into_iter().map(|d| format!("{} ({label}): {d}", case.example)));
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_example_file_has_a_case() {
    let covered: BTreeSet<&str> = cases().iter().map(|case| case.example).collect();
    let directory = support::shared_dir().join("cloudflare-api/examples");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(directory).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".json")
            && !covered.contains(stem)
        {
            missing.push(stem.to_owned());
        }
    }
    assert!(missing.is_empty(), "examples without a case: {missing:?}");
    assert_eq!(covered.len(), 52);
}
