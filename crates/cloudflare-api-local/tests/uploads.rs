//! Worker uploads the API refuses, as the field reports describe them, and the bindings an
//! upload keeps or inherits.

mod support;

use cloudflare_api_local::{DEFAULT_ACCOUNT_ID as ACCOUNT, DEFAULT_TOKEN as TOKEN, Server, State};
use serde_json::{Value, json};
use support::{Answer, call, get};

const BOUNDARY: &str = "----test-boundary";

fn start(state: Value) -> Server {
    Server::start(State::from_json(&state.to_string()).unwrap()).unwrap()
}

fn upload(server: &Server, method: &str, path: &str, metadata: &Value) -> Answer {
    let body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{metadata}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"index.js\"; filename=\"index.js\"\r\n\
         Content-Type: application/javascript+module\r\n\r\nexport default {{ fetch() {{ return new Response(); }} }};\r\n\
         --{BOUNDARY}--\r\n"
    );
    let bearer = format!("Bearer {TOKEN}");
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let headers = [("Authorization", bearer.as_str()), ("Content-Type", content_type.as_str())];
    call(
        server.base_url(),
        method,
        &format!("/accounts/{ACCOUNT}/workers/scripts/{path}"),
        &headers,
        body.as_bytes(),
    )
    .unwrap()
}

fn metadata(bindings: Value, keep: &[&str]) -> Value {
    json!({ "main_module": "index.js", "compatibility_date": "2025-01-15", "bindings": bindings, "keep_bindings": keep })
}

#[test]
fn a_var_named_like_an_existing_secret_is_refused() {
    // field-12: [vars].AUTH_CALLBACK_URL against the secret of the same name on auth-edge.
    let server =
        start(json!({ "workers": [{ "name": "auth-edge", "secrets": ["AUTH_CALLBACK_URL"] }] }));
    let var = json!([{ "type": "plain_text", "name": "AUTH_CALLBACK_URL", "text": "http://localhost:8787/auth" }]);
    for (method, path) in [("PUT", "auth-edge"), ("POST", "auth-edge/versions")] {
        let refused =
            upload(&server, method, path, &metadata(var.clone(), &["secret_text", "secret_key"]));
        assert_eq!((refused.status, refused.error_codes()), (400, vec![10053]), "{method} {path}");
    }
    // Without keeping secrets the var replaces the secret.
    assert_eq!(upload(&server, "PUT", "auth-edge", &metadata(var, &[])).status, 200);
    let secrets = get(
        server.base_url(),
        &format!("/accounts/{ACCOUNT}/workers/scripts/auth-edge/secrets"),
        TOKEN,
    );
    assert_eq!(secrets.json()["result"], json!([]));
}

#[test]
fn bindings_to_resources_the_account_lacks_are_refused() {
    // field-08: the config pins a database id the account no longer has.
    let server = start(json!({
        "d1_databases": [{ "name": "accounts-staging", "uuid": "e1e1e1e1-aaaa-bbbb-cccc-000000000002" }],
    }));
    let d1 = json!([{ "type": "d1", "name": "ACCOUNTS_DB", "id": "d0d0d0d0-aaaa-bbbb-cccc-000000000001" }]);
    let refused = upload(&server, "PUT", "access-service-staging", &metadata(d1, &[]));
    assert_eq!((refused.status, refused.error_codes()), (400, vec![10181]));
    let kv = json!([{ "type": "kv_namespace", "name": "CACHE", "namespace_id": "0123456789abcdef0123456789abcdef" }]);
    assert_eq!(upload(&server, "PUT", "x", &metadata(kv, &[])).error_codes(), [10042]);
    let r2 = json!([{ "type": "r2_bucket", "name": "FILES", "bucket_name": "nope" }]);
    assert_eq!(upload(&server, "PUT", "x", &metadata(r2, &[])).error_codes(), [10085]);
    let good = json!([{ "type": "d1", "name": "ACCOUNTS_DB", "id": "e1e1e1e1-aaaa-bbbb-cccc-000000000002" }]);
    assert_eq!(upload(&server, "PUT", "access-service-staging", &metadata(good, &[])).status, 200);
    let scripts =
        get(server.base_url(), &format!("/accounts/{ACCOUNT}/workers/scripts"), TOKEN).json();
    assert_eq!(
        scripts["result"][0]["id"], "access-service-staging",
        "only the accepted upload created a script"
    );
}

#[test]
fn kept_and_inherited_bindings_carry_over_and_secret_values_are_never_stored() {
    let server = start(json!({}));
    let first = json!([
        { "type": "plain_text", "name": "MODE", "text": "one" },
        { "type": "secret_text", "name": "TOKEN", "text": "do-not-store-me" },
    ]);
    assert_eq!(upload(&server, "PUT", "app", &metadata(first, &[])).status, 200);
    let second = json!([{ "type": "inherit", "name": "MODE" }]);
    let answer = upload(&server, "POST", "app/versions", &metadata(second, &["secret_text"]));
    assert_eq!(answer.status, 200);
    let bindings = answer.json()["result"]["resources"]["bindings"].clone();
    assert_eq!(
        bindings,
        json!([{ "name": "TOKEN", "type": "secret_text" }, { "name": "MODE", "type": "plain_text", "text": "one" }])
    );
    let versions =
        get(server.base_url(), &format!("/accounts/{ACCOUNT}/workers/scripts/app/versions"), TOKEN);
    assert_eq!(versions.json()["result"]["items"].as_array().unwrap().len(), 2);
    let deployments = get(
        server.base_url(),
        &format!("/accounts/{ACCOUNT}/workers/scripts/app/deployments"),
        TOKEN,
    );
    assert_eq!(
        deployments.json()["result"]["deployments"].as_array().unwrap().len(),
        1,
        "POST versions does not deploy"
    );
    let settings =
        get(server.base_url(), &format!("/accounts/{ACCOUNT}/workers/scripts/app/settings"), TOKEN);
    assert!(!String::from_utf8_lossy(&settings.raw).contains("do-not-store-me"));

    let missing = upload(
        &server,
        "POST",
        "app/versions",
        &metadata(json!([{ "type": "inherit", "name": "NOPE" }]), &[]),
    );
    assert_eq!((missing.status, missing.error_codes()), (400, vec![10021]));
}

#[test]
fn an_upload_that_is_not_a_form_is_refused() {
    let server = start(json!({}));
    let bearer = format!("Bearer {TOKEN}");
    let headers = [("Authorization", bearer.as_str()), ("Content-Type", "application/json")];
    let path = format!("/accounts/{ACCOUNT}/workers/scripts/app");
    let answer = call(server.base_url(), "PUT", &path, &headers, b"{}").unwrap();
    assert_eq!((answer.status, answer.error_codes()), (400, vec![10021]));
    assert!(answer.json()["errors"][0]["message"].as_str().unwrap().contains("no boundary"));
}

#[test]
fn a_custom_domain_over_existing_dns_records_needs_the_override() {
    // field-14: www.example.com still has the Pages project's CNAME.
    let text =
        std::fs::read_to_string(support::shared_dir().join("cases/field-reports.json")).unwrap();
    let reports: Value = serde_json::from_str(&text).unwrap();
    let case =
        reports["cases"].as_array().unwrap().iter().find(|case| case["id"] == "field-14").unwrap();
    let mut state = case["repro"]["account_state"].clone();
    state["workers"] = json!([{ "name": "marketing-site" }]);
    let server = start(state);
    let path = format!("/accounts/{ACCOUNT}/workers/scripts/marketing-site/domains/records");
    let origins = json!({ "origins": [{ "hostname": "www.example.com" }] });

    let refused = support::send(server.base_url(), "PUT", &path, TOKEN, &origins);
    assert_eq!((refused.status, refused.error_codes()), (409, vec![100_117]));
    let changeset_path =
        format!("/accounts/{ACCOUNT}/workers/scripts/marketing-site/domains/changeset");
    let changeset =
        support::send(server.base_url(), "POST", &changeset_path, TOKEN, &origins["origins"]);
    assert_eq!(
        changeset.json()["result"]["conflicting"],
        json!([{ "hostname": "www.example.com" }])
    );

    let mut forced = origins.clone();
    forced["override_existing_dns_record"] = json!(true);
    let attached = support::send(server.base_url(), "PUT", &path, TOKEN, &forced);
    assert_eq!(attached.status, 200);
    let domains = get(
        server.base_url(),
        &format!("/accounts/{ACCOUNT}/workers/domains?service=marketing-site"),
        TOKEN,
    );
    assert_eq!(domains.json()["result"][0]["hostname"], "www.example.com");
    assert_eq!(domains.json()["result"][0]["zone_name"], "example.com");
    let zone_id = domains.json()["result"][0]["zone_id"].as_str().unwrap().to_owned();
    let records = get(
        server.base_url(),
        &format!("/zones/{zone_id}/dns_records?name=www.example.com"),
        TOKEN,
    );
    assert_eq!(records.json()["result_info"]["total_count"], 0, "the CNAME gave way to the Worker");
}

#[test]
fn the_script_endpoint_serves_the_uploaded_modules_not_metadata() {
    let server = start(json!({}));
    assert_eq!(upload(&server, "PUT", "app", &metadata(json!([]), &[])).status, 200);
    let content =
        get(server.base_url(), &format!("/accounts/{ACCOUNT}/workers/scripts/app"), TOKEN);
    assert_eq!(content.status, 200);
    assert!(content.header("content-type").unwrap().starts_with("multipart/form-data; boundary="));
    assert_eq!(content.header("cf-entrypoint"), Some("index.js"));
    let body = String::from_utf8_lossy(&content.raw);
    assert!(
        body.contains("name=\"index.js\"") && body.contains("export default { fetch()"),
        "{body}"
    );

    let versions =
        get(server.base_url(), &format!("/accounts/{ACCOUNT}/workers/scripts/app/versions"), TOKEN);
    let id = versions.json()["result"]["items"][0]["id"].as_str().unwrap().to_owned();
    let by_version = get(
        server.base_url(),
        &format!("/accounts/{ACCOUNT}/workers/scripts/app/content/v2?version={id}"),
        TOKEN,
    );
    assert_eq!(by_version.raw, content.raw);
    let unknown = get(
        server.base_url(),
        &format!("/accounts/{ACCOUNT}/workers/scripts/app/content/v2?version=nope"),
        TOKEN,
    );
    assert_eq!(unknown.error_codes(), [100_146]);
}

#[test]
fn durable_object_classes_need_a_migration_and_get_a_namespace() {
    let server = start(json!({}));
    let binding =
        json!([{ "type": "durable_object_namespace", "name": "COUNTER", "class_name": "Counter" }]);
    let refused = upload(&server, "PUT", "app", &metadata(binding.clone(), &[]));
    assert_eq!((refused.status, refused.error_codes()), (400, vec![10061]));

    let mut migrated = metadata(binding.clone(), &[]);
    migrated["migrations"] =
        json!({ "new_tag": "v1", "steps": [{ "new_sqlite_classes": ["Counter"] }] });
    assert_eq!(upload(&server, "PUT", "app", &migrated).status, 200);
    let namespaces = get(
        server.base_url(),
        &format!("/accounts/{ACCOUNT}/workers/durable_objects/namespaces"),
        TOKEN,
    );
    let namespace = &namespaces.json()["result"][0];
    assert_eq!(
        (namespace["name"].clone(), namespace["use_sqlite"].clone()),
        (json!("app_Counter"), json!(true))
    );
    let scripts =
        get(server.base_url(), &format!("/accounts/{ACCOUNT}/workers/scripts"), TOKEN).json();
    assert_eq!(scripts["result"][0]["migration_tag"], "v1");

    // The class exists now; a later upload needs no migration, and a stale old_tag is refused.
    assert_eq!(upload(&server, "PUT", "app", &metadata(binding.clone(), &[])).status, 200);
    let mut stale = metadata(binding, &[]);
    stale["migrations"] = json!({ "old_tag": "v0", "new_tag": "v2", "steps": [] });
    assert_eq!(upload(&server, "PUT", "app", &stale).error_codes(), [10079]);
}
