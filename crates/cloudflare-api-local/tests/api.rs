//! The read endpoints over real HTTP: credentials and their error codes, pagination, lookups
//! and not-found codes per product, D1 queries on the SQLite file, and the account states of the
//! field reports loaded as they are.

mod support;

use cloudflare_api_local::{DEFAULT_ACCOUNT_ID as ACCOUNT, DEFAULT_TOKEN as TOKEN, Server, State};
use serde_json::{Value, json};
use support::{call, get, send};

fn start(state: Value) -> Server {
    Server::start(State::from_json(&state.to_string()).expect("a valid state"))
        .expect("the server starts")
}

#[test]
fn credentials_are_checked_with_the_codes_of_each_area() {
    let server = start(json!({
        "tokens": [
            { "value": "user-token" },
            { "value": "account-token", "kind": "account" },
            { "value": "disabled-token", "status": "disabled" },
            { "value": "kv-reader", "permissions": ["kv:read"] },
        ],
        "kv_namespaces": [{ "title": "CACHE" }],
    }));
    let base = server.base_url();
    let kv = format!("/accounts/{ACCOUNT}/storage/kv/namespaces");

    let missing = call(base, "GET", "/zones", &[], b"").unwrap();
    assert_eq!((missing.status, missing.error_codes()), (400, vec![9106]));
    let malformed = call(base, "GET", "/zones", &[("Authorization", "Token abc")], b"").unwrap();
    assert_eq!((malformed.status, malformed.error_codes()), (400, vec![6003]));
    assert_eq!(malformed.json()["errors"][0]["error_chain"][0]["code"], 6111);

    let unknown_zone = get(base, "/zones", "no-such-token");
    assert_eq!((unknown_zone.status, unknown_zone.error_codes()), (403, vec![9109]));
    let unknown_account = get(base, &kv, "no-such-token");
    assert_eq!((unknown_account.status, unknown_account.error_codes()), (403, vec![10000]));
    assert_eq!(get(base, &kv, "disabled-token").error_codes(), [10000]);

    // Reading is what the permission allows; writing and other products are refused.
    assert_eq!(get(base, &kv, "kv-reader").status, 200);
    let write = send(base, "POST", &kv, "kv-reader", &json!({ "title": "NEW" }));
    assert_eq!((write.status, write.error_codes()), (403, vec![10000]));
    assert_eq!(get(base, "/zones", "kv-reader").error_codes(), [9109]);

    // User tokens verify at the user path, account tokens only at the account path.
    let user = get(base, "/user/tokens/verify", "user-token");
    assert_eq!(user.status, 200);
    assert_eq!(user.json()["result"]["status"], "active");
    assert_eq!(user.json()["messages"][0]["code"], 10000);
    let account_at_user = get(base, "/user/tokens/verify", "account-token");
    assert_eq!((account_at_user.status, account_at_user.error_codes()), (401, vec![1000]));
    let account = get(base, &format!("/accounts/{ACCOUNT}/tokens/verify"), "account-token");
    assert_eq!(account.status, 200);
    assert_eq!(
        get(base, "/user/tokens/verify", "disabled-token").json()["result"]["status"],
        "disabled"
    );
    assert_eq!(get(base, "/user/tokens/verify", "nothing").error_codes(), [1000]);

    // An account the token cannot reach.
    let other =
        get(base, "/accounts/ffffffffffffffffffffffffffffffff/storage/kv/namespaces", "user-token");
    assert_eq!((other.status, other.error_codes()), (403, vec![10000]));
}

#[test]
fn unknown_paths_and_malformed_ids_get_7003_then_7000() {
    let server = start(json!({}));
    let answer = get(server.base_url(), "/zones/not-a-zone-id/dns_records", TOKEN);
    assert_eq!((answer.status, answer.error_codes()), (400, vec![7003, 7000]));
    assert_eq!(
        answer.json()["errors"][0]["message"],
        "Could not route to /client/v4/zones/not-a-zone-id/dns_records, perhaps your object identifier is invalid?"
    );
    assert_eq!(
        get(server.base_url(), &format!("/accounts/{ACCOUNT}/no/such/thing"), TOKEN).error_codes(),
        [7003, 7000]
    );
    let malformed_account =
        get(server.base_url(), "/accounts/not-an-account/workers/scripts", TOKEN);
    assert_eq!(malformed_account.error_codes(), [7003, 7000]);
    assert_eq!(server.requests().last().unwrap().status, 400);
}

#[test]
fn page_lists_report_five_fields_and_honour_page_and_per_page() {
    let zones: Vec<Value> =
        (0..12).map(|i| json!({ "name": format!("zone{i:02}.example") })).collect();
    let server = start(json!({ "zones": zones }));
    let page = get(server.base_url(), "/zones?page=3&per_page=5", TOKEN).json();
    assert_eq!(
        page["result_info"],
        json!({ "page": 3, "per_page": 5, "count": 2, "total_count": 12, "total_pages": 3 })
    );
    assert_eq!(page["result"][0]["name"], "zone10.example");
    let by_name = get(server.base_url(), "/zones?name=zone07.example", TOKEN).json();
    assert_eq!(by_name["result_info"]["total_count"], 1);
    let contains = get(server.base_url(), "/zones?name=contains:zone1", TOKEN).json();
    assert_eq!(contains["result_info"]["total_count"], 2);
}

#[test]
fn r2_lists_walk_by_cursor_and_missing_things_get_their_codes() {
    let mut buckets: Vec<Value> =
        (0..5).map(|i| json!({ "name": format!("bucket-{i}") })).collect();
    buckets.push(json!({ "name": "eu-bucket", "jurisdiction": "eu" }));
    let mut state = json!({ "r2_buckets": buckets });
    state["r2_buckets"][0]["cors"] =
        json!([{ "allowed": { "methods": ["GET"], "origins": ["*"] } }]);
    let server = start(state);
    let base = server.base_url();
    let list = format!("/accounts/{ACCOUNT}/r2/buckets");

    let first = get(base, &format!("{list}?per_page=2"), TOKEN).json();
    assert_eq!(first["result"]["buckets"].as_array().unwrap().len(), 2);
    let mut cursor = first["result_info"]["cursor"].as_str().unwrap().to_owned();
    let mut names = vec![
        first["result"]["buckets"][0]["name"].clone(),
        first["result"]["buckets"][1]["name"].clone(),
    ];
    loop {
        let next = get(base, &format!("{list}?per_page=2&cursor={cursor}"), TOKEN).json();
        names.extend(
            next["result"]["buckets"].as_array().unwrap().iter().map(|b| b["name"].clone()),
        );
        match next["result_info"]["cursor"].as_str() {
            Some(more) => cursor = more.to_owned(),
            None => break,
        }
    }
    assert_eq!(names.len(), 5, "the EU bucket is not in the default jurisdiction's list");
    assert_eq!(names[4], "bucket-4");
    let bearer = format!("Bearer {TOKEN}");
    let eu =
        call(base, "GET", &list, &[("Authorization", &bearer), ("cf-r2-jurisdiction", "eu")], b"")
            .unwrap();
    assert_eq!(eu.json()["result"]["buckets"][0]["name"], "eu-bucket");
    assert_eq!(get(base, &format!("{list}/eu-bucket"), TOKEN).error_codes(), [10006]);

    assert_eq!(
        get(base, &format!("{list}/bucket-0/cors"), TOKEN).json()["result"]["rules"][0]["allowed"]
            ["origins"][0],
        "*"
    );
    let no_cors = get(base, &format!("{list}/bucket-1/cors"), TOKEN);
    assert_eq!((no_cors.status, no_cors.error_codes()), (404, vec![10059]));
    let lifecycle = get(base, &format!("{list}/bucket-1/lifecycle"), TOKEN).json();
    assert_eq!(lifecycle["result"]["rules"][0]["id"], "Default Multipart Abort Rule");
    assert_eq!(get(base, &format!("{list}/nope"), TOKEN).error_codes(), [10006]);
    assert_eq!(
        get(base, &format!("/accounts/{ACCOUNT}/storage/kv/namespaces/abc"), TOKEN).error_codes(),
        [10013]
    );
    assert_eq!(
        get(base, &format!("/accounts/{ACCOUNT}/d1/database/nope"), TOKEN).error_codes(),
        [7404]
    );
    assert_eq!(
        get(base, &format!("/accounts/{ACCOUNT}/workers/scripts/nope/settings"), TOKEN)
            .error_codes(),
        [10007]
    );
}

#[test]
fn d1_queries_run_on_the_sqlite_file() {
    let server = start(json!({
        "d1_databases": [{
            "name": "app",
            "tables": [{ "name": "users", "columns": ["id INTEGER PRIMARY KEY", "email TEXT NOT NULL"] }],
            "sql": ["INSERT INTO users (email) VALUES ('a@example.com')"],
            "d1_migrations": ["0001_init.sql"],
        }],
    }));
    let base = server.base_url();
    let database = format!("/accounts/{ACCOUNT}/d1/database/app");

    let by_name = get(base, &format!("{database}?fields=uuid,name,num_tables"), TOKEN).json();
    assert_eq!(by_name["result"].as_object().unwrap().len(), 3);
    assert_eq!(
        by_name["result"]["num_tables"], 2,
        "users and d1_migrations; SQLite's own are not counted"
    );
    let uuid = by_name["result"]["uuid"].as_str().unwrap().to_owned();

    let batch = json!({ "batch": [
        { "sql": "SELECT email FROM users WHERE id = ?", "params": [1] },
        { "sql": "INSERT INTO users (email) VALUES (?)", "params": ["b@example.com"] },
    ]});
    let answer =
        send(base, "POST", &format!("/accounts/{ACCOUNT}/d1/database/{uuid}/query"), TOKEN, &batch)
            .json();
    assert_eq!(answer["result"][0]["results"], json!([{ "email": "a@example.com" }]));
    assert_eq!(answer["result"][1]["meta"]["changes"], 1);
    assert_eq!(answer["result"][1]["meta"]["last_row_id"], 2);
    assert_eq!(answer["result"][1]["meta"]["changed_db"], true);

    let raw = send(
        base,
        "POST",
        &format!("{database}/raw"),
        TOKEN,
        &json!({ "sql": "SELECT id, name FROM d1_migrations" }),
    )
    .json();
    assert_eq!(
        raw["result"][0]["results"],
        json!({ "columns": ["id", "name"], "rows": [[1, "0001_init.sql"]] })
    );

    let error = send(
        base,
        "POST",
        &format!("{database}/query"),
        TOKEN,
        &json!({ "sql": "SELECT * FROM userz" }),
    );
    assert_eq!((error.status, error.error_codes()), (400, vec![7500]));
    assert_eq!(error.json()["errors"][0]["message"], "no such table: userz: SQLITE_ERROR");

    // A failing statement keeps nothing of its request.
    let partial =
        json!({ "sql": "INSERT INTO users (email) VALUES ('c@example.com'); SELECT * FROM nope" });
    assert_eq!(send(base, "POST", &format!("{database}/query"), TOKEN, &partial).status, 400);
    let connection = rusqlite::Connection::open(server.d1_path("app").unwrap()).unwrap();
    let count: i64 =
        connection.query_row("SELECT count(*) FROM users", [], |row| row.get(0)).unwrap();
    assert_eq!(count, 2);
}

#[test]
fn every_field_report_account_state_loads_as_it_is() {
    let text =
        std::fs::read_to_string(support::shared_dir().join("cases/field-reports.json")).unwrap();
    let reports: Value = serde_json::from_str(&text).unwrap();
    let mut loaded = 0;
    for case in reports["cases"].as_array().unwrap() {
        let Some(account_state) = case["repro"].get("account_state") else { continue };
        let id = case["id"].as_str().unwrap();
        let state =
            State::from_json(&account_state.to_string()).unwrap_or_else(|e| panic!("{id}: {e}"));
        let server = Server::start(state).unwrap_or_else(|e| panic!("{id}: {e}"));
        let base = server.base_url();

        for database in account_state["d1_databases"].as_array().into_iter().flatten() {
            let uuid = database["uuid"].as_str().unwrap();
            let found = get(base, &format!("/accounts/{ACCOUNT}/d1/database/{uuid}"), TOKEN).json();
            assert_eq!(found["result"]["name"], database["name"], "{id}");
        }
        for worker in account_state["workers"].as_array().into_iter().flatten() {
            let name = worker["name"].as_str().unwrap();
            let secrets =
                get(base, &format!("/accounts/{ACCOUNT}/workers/scripts/{name}/secrets"), TOKEN);
            if worker["deployed"] == false {
                assert_eq!(
                    secrets.error_codes(),
                    [10007],
                    "{id}: a Worker never deployed is not there"
                );
                continue;
            }
            let secrets = secrets.json();
            let names: Vec<&Value> =
                secrets["result"].as_array().unwrap().iter().map(|s| &s["name"]).collect();
            let wanted: Vec<&Value> = worker["secrets"].as_array().into_iter().flatten().collect();
            assert_eq!(names, wanted, "{id}");
        }
        for record in account_state["dns_records"].as_array().into_iter().flatten() {
            let zones =
                get(base, &format!("/zones?name={}", record["zone"].as_str().unwrap()), TOKEN)
                    .json();
            let zone_id = zones["result"][0]["id"].as_str().unwrap_or_else(|| panic!("{id}: zone"));
            let name = record["name"].as_str().unwrap();
            let records =
                get(base, &format!("/zones/{zone_id}/dns_records?name={name}"), TOKEN).json();
            assert_eq!(records["result"][0]["content"], record["content"], "{id}");
            assert_eq!(records["result"][0]["proxied"], record["proxied"], "{id}");
        }
        for route in account_state["worker_routes"].as_array().into_iter().flatten() {
            let zones =
                get(base, &format!("/zones?name={}", route["zone"].as_str().unwrap()), TOKEN)
                    .json();
            let zone_id = zones["result"][0]["id"].as_str().unwrap();
            let routes = get(base, &format!("/zones/{zone_id}/workers/routes"), TOKEN).json();
            assert_eq!(routes["result"][0]["pattern"], route["pattern"], "{id}");
            assert_eq!(routes["result"][0]["script"], route["script"], "{id}");
        }
        for namespace in account_state["kv_namespaces"].as_array().into_iter().flatten() {
            let namespace_id = namespace["id"].as_str().unwrap();
            let found = get(
                base,
                &format!("/accounts/{ACCOUNT}/storage/kv/namespaces/{namespace_id}"),
                TOKEN,
            )
            .json();
            assert_eq!(found["result"]["title"], namespace["title"], "{id}");
        }
        for project in account_state["pages_projects"].as_array().into_iter().flatten() {
            let name = project["name"].as_str().unwrap();
            let found =
                get(base, &format!("/accounts/{ACCOUNT}/pages/projects/{name}"), TOKEN).json();
            assert_eq!(found["result"]["domains"], project["domains"], "{id}");
        }
        loaded += 1;
    }
    assert_eq!(loaded, 9, "the field reports with an account state");
}

#[test]
fn a_workers_own_routes_and_domains_land_in_their_zones() {
    let server = start(json!({
        "zones": [{ "name": "shop.example.co.uk" }],
        "workers": [{
            "name": "shop",
            "routes": ["api.shop.example.co.uk/*", { "pattern": "example.org/v1/*", "zone": "example.org" }, "*.blog.example.net/*"],
            "custom_domains": ["app.example.org"],
        }],
    }));
    let base = server.base_url();
    let routes =
        get(base, &format!("/accounts/{ACCOUNT}/workers/scripts/shop/routes"), TOKEN).json();
    let zones: Vec<(&str, &str)> = routes["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["pattern"].as_str().unwrap(), r["zone_name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        zones,
        [
            ("api.shop.example.co.uk/*", "shop.example.co.uk"),
            ("example.org/v1/*", "example.org"),
            ("*.blog.example.net/*", "example.net"),
        ]
    );
    let domains = get(base, &format!("/accounts/{ACCOUNT}/workers/domains"), TOKEN).json();
    assert_eq!(domains["result"][0]["hostname"], "app.example.org");
    assert_eq!(domains["result"][0]["zone_name"], "example.org");
    assert_eq!(domains["result"][0]["service"], "shop");
}

#[test]
fn a_bad_state_is_refused_with_its_place() {
    let error = State::from_json("{\"zones\": [], \"kv_namespace\": []}").unwrap_err().to_string();
    assert!(error.contains("unknown field `kv_namespace`") && error.contains("line 1"), "{error}");
    let state = State::from_json(r#"{"dns_records": [{"zone": "0123456789abcdef0123456789abcdee", "type": "A", "name": "x"}]}"#).unwrap();
    let error = Server::start(state).err().unwrap().to_string();
    assert!(error.contains("dns_records[0]") && error.contains("zone"), "{error}");
    let state =
        State::from_json(r#"{"d1_databases": [{"name": "db", "sql": ["CREATE TABLE broken ("]}]}"#)
            .unwrap();
    let error = Server::start(state).err().unwrap().to_string();
    assert!(error.contains("d1_databases[0] (db): sql[0]"), "{error}");
}
