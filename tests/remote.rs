//! `check --remote` against the local Cloudflare API: what each account check finds, and how
//! every fault (rate limits, server errors, timeouts, bodies cut short, missing permissions, bad
//! tokens) becomes a retry, an unknown or a clear failure, never a pass.

mod common;

use std::time::Instant;

use atom_sage::remote::RemoteError;
use atom_sage::{Options, Outcome, Report};
use common::{LOCAL_TOKEN, check_remote, lines, write_project};

const KV_ID: &str = "0f2a0f2a0f2a0f2a0f2a0f2a0f2a0f2a";
const KV_LIST: &str = "/accounts/0123456789abcdef0123456789abcdef/storage/kv/namespaces";

/// A worker binding one KV namespace.
fn kv_project() -> tempfile::TempDir {
    let config = format!(
        "name = \"site\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[[kv_namespaces]]\nbinding = \"CACHE\"\nid = \"{KV_ID}\"\n"
    );
    let code = "export default { fetch: (_r, env) => env.CACHE.get(\"k\") };\n";
    write_project(&[("wrangler.toml", &config), ("src/index.js", code)])
}

fn kv_state(faults: &str) -> String {
    format!(
        r#"{{"kv_namespaces": [{{"title": "site-CACHE", "id": "{KV_ID}"}}], "faults": {faults}}}"#
    )
}

/// The KV project checked while the namespace list answers with this fault rule (its JSON
/// fields after `path`).
fn kv_with_fault(rule: &str) -> (Report, cloudflare_api_local::Server) {
    let faults =
        format!(r#"{{"rules": [{{"path": "/accounts/*/storage/kv/namespaces", {rule}}}]}}"#);
    run(&kv_project(), &kv_state(&faults))
}

fn run(directory: &tempfile::TempDir, state: &str) -> (Report, cloudflare_api_local::Server) {
    let (report, server) = check_remote(directory.path(), state, LOCAL_TOKEN, &Options::default());
    (report.expect("the token is accepted"), server)
}

/// The line of a verification about `subject`.
fn verification(report: &Report, subject: &str) -> String {
    let (_, verifications) = lines(report);
    verifications
        .into_iter()
        .find(|line| line.contains(subject))
        .unwrap_or_else(|| panic!("no verification of {subject}: {:#?}", lines(report)))
}

#[test]
fn existing_resources_are_verified_and_missing_ones_name_the_closest() {
    let config = r#"name = "shop"
main = "src/index.js"
compatibility_date = "2025-01-15"
[[kv_namespaces]]
binding = "CACHE"
id = "0f2a0f2a0f2a0f2a0f2a0f2a0f2a0f2a"
[[kv_namespaces]]
binding = "SESSIONS"
id = "99999999999999999999999999999999"
[[r2_buckets]]
binding = "ASSETS"
bucket_name = "shop-asets"
[[queues.producers]]
binding = "JOBS"
queue = "shop-jobs"
[[hyperdrive]]
binding = "PG"
id = "abababababababababababababababab"
[[vectorize]]
binding = "SEARCH"
index_name = "shop-index"
[[services]]
binding = "AUTH"
service = "auth-workr"
[[durable_objects.bindings]]
name = "ROOMS"
class_name = "Room"
script_name = "chat-rooms"
"#;
    let directory = write_project(&[("wrangler.toml", config)]);
    let state = r#"{
      "kv_namespaces": [{"title": "shop-CACHE", "id": "0f2a0f2a0f2a0f2a0f2a0f2a0f2a0f2a"}, {"title": "shop-SESSIONS"}],
      "r2_buckets": [{"name": "shop-assets"}],
      "queues": [{"queue_name": "shop-jobs"}],
      "hyperdrive_configs": [{"name": "shop-pg"}],
      "vectorize_indexes": [{"name": "shop-index"}],
      "workers": [{"name": "auth-worker"}]
    }"#;
    let (report, _server) = run(&directory, state);
    let (findings, _) = lines(&report);
    let missing: Vec<&String> =
        findings.iter().filter(|f| f.contains("which does not exist in account")).collect();
    assert_eq!(missing.len(), 5, "{findings:#?}");
    assert!(findings.iter().any(|f| f.starts_with("KV002 error")
        && f.contains("SESSIONS")
        && f.contains("the account has shop-SESSIONS as ")));
    assert!(findings.iter().any(|f| f.starts_with("R2003 error")
        && f.contains("shop-asets")
        && f.contains("the account has shop-assets")));
    assert!(findings.iter().any(|f| f.starts_with("HYP002 error") && f.contains("abababab")));
    assert!(
        findings
            .iter()
            .any(|f| f.starts_with("SVC002 error") && f.contains("the account has auth-worker"))
    );
    assert!(findings.iter().any(|f| f.starts_with("DO003 error") && f.contains("chat-rooms")));
    assert!(
        verification(&report, "KV CACHE")
            .contains("Verified KV CACHE → 0f2a0f2a…0f2a exists (title shop-CACHE)")
    );
    assert!(verification(&report, "Queue JOBS").starts_with("Verified"));
    assert!(verification(&report, "Vectorize SEARCH").starts_with("Verified"));
    assert_eq!(report.summary.unknown, 0);
}

#[test]
fn each_list_is_fetched_once_and_every_page_is_read() {
    // 130 namespaces: the bound one is on the second page of 100.
    let mut namespaces: Vec<String> =
        (0..129).map(|i| format!(r#"{{"title": "ns-{i:03}"}}"#)).collect();
    namespaces.push(format!(r#"{{"title": "zz-site-CACHE", "id": "{KV_ID}"}}"#));
    let state = format!(r#"{{"kv_namespaces": [{}]}}"#, namespaces.join(","));
    // Two environments bind the same namespace; the list is still fetched once per page.
    let config = format!(
        "name = \"site\"\ncompatibility_date = \"2025-01-15\"\nmain = \"src/index.js\"\n[[kv_namespaces]]\nbinding = \"CACHE\"\nid = \"{KV_ID}\"\n[env.staging]\n[[env.staging.kv_namespaces]]\nbinding = \"CACHE\"\nid = \"{KV_ID}\"\n"
    );
    let directory = write_project(&[("wrangler.toml", &config)]);
    let (report, server) = run(&directory, &state);
    assert!(verification(&report, "KV CACHE").starts_with("Verified"), "{:#?}", lines(&report));
    assert_eq!(server.count("GET", KV_LIST), 2, "two pages, each once");
}

#[test]
fn a_rate_limit_is_waited_out_and_then_the_check_passes() {
    let started = Instant::now();
    let (report, server) = kv_with_fault(r#""rate_limited": 1, "retry_after": 1"#);
    assert!(started.elapsed().as_millis() >= 1000, "Retry-After: 1 was honoured");
    assert_eq!(server.count("GET", KV_LIST), 2, "one 429, one answer");
    assert!(verification(&report, "KV CACHE").starts_with("Verified"));
    assert_eq!(report.summary.unknown, 0);
}

#[test]
fn server_errors_after_every_retry_are_unknown() {
    let (report, server) = kv_with_fault(r#""server_errors": 10, "status": 503"#);
    assert_eq!(server.count("GET", KV_LIST), 3, "the first try and two retries");
    let line = verification(&report, "KV CACHE");
    assert!(line.starts_with("Unknown KV CACHE unknown (503 "), "{line}");
    assert_eq!(report.summary.unknown, 1);
    assert_eq!(report.summary.errors, 0, "unknown is not an error without --require-remote");
}

#[test]
fn a_request_never_answered_is_unknown_after_the_timeout() {
    let (report, _server) = kv_with_fault(r#""hang": 10"#);
    let line = verification(&report, "KV CACHE");
    assert!(line.contains("unknown (no answer within"), "{line}");
}

#[test]
fn a_body_cut_short_is_unknown() {
    let (report, _server) = kv_with_fault(r#""truncated": 10"#);
    let line = verification(&report, "KV CACHE");
    assert!(line.contains("unknown (the answer is not a complete API response"), "{line}");
}

#[test]
fn no_permission_is_unknown_with_the_api_answer() {
    let directory = kv_project();
    let state = format!(
        r#"{{"tokens": [{{"value": "{LOCAL_TOKEN}", "permissions": ["account:read", "workers:read"]}}], "kv_namespaces": [{{"title": "site-CACHE", "id": "{KV_ID}"}}]}}"#
    );
    let (report, _server) = run(&directory, &state);
    let line = verification(&report, "KV CACHE");
    assert_eq!(line, "Unknown KV CACHE unknown (403 10000 Authentication error)");
    assert_eq!(report.verifications.iter().filter(|v| v.outcome == Outcome::Unknown).count(), 1);
}

#[test]
fn require_remote_makes_unknowns_errors() {
    let directory = kv_project();
    let faults =
        r#"{"rules": [{"path": "/accounts/*/storage/kv/namespaces", "server_errors": 10}]}"#;
    let options = Options { require_remote: true, ..Options::default() };
    let (report, _server) =
        check_remote(directory.path(), &kv_state(faults), LOCAL_TOKEN, &options);
    let report = report.expect("the token is accepted");
    let (findings, _) = lines(&report);
    assert_eq!(
        findings,
        [
            "ACC002 error KV CACHE could not be checked against the account: unknown (500 10002 An unknown error has occurred)"
        ]
    );
    assert!(report.fails(false));
}

#[test]
fn bad_disabled_and_account_tokens() {
    let directory = kv_project();
    let state = format!(
        r#"{{"tokens": [{{"value": "{LOCAL_TOKEN}"}}, {{"value": "off-token-abc", "status": "disabled"}}, {{"value": "acct-token-xyz", "kind": "account"}}], "kv_namespaces": [{{"title": "site-CACHE", "id": "{KV_ID}"}}]}}"#
    );
    let (result, _server) =
        check_remote(directory.path(), &state, "wrong-token-s3cr3t", &Options::default());
    let Err(error @ RemoteError::BadToken(_)) = result else { panic!("{result:?}") };
    let text = error.to_string();
    assert!(text.contains("was refused by the API") && !text.contains("s3cr3t"), "{text}");

    let (result, _server) =
        check_remote(directory.path(), &state, "off-token-abc", &Options::default());
    let Err(error) = result else { panic!("a disabled token is refused") };
    assert!(error.to_string().starts_with("the API token is disabled"), "{error}");

    let (result, server) =
        check_remote(directory.path(), &state, "acct-token-xyz", &Options::default());
    let report = result.expect("an account token is verified at the account");
    assert!(verification(&report, "API token").contains("account token"));
    assert_eq!(server.count("GET", "/user/tokens/verify"), 1);
    assert_eq!(server.count("GET", "/accounts/0123456789abcdef0123456789abcdef/tokens/verify"), 1);
}

#[test]
fn secrets_the_code_reads_and_required_ones_are_on_the_worker() {
    let config = "name = \"api\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[vars]\nAPI_BASE = \"https://x\"\n[secrets]\nrequired = [\"STRIPE_KEY\", \"WEBHOOK_SECRET\"]\n[env.staging]\n[env.staging.secrets]\nrequired = [\"STRIPE_KEY\"]\n";
    let code = "export default { fetch: (_r, env) => fetch(env.API_BASE, { headers: { a: env.STRIPE_KEY, b: env.SENTRY_DSN } }) };\n";
    let directory = write_project(&[("wrangler.toml", config), ("src/index.js", code)]);
    let state = r#"{"workers": [{"name": "api", "secrets": ["STRIPE_KEY", "SENTRY_DSN"]}]}"#;
    let (report, _server) = run(&directory, state);
    let (findings, _) = lines(&report);
    let prefix = format!("{}/", directory.path().display());
    let secrets: Vec<String> = findings
        .iter()
        .filter(|f| f.starts_with("SEC001"))
        .map(|f| f.replace(&prefix, ""))
        .collect();
    // Vars are not inherited: env.staging has no API_BASE either.
    assert_eq!(
        secrets,
        [
            "SEC001 error src/index.js:1 reads env.API_BASE, which is not a var or binding of env.staging, and worker api-staging does not exist yet, so it has no secret API_BASE",
            "SEC001 error src/index.js:1 reads env.SENTRY_DSN, which is not a var or binding of env.staging, and worker api-staging does not exist yet, so it has no secret SENTRY_DSN",
            "SEC001 error secrets.required lists WEBHOOK_SECRET, but worker api has no secret WEBHOOK_SECRET",
            "SEC001 error secrets.required lists STRIPE_KEY, but worker api-staging does not exist yet, so it has no secret STRIPE_KEY",
        ]
    );
    assert!(verification(&report, "secret SENTRY_DSN").contains("→ set on api"));
}

#[test]
fn d1_schema_drift_and_size() {
    let config = "name = \"app\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[[d1_databases]]\nbinding = \"DB\"\ndatabase_name = \"app-db\"\ndatabase_id = \"11111111-2222-3333-4444-555555555555\"\n";
    let migration = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\nCREATE INDEX idx_users_email ON users(email);\n";
    let code = "export default { fetch: (_r, env) => env.DB.prepare(\"SELECT email FROM users WHERE id = ?\").bind(1).first() };\n";
    let directory = write_project(&[
        ("wrangler.toml", config),
        ("migrations/0001_users.sql", migration),
        ("src/index.js", code),
    ]);
    // Applied, but the index was dropped by hand and a table made in the dashboard.
    let state = r#"{"d1_databases": [{"name": "app-db", "uuid": "11111111-2222-3333-4444-555555555555",
        "tables": [{"name": "users", "columns": ["id INTEGER PRIMARY KEY", "email TEXT"]}, "tmp_import"], "d1_migrations": ["0001_users.sql"]}]}"#;
    let (report, _server) = run(&directory, state);
    let (findings, _) = lines(&report);
    assert!(
        findings.contains(&"D1013 warning remote D1 database app-db differs from what migrations/ builds: missing index idx_users_email; not made by any migration: table tmp_import".to_owned()),
        "{findings:#?}"
    );
    assert!(verification(&report, "D1 DB migrations").contains("has all 1 applied"));
    assert!(verification(&report, "D1 DB queries").contains("all 1 prepare against app-db"));
    assert!(verification(&report, "D1 DB usage").contains("of 10.0 GB"));
}

#[test]
fn r2_cors_and_lifecycle_zones_queues_and_indexes() {
    let config = r#"name = "media"
main = "src/index.js"
compatibility_date = "2025-01-15"
routes = [{ pattern = "media.exmaple.com/*", zone_name = "exmaple.com" }]
[[r2_buckets]]
binding = "UPLOADS"
bucket_name = "media-uploads"
[[r2_buckets]]
binding = "PUBLIC"
bucket_name = "media-public"
[[r2_buckets]]
binding = "EXPORTS"
bucket_name = "media-exports"
jurisdiction = "eu"
[[queues.producers]]
binding = "JOBS"
queue = "media-jobz"
[[vectorize]]
binding = "SEARCH"
index_name = "media-idx"
"#;
    let settings = "r2:\n  browser_origins: [\"https://app.example.com\"]\n  browser_methods: [GET, PUT]\n  bindings: [UPLOADS, PUBLIC]\n";
    let directory = write_project(&[
        ("wrangler.toml", config),
        (".atom-sage/cloudflare-config.yaml", settings),
    ]);
    let state = r#"{
      "zones": [{"name": "example.com"}],
      "r2_buckets": [
        {"name": "media-uploads"},
        {"name": "media-public", "cors": [{"allowed": {"methods": ["GET"], "origins": ["https://app.example.com"]}}]},
        {"name": "media-exports", "jurisdiction": "eu", "lifecycle": [{"id": "expire-30d", "enabled": true, "conditions": {}, "deleteObjectsTransition": {"condition": {"type": "Age", "maxAge": 2592000}}}]}
      ],
      "queues": [{"queue_name": "media-jobs"}],
      "vectorize_indexes": [{"name": "other-index"}]
    }"#;
    let (report, _server) = run(&directory, state);
    let (findings, _) = lines(&report);
    let remote: Vec<&String> = findings
        .iter()
        .filter(|f| {
            ["R2004", "R2005", "RTE004", "QUE002", "ACC003"].iter().any(|c| f.starts_with(c))
        })
        .collect();
    assert_eq!(
        remote,
        [
            "RTE004 error no zone of account 0123456789abcdef0123456789abcdef serves media.exmaple.com, so media.exmaple.com/* cannot be attached; the deploy fails",
            "R2004 error R2 bucket media-uploads has no CORS policy (code 10059), but https://app.example.com fetch from it in the browser; every such request is blocked",
            "R2005 info R2 bucket media-uploads has no lifecycle rules beyond the default multipart-abort rule; objects are kept until deleted",
            "R2004 error the CORS policy of R2 bucket media-public has no rule allowing https://app.example.com with PUT; the browser blocks those requests",
            "R2005 info R2 bucket media-public has no lifecycle rules beyond the default multipart-abort rule; objects are kept until deleted",
            "QUE002 error top level queue binding JOBS points at queue media-jobz, which does not exist in account 0123456789abcdef0123456789abcdef (the account has media-jobs); the deploy fails",
            "ACC003 error top level Vectorize index binding SEARCH points at index_name media-idx, which does not exist in account 0123456789abcdef0123456789abcdef; the deploy fails",
        ],
        "{findings:#?}"
    );
    // An EU bucket is only listed, and read, with its jurisdiction's header.
    assert!(verification(&report, "R2 EXPORTS lifecycle").contains("1 rule(s) of its own"));
    assert!(verification(&report, "R2 EXPORTS").contains("→ media-exports exists"));
}

/// Gathers the KV project's account from a local API serving `state`, with these credentials
/// and account (`None`: let atom-sage choose).
fn gather_kv(
    state: &str,
    credentials: atom_sage::remote::Credentials,
    account: Option<&str>,
) -> (Result<atom_sage::remote::Snapshot, RemoteError>, cloudflare_api_local::Server) {
    gather_kv_with(state, credentials, account, 8)
}

/// As [`gather_kv`], with at most `concurrency` requests in flight.
fn gather_kv_with(
    state: &str,
    credentials: atom_sage::remote::Credentials,
    account: Option<&str>,
    concurrency: usize,
) -> (Result<atom_sage::remote::Snapshot, RemoteError>, cloudflare_api_local::Server) {
    let directory = kv_project();
    let project = atom_sage::Project::load(directory.path()).expect("the project loads");
    let root = project.tree.as_ref().expect("the config parses");
    let environments = atom_sage::config::resolve_environments(root, None);
    let state = cloudflare_api_local::State::from_json(state).expect("the state parses");
    let server = cloudflare_api_local::Server::start(state).expect("the local API starts");
    let options = atom_sage::remote::RemoteOptions {
        credentials,
        account_id: account.map(str::to_owned),
        client: atom_sage::remote::ClientOptions {
            concurrency,
            ..common::quick_client(server.base_url())
        },
    };
    (atom_sage::remote::gather(&environments, &options), server)
}

#[test]
fn the_account_is_the_only_one_the_token_sees_or_a_clear_choice() {
    let token = || atom_sage::remote::Credentials::Token(LOCAL_TOKEN.to_owned());
    let (snapshot, _server) = gather_kv("{}", token(), None);
    assert_eq!(
        snapshot.expect("the only account is used").account_id,
        "0123456789abcdef0123456789abcdef"
    );
    let two = r#"{"accounts": [{"id": "0123456789abcdef0123456789abcdef", "name": "Shop"}, {"id": "fedcba9876543210fedcba9876543210", "name": "Blog"}]}"#;
    let (result, _server) = gather_kv(two, token(), None);
    assert_eq!(
        result.expect_err("two accounts need a choice").to_string(),
        "the token can see 2 accounts: Shop (0123456789abcdef0123456789abcdef), Blog (fedcba9876543210fedcba9876543210); choose one with CLOUDFLARE_ACCOUNT_ID or account_id in the config"
    );
}

#[test]
fn a_global_api_key_is_checked_even_when_the_account_is_known() {
    let key = atom_sage::remote::Credentials::GlobalKey {
        key: "global-key-93b1".to_owned(),
        email: "owner@example.com".to_owned(),
    };
    let (result, server) = gather_kv("{}", key, Some("0123456789abcdef0123456789abcdef"));
    // The local API takes tokens only, so it refuses the key.
    let text = result.expect_err("the key is refused").to_string();
    assert!(text.starts_with("the global API key was refused by the API (403 9109"), "{text}");
    assert!(!text.contains("93b1"));
    assert_eq!(server.count("GET", "/accounts"), 1);
}

#[test]
fn an_api_that_cannot_verify_the_token_stops_the_run() {
    let state = r#"{"faults": {"rules": [{"path": "/user/tokens/verify", "server_errors": 10}]}}"#;
    let token = atom_sage::remote::Credentials::Token(LOCAL_TOKEN.to_owned());
    let (result, server) = gather_kv(state, token, None);
    let error = result.expect_err("nothing can be checked without a verified token");
    assert!(matches!(error, RemoteError::Unreachable(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "could not verify the API token: 500 10002 An unknown error has occurred"
    );
    assert_eq!(server.count("GET", "/user/tokens/verify"), 3, "retried twice");
}

#[test]
fn a_long_retry_after_is_cut_to_the_cap() {
    // The test client caps waits at 3 s; the server asks for 60.
    let started = Instant::now();
    let (report, server) = kv_with_fault(r#""rate_limited": 1, "retry_after": 60"#);
    let waited = started.elapsed().as_secs_f64();
    assert!((3.0..10.0).contains(&waited), "waited {waited} s");
    assert_eq!(server.count("GET", KV_LIST), 2);
    assert!(verification(&report, "KV CACHE").starts_with("Verified"));
}

#[test]
fn independent_calls_run_together_within_the_pool() {
    // After the token check and the account check, three independent calls (the namespaces, the worker's secrets and
    // its settings), each answered after 300 ms.
    let state = format!(
        r#"{{"faults": {{"latency_ms": 300}}, "kv_namespaces": [{{"title": "site-CACHE", "id": "{KV_ID}"}}]}}"#
    );
    let token = || atom_sage::remote::Credentials::Token(LOCAL_TOKEN.to_owned());
    let account = Some("0123456789abcdef0123456789abcdef");
    let timed = |concurrency| {
        let started = Instant::now();
        let (snapshot, _server) = gather_kv_with(&state, token(), account, concurrency);
        assert_eq!(snapshot.expect("gathered").calls, 5);
        started.elapsed().as_millis()
    };
    // Both include the same fixed cost (the project, the server, the client); the difference is
    // the two rounds of 300 ms a pool of one adds.
    let together = timed(8);
    let one_by_one = timed(1);
    assert!(one_by_one >= 1500, "a pool of one runs the five calls in turn: {one_by_one} ms");
    assert!(
        one_by_one - together >= 450,
        "the pool of 8 saves about two rounds: {together} ms against {one_by_one} ms"
    );
}

#[test]
fn routes_beyond_the_zone_cap_are_unknown_but_the_routed_zone_is_read() {
    // 55 zones; the config routes to the last, which the first 50 do not include.
    let mut zones: Vec<String> =
        (0..54).map(|i| format!(r#"{{"name": "zone{i:02}.com"}}"#)).collect();
    zones.push(r#"{"name": "zz-shop.com"}"#.to_owned());
    let state = format!(
        r#"{{"zones": [{}], "dns_records": [{{"zone": "zz-shop.com", "type": "AAAA", "name": "api.zz-shop.com", "content": "100::", "proxied": true}}]}}"#,
        zones.join(",")
    );
    let config = "name = \"shop\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\nroutes = [{ pattern = \"api.zz-shop.com/*\", zone_name = \"zz-shop.com\" }]\n";
    let directory = write_project(&[("wrangler.toml", config)]);
    let (report, server) = run(&directory, &state);
    assert!(verification(&report, "route api.zz-shop.com/* DNS").contains("→ proxied AAAA record"));
    assert_eq!(
        verification(&report, "routes of shop in"),
        "Unknown routes of shop in 4 zones (zone50.com, ...) unknown (not read: only the routes of the first 50 zones and of those the config routes to are)"
    );
    let read = server.requests().iter().filter(|r| r.path.ends_with("/workers/routes")).count();
    assert_eq!(read, 51, "the first 50 zones and the routed one");
}

#[test]
fn what_the_api_cannot_tell_is_no_annotation() {
    use atom_sage::render::{Format, RenderContext, render};

    let (report, _server) = run(&kv_project(), &kv_state("{}"));
    let usage = verification(&report, "KV CACHE usage");
    assert!(usage.contains("unavailable (the API exposes no storage usage"), "{usage}");
    assert_eq!(report.summary.unknown, 0);
    let context = RenderContext { files: Vec::new(), color: false };
    for format in [Format::Github, Format::Concise, Format::Sarif] {
        let text = render(&report, format, &context);
        assert!(!text.contains("CACHE usage"), "{format:?} lists what no change can fix:\n{text}");
    }
}

#[test]
fn a_404_without_the_products_not_found_code_is_unknown_not_absent() {
    let config = "name = \"shop\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[secrets]\nrequired = [\"API_KEY\"]\n[[r2_buckets]]\nbinding = \"UPLOADS\"\nbucket_name = \"shop-uploads\"\n";
    let settings = "r2:\n  browser_origins: [\"https://app.example.com\"]\n  browser_methods: [GET]\n  bindings: [UPLOADS]\n";
    let directory = write_project(&[
        ("wrangler.toml", config),
        ("src/index.js", "export default { fetch: () => new Response(\"\") };\n"),
        (".atom-sage/cloudflare-config.yaml", settings),
    ]);
    let state = r#"{"workers": [{"name": "shop", "secrets": ["API_KEY"]}],
      "r2_buckets": [{"name": "shop-uploads"}],
      "faults": {"rules": [
        {"path": "/accounts/*/r2/buckets/*/cors", "server_errors": 9, "status": 404},
        {"path": "/accounts/*/workers/scripts/*/secrets", "server_errors": 9, "status": 404}
      ]}}"#;
    let (report, _server) = run(&directory, state);
    let (findings, _) = lines(&report);
    assert!(
        !findings.iter().any(|f| f.starts_with("R2004") || f.starts_with("SEC001")),
        "{findings:#?}"
    );
    let cors = verification(&report, "R2 UPLOADS CORS");
    assert!(cors.contains("unknown (404 10002 An unknown error has occurred)"), "{cors}");
    let secret = verification(&report, "secrets of shop");
    assert!(secret.contains("unknown (404 10002 An unknown error has occurred)"), "{secret}");
}

#[test]
fn a_base_url_that_is_not_the_api_root_is_not_a_refused_token() {
    let directory = kv_project();
    let project = atom_sage::Project::load(directory.path()).expect("the project loads");
    let root = project.tree.as_ref().expect("the config parses");
    let environments = atom_sage::config::resolve_environments(root, None);
    let state = cloudflare_api_local::State::from_json("{}").expect("the state parses");
    let server = cloudflare_api_local::Server::start(state).expect("the local API starts");
    let root_url = server.base_url().trim_end_matches("/client/v4").to_owned();
    let options = atom_sage::remote::RemoteOptions {
        credentials: atom_sage::remote::Credentials::Token(LOCAL_TOKEN.to_owned()),
        account_id: None,
        client: common::quick_client(&root_url),
    };
    let error = atom_sage::remote::gather(&environments, &options).expect_err("nothing routes");
    assert!(matches!(error, RemoteError::Unroutable(_)), "{error:?}");
    let text = error.to_string();
    assert!(
        text.starts_with(&format!(
            "the API at {root_url} could not route /user/tokens/verify (400 7003 "
        )),
        "{text}"
    );
    assert!(text.ends_with("CLOUDFLARE_API_BASE_URL must be the API root, ending in /client/v4"));
    assert!(!text.contains("refused"), "{text}");
}

#[test]
fn an_account_id_that_is_malformed_or_not_the_tokens_stops_the_run() {
    let token = || atom_sage::remote::Credentials::Token(LOCAL_TOKEN.to_owned());
    for (account, expected) in [
        (
            "not-an-account",
            "CLOUDFLARE_ACCOUNT_ID is \"not-an-account\", which is not an account id (32 lowercase hex digits, as shown in the dashboard URL)",
        ),
        (
            "../../zones/0123456789abcdef0123",
            "CLOUDFLARE_ACCOUNT_ID is \"../../zones/0123456789abcdef0123\", which is not an account id (32 lowercase hex digits, as shown in the dashboard URL)",
        ),
        (
            "0123456789ABCDEF0123456789ABCDEF",
            "CLOUDFLARE_ACCOUNT_ID has uppercase letters; account ids are lowercase: use 0123456789abcdef0123456789abcdef",
        ),
    ] {
        let (result, server) = gather_kv("{}", token(), Some(account));
        let error = result.expect_err("a malformed id is refused");
        assert!(matches!(error, RemoteError::Account(_)), "{error:?}");
        assert_eq!(error.to_string(), expected);
        assert_eq!(server.count("GET", "/user/tokens/verify"), 0, "refused before any call");
    }
    let (result, _server) = gather_kv("{}", token(), Some("fedcba9876543210fedcba9876543210"));
    let error = result.expect_err("an account the token cannot see is refused");
    assert!(matches!(error, RemoteError::Account(_)), "{error:?}");
    let text = error.to_string();
    assert!(
        text.starts_with("CLOUDFLARE_ACCOUNT_ID is fedcba9876543210fedcba9876543210, an account the token cannot see (it sees: "),
        "{text}"
    );
    assert!(text.contains("(0123456789abcdef0123456789abcdef)"), "{text}");
}

#[test]
fn a_secret_only_in_dev_vars_is_judged_by_the_worker_once_remote() {
    let config = "name = \"shop\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n";
    let code = "export default { fetch: (_r, env) => fetch(\"https://x\", { headers: { a: env.API_KEY } }) };\n";
    let directory = write_project(&[
        ("wrangler.toml", config),
        ("src/index.js", code),
        (".dev.vars", "API_KEY=local-value\n"),
    ]);
    let set = r#"{"workers": [{"name": "shop", "secrets": ["API_KEY"]}]}"#;
    let (report, _server) = run(&directory, set);
    let (findings, _) = lines(&report);
    assert!(!findings.iter().any(|f| f.starts_with("COD002")), "{findings:#?}");
    assert!(verification(&report, "secret API_KEY").contains("→ set on shop"));

    let unset = r#"{"workers": [{"name": "shop", "secrets": []}]}"#;
    let (report, _server) = run(&directory, unset);
    let (findings, _) = lines(&report);
    let about_key: Vec<&String> = findings.iter().filter(|f| f.contains("API_KEY")).collect();
    assert_eq!(about_key.len(), 1, "{findings:#?}");
    assert!(about_key[0].starts_with("SEC001 error"), "{about_key:?}");
}

#[test]
fn the_top_level_workers_secrets_are_checked_beside_named_environments() {
    let config = "name = \"api\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[secrets]\nrequired = [\"STRIPE_KEY\"]\n[env.production]\n[env.production.secrets]\nrequired = [\"STRIPE_KEY\"]\n";
    let code = "export default { fetch: () => new Response(\"\") };\n";
    let directory = write_project(&[("wrangler.toml", config), ("src/index.js", code)]);
    let state = r#"{"workers": [{"name": "api", "secrets": []}, {"name": "api-production", "secrets": ["STRIPE_KEY"]}]}"#;
    let (report, _server) = run(&directory, state);
    let (findings, _) = lines(&report);
    let secrets: Vec<&String> = findings.iter().filter(|f| f.starts_with("SEC001")).collect();
    assert_eq!(
        secrets,
        ["SEC001 error secrets.required lists STRIPE_KEY, but worker api has no secret STRIPE_KEY"],
        "{findings:#?}"
    );
}

#[test]
fn cors_rules_split_by_method_allow_every_pair_they_cover() {
    let config = "name = \"media\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[[r2_buckets]]\nbinding = \"UPLOADS\"\nbucket_name = \"media-uploads\"\n";
    let settings = "r2:\n  browser_origins: [\"https://a.example.com\", \"https://b.example.com\"]\n  browser_methods: [GET, PUT]\n";
    let directory = write_project(&[
        ("wrangler.toml", config),
        ("src/index.js", "export default { fetch: () => new Response(\"\") };\n"),
        (".atom-sage/cloudflare-config.yaml", settings),
    ]);
    let split = r#"{"r2_buckets": [{"name": "media-uploads", "cors": [
        {"allowed": {"methods": ["GET"], "origins": ["https://a.example.com", "https://b.example.com"]}},
        {"allowed": {"methods": ["PUT"], "origins": ["https://a.example.com", "https://b.example.com"]}}]}]}"#;
    let (report, _server) = run(&directory, split);
    let (findings, _) = lines(&report);
    assert!(!findings.iter().any(|f| f.starts_with("R2004")), "{findings:#?}");
    assert!(verification(&report, "R2 UPLOADS CORS").contains("→ allows"));

    let partial = r#"{"r2_buckets": [{"name": "media-uploads", "cors": [
        {"allowed": {"methods": ["GET"], "origins": ["https://a.example.com", "https://b.example.com"]}},
        {"allowed": {"methods": ["PUT"], "origins": ["https://a.example.com"]}}]}]}"#;
    let (report, _server) = run(&directory, partial);
    let (findings, _) = lines(&report);
    let cors: Vec<&String> = findings.iter().filter(|f| f.starts_with("R2004")).collect();
    assert_eq!(
        cors,
        [
            "R2004 error the CORS policy of R2 bucket media-uploads has no rule allowing https://b.example.com with PUT; the browser blocks those requests"
        ]
    );
}

#[test]
fn keep_vars_keeps_dashboard_vars_out_of_binding_drift() {
    let code = "export default { fetch: () => new Response(\"\") };\n";
    let state = r#"{"workers": [{"name": "shop", "bindings": [
        {"name": "FLAG", "type": "plain_text", "text": "on"},
        {"name": "LIMITS", "type": "json", "json": {"max": 3}},
        {"name": "OLD_CACHE", "type": "kv_namespace", "namespace_id": "0f2a0f2a0f2a0f2a0f2a0f2a0f2a0f2a"}]}]}"#;
    let drift = |config: &str| {
        let directory = write_project(&[("wrangler.toml", config), ("src/index.js", code)]);
        let (report, _server) = run(&directory, state);
        let (findings, _) = lines(&report);
        findings.into_iter().filter(|f| f.starts_with("ENV004")).collect::<Vec<_>>()
    };
    let base = "name = \"shop\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n";
    assert_eq!(
        drift(base),
        [
            "ENV004 warning deployed worker shop has bindings the config does not declare: FLAG (plain_text), LIMITS (json), OLD_CACHE (kv_namespace); the next deploy removes them"
        ]
    );
    assert_eq!(
        drift(&format!("{base}keep_vars = true\n")),
        [
            "ENV004 warning deployed worker shop has a binding the config does not declare: OLD_CACHE (kv_namespace); the next deploy removes it"
        ]
    );
}

#[test]
fn a_proxied_wildcard_record_serves_a_route_one_label_down() {
    let config = "name = \"shop\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\nroutes = [{ pattern = \"wild.example.com/*\", zone_name = \"example.com\" }, { pattern = \"own.example.com/*\", zone_name = \"example.com\" }, { pattern = \"a.b.example.com/*\", zone_name = \"example.com\" }]\n";
    let code = "export default { fetch: () => new Response(\"\") };\n";
    let directory = write_project(&[("wrangler.toml", config), ("src/index.js", code)]);
    let state = r#"{"zones": [{"name": "example.com"}], "dns_records": [
        {"zone": "example.com", "type": "AAAA", "name": "*.example.com", "content": "100::", "proxied": true},
        {"zone": "example.com", "type": "A", "name": "own.example.com", "content": "192.0.2.1", "proxied": false}]}"#;
    let (report, _server) = run(&directory, state);
    let (findings, _) = lines(&report);
    let dns: Vec<&String> = findings.iter().filter(|f| f.starts_with("RTE007")).collect();
    assert_eq!(dns.len(), 2, "{findings:#?}");
    assert!(dns[0].contains("own.example.com/*") && dns[0].contains("DNS-only"), "{dns:?}");
    assert!(
        dns[1].contains("a.b.example.com/*") && dns[1].contains("no A, AAAA or CNAME"),
        "{dns:?}"
    );
    assert!(
        verification(&report, "route wild.example.com/* DNS").contains("→ proxied AAAA record")
    );
}

#[test]
fn a_custom_migrations_table_is_not_schema_drift() {
    let config = "name = \"app\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[[d1_databases]]\nbinding = \"DB\"\ndatabase_name = \"app-db\"\ndatabase_id = \"11111111-2222-3333-4444-555555555555\"\nmigrations_table = \"drizzle_migrations\"\n";
    let directory = write_project(&[
        ("wrangler.toml", config),
        ("migrations/0001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"),
        (
            "src/index.js",
            "export default { fetch: (_r, env) => env.DB.prepare(\"SELECT id FROM users\").all() };\n",
        ),
    ]);
    let state = r#"{"d1_databases": [{"name": "app-db", "uuid": "11111111-2222-3333-4444-555555555555",
        "tables": ["users"],
        "sql": ["CREATE TABLE drizzle_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)",
                "INSERT INTO drizzle_migrations (name) VALUES ('0001_users.sql')"]}]}"#;
    let (report, _server) = run(&directory, state);
    let (findings, _) = lines(&report);
    assert!(!findings.iter().any(|f| f.starts_with("D1013")), "{findings:#?}");
    assert!(verification(&report, "D1 DB schema").contains("→ app-db matches migrations/"));
}

#[test]
fn a_section_with_unknowns_never_says_ok() {
    use atom_sage::render::{Format, RenderContext, render};

    let (report, _server) = kv_with_fault(r#""server_errors": 9, "status": 503"#);
    let context = RenderContext { files: Vec::new(), color: false };
    let text = render(&report, Format::Pretty, &context);
    let header = text
        .lines()
        .find(|line| line.contains("Checking KV namespace bindings..."))
        .unwrap_or_else(|| panic!("no KV section:\n{text}"));
    assert!(header.ends_with("... 1 unknown"), "{header}");
}

#[test]
fn a_consumer_of_a_missing_queue_fails_the_deploy() {
    let config = "name = \"jobs\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[[queues.consumers]]\nqueue = \"thumbs\"\n";
    let code = "export default { queue: async () => {} };\n";
    let directory = write_project(&[("wrangler.toml", config), ("src/index.js", code)]);
    let (report, _server) = run(&directory, r#"{"queues": [{"queue_name": "other"}]}"#);
    let (findings, _) = lines(&report);
    let queue: Vec<&String> = findings.iter().filter(|f| f.starts_with("QUE002")).collect();
    assert_eq!(queue.len(), 1, "{findings:#?}");
    assert!(
        queue[0].ends_with(
            "the deploy fails: wrangler cannot attach a consumer to a queue that does not exist"
        ),
        "{queue:?}"
    );
}
