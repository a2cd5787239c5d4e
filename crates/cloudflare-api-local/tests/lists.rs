//! List filters, the smaller writes, the defaults a zone gets, and determinism: the same state
//! gives the same bytes.

mod support;

use cloudflare_api_local::{DEFAULT_ACCOUNT_ID as ACCOUNT, DEFAULT_TOKEN as TOKEN, Server, State};
use serde_json::{Value, json};
use support::{get, send};

fn start(state: &Value) -> Server {
    Server::start(State::from_json(&state.to_string()).unwrap()).unwrap()
}

fn names(answer: &Value, key: &str) -> Vec<String> {
    answer["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[key].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn dns_records_filter_by_name_type_content_and_proxied() {
    let server = start(&json!({
        "dns_records": [
            { "zone": "example.com", "type": "A", "name": "example.com", "content": "192.0.2.1", "proxied": true },
            { "zone": "example.com", "type": "CNAME", "name": "www.example.com", "content": "example.com", "proxied": true },
            { "zone": "example.com", "type": "TXT", "name": "example.com", "content": "v=spf1 -all" },
        ],
    }));
    let base = server.base_url();
    let zone = get(base, "/zones?name=example.com", TOKEN).json()["result"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let records =
        |query: &str| get(base, &format!("/zones/{zone}/dns_records?{query}"), TOKEN).json();
    assert_eq!(names(&records("name=example.com"), "type"), ["A", "TXT"]);
    assert_eq!(names(&records("type=CNAME"), "name"), ["www.example.com"]);
    assert_eq!(names(&records("proxied=false"), "type"), ["TXT"]);
    assert_eq!(names(&records("content.contains=spf1"), "type"), ["TXT"]);
    assert_eq!(names(&records("name.startswith=www"), "type"), ["CNAME"]);
    assert_eq!(names(&records("match=any&type=A&type=TXT"), "type"), ["A", "TXT"]);
    assert_eq!(records("per_page=5")["result_info"]["total_count"], 3);
}

#[test]
fn certificate_packs_queues_and_rulesets_filter_and_page() {
    let server = start(&json!({
        "certificate_packs": [
            { "zone": "example.com" },
            { "zone": "example.com", "id": "old", "status": "expired" },
        ],
        "queues": [{ "queue_name": "jobs" }, { "queue_name": "mail" }, { "queue_name": "dlq" }],
        "rulesets": (0..3).map(|i| json!({ "zone": "example.com", "phase": format!("phase_{i}") })).collect::<Vec<_>>(),
    }));
    let base = server.base_url();
    let zone = get(base, "/zones", TOKEN).json()["result"][0]["id"].as_str().unwrap().to_owned();
    let packs = get(base, &format!("/zones/{zone}/ssl/certificate_packs"), TOKEN).json();
    assert_eq!(packs["result_info"]["total_count"], 1, "expired packs only with status=all");
    let all = get(base, &format!("/zones/{zone}/ssl/certificate_packs?status=all"), TOKEN).json();
    assert_eq!(all["result_info"]["total_count"], 2);

    let queues = get(base, &format!("/accounts/{ACCOUNT}/queues?name=mail&name=dlq"), TOKEN).json();
    assert_eq!(names(&queues, "queue_name"), ["mail", "dlq"]);

    let first = get(base, &format!("/zones/{zone}/rulesets?per_page=2"), TOKEN).json();
    assert_eq!(names(&first, "phase"), ["phase_0", "phase_1"]);
    assert!(first["result"][0].get("rules").is_none(), "lists leave the rules out");
    let cursor = first["result_info"]["cursor"].as_str().unwrap();
    assert_eq!(first["result_info"]["cursors"]["after"], cursor);
    let rest =
        get(base, &format!("/zones/{zone}/rulesets?per_page=2&cursor={cursor}"), TOKEN).json();
    assert_eq!(names(&rest, "phase"), ["phase_2"]);
    assert!(rest.get("result_info").is_none());
}

#[test]
fn namespaces_routes_and_subdomains_can_be_written() {
    let server =
        start(&json!({ "zones": [{ "name": "example.com" }], "workers": [{ "name": "app" }] }));
    let base = server.base_url();
    let namespaces = format!("/accounts/{ACCOUNT}/storage/kv/namespaces");
    let created = send(base, "POST", &namespaces, TOKEN, &json!({ "title": "app-CACHE" })).json();
    let id = created["result"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        get(base, &format!("{namespaces}/{id}"), TOKEN).json()["result"]["title"],
        "app-CACHE"
    );
    let again = send(base, "POST", &namespaces, TOKEN, &json!({ "title": "app-CACHE" }));
    assert_eq!((again.status, again.error_codes()), (400, vec![10014]));
    assert_eq!(
        send(base, "DELETE", &format!("{namespaces}/{id}"), TOKEN, &json!(null)).status,
        200
    );
    assert_eq!(get(base, &format!("{namespaces}/{id}"), TOKEN).error_codes(), [10013]);

    let zone = get(base, "/zones", TOKEN).json()["result"][0]["id"].as_str().unwrap().to_owned();
    let routes = format!("/zones/{zone}/workers/routes");
    let route = send(
        base,
        "POST",
        &routes,
        TOKEN,
        &json!({ "pattern": "example.com/api/*", "script": "app" }),
    )
    .json();
    let taken = send(
        base,
        "POST",
        &routes,
        TOKEN,
        &json!({ "pattern": "example.com/api/*", "script": "other" }),
    );
    assert_eq!(taken.status, 409);
    let listed = get(base, &format!("/accounts/{ACCOUNT}/workers/scripts"), TOKEN).json();
    assert_eq!(listed["result"][0]["routes"][0]["pattern"], "example.com/api/*");
    let route_id = route["result"]["id"].as_str().unwrap();
    assert_eq!(
        send(base, "DELETE", &format!("{routes}/{route_id}"), TOKEN, &json!(null)).status,
        200
    );
    assert_eq!(get(base, &routes, TOKEN).json()["result"], json!([]));

    let subdomain = format!("/accounts/{ACCOUNT}/workers/scripts/app/subdomain");
    assert_eq!(get(base, &subdomain, TOKEN).json()["result"]["enabled"], true);
    send(base, "POST", &subdomain, TOKEN, &json!({ "enabled": false, "previews_enabled": true }));
    assert_eq!(
        get(base, &subdomain, TOKEN).json()["result"],
        json!({ "enabled": false, "previews_enabled": true })
    );
}

#[test]
fn single_objects_are_found_by_id_or_get_their_products_not_found_code() {
    let server = start(&json!({
        "durable_object_namespaces": [{ "script": "app", "class": "Counter" }],
        "hyperdrive_configs": [{ "name": "pg" }],
        "queues": [{ "queue_name": "jobs" }],
        "vectorize_indexes": [{ "name": "embeddings" }],
        "workers": [{ "name": "app" }],
    }));
    let base = server.base_url();
    let account = |path: &str| get(base, &format!("/accounts/{ACCOUNT}{path}"), TOKEN);
    for (list, key, single) in [
        ("/workers/durable_objects/namespaces", "id", "/workers/durable_objects/namespaces/"),
        ("/hyperdrive/configs", "id", "/hyperdrive/configs/"),
        ("/queues", "queue_id", "/queues/"),
        ("/vectorize/v2/indexes", "name", "/vectorize/v2/indexes/"),
    ] {
        let first = account(list).json()["result"][0].clone();
        let id = first[key].as_str().unwrap();
        assert_eq!(account(&format!("{single}{id}")).json()["result"], first, "{list}");
    }
    let deployments = account("/workers/scripts/app/deployments").json();
    let deployment = deployments["result"]["deployments"][0].clone();
    let id = deployment["id"].as_str().unwrap();
    assert_eq!(
        account(&format!("/workers/scripts/app/deployments/{id}")).json()["result"],
        deployment
    );

    for (path, code) in [
        ("/workers/durable_objects/namespaces/nope", 10066),
        ("/hyperdrive/configs/nope", 2006),
        ("/queues/nope", 11000),
        ("/workers/scripts/app/versions/nope", 100_146),
        ("/workers/scripts/app/deployments/nope", 10336),
        ("/workers/domains/records/nope", 100_114),
    ] {
        let answer = account(path);
        assert_eq!((answer.status, answer.error_codes()), (404, vec![code]), "{path}");
    }
}

#[test]
fn every_zone_has_the_default_settings_unless_the_state_sets_them() {
    let server = start(
        &json!({ "zone_settings": [{ "zone": "example.com", "id": "ssl", "value": "strict" }] }),
    );
    let base = server.base_url();
    let zone = get(base, "/zones", TOKEN).json()["result"][0]["id"].as_str().unwrap().to_owned();
    let value = |id: &str| {
        get(base, &format!("/zones/{zone}/settings/{id}"), TOKEN).json()["result"]["value"].clone()
    };
    assert_eq!(value("ssl"), "strict");
    assert_eq!(value("min_tls_version"), "1.0");
    assert_eq!(value("always_use_https"), "off");
    assert_eq!(value("security_level"), "medium");
    assert_eq!(
        get(base, &format!("/zones/{zone}/settings"), TOKEN).json()["result"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[test]
fn the_same_state_gives_the_same_bytes() {
    let state = json!({
        "dns_records": [{ "zone": "example.com", "type": "A", "name": "example.com", "content": "192.0.2.1" }],
        "kv_namespaces": [{ "title": "CACHE" }],
        "d1_databases": [{ "name": "db" }],
        "workers": [{ "name": "app", "secrets": ["KEY"], "versions": [{}, {}] }],
    });
    let paths = [
        "/zones".to_owned(),
        format!("/accounts/{ACCOUNT}/storage/kv/namespaces"),
        format!("/accounts/{ACCOUNT}/d1/database"),
        format!("/accounts/{ACCOUNT}/workers/scripts/app/versions"),
        format!("/accounts/{ACCOUNT}/workers/scripts/app/deployments"),
    ];
    let answers = |server: &Server| -> Vec<Vec<u8>> {
        paths.iter().map(|path| get(server.base_url(), path, TOKEN).raw).collect()
    };
    assert_eq!(answers(&start(&state)), answers(&start(&state)));
}
