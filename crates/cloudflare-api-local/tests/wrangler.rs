//! Real wrangler 4.86.0 against the server: D1 migrations listed and applied (the tables really
//! exist in the SQLite file afterwards), KV namespaces listed, a Worker deployed twice, a secret
//! put, listed and deleted, deployments and versions listed, two rollbacks, a version uploaded
//! and then deployed, a query through
//! `d1 execute`, `whoami` and `delete`, each checked through the API's own endpoints or the file.
//!
//! Skipped, saying so, when `node_modules` has no wrangler (`npm ci` installs it; CI runs it).

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cloudflare_api_local::{
    DEFAULT_ACCOUNT_ID as ACCOUNT, DEFAULT_TOKEN as TOKEN, Server, State, ids,
};
use serde_json::{Value, json};
use support::get;

const DATABASE_ID: &str = "41234567-89ab-4cde-8f01-23456789abcd";

struct Wrangler {
    binary: PathBuf,
    project: PathBuf,
    home: tempfile::TempDir,
    base_url: String,
}

struct Run {
    success: bool,
    output: String,
}

impl Wrangler {
    /// wrangler run in `project` against `server`, with a fresh home directory.
    fn new(binary: PathBuf, project: &Path, server: &Server) -> Wrangler {
        Wrangler {
            binary,
            project: project.to_path_buf(),
            home: tempfile::tempdir().unwrap(),
            base_url: server.base_url().to_owned(),
        }
    }

    /// Runs `wrangler ARGS` in the project against the server, with `stdin` piped in.
    fn run(&self, args: &[&str], stdin: &str) -> Run {
        let mut child = Command::new(&self.binary)
            .args(args)
            .current_dir(&self.project)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path())
            .env("CLOUDFLARE_API_BASE_URL", &self.base_url)
            .env("CLOUDFLARE_API_TOKEN", TOKEN)
            .env("CLOUDFLARE_ACCOUNT_ID", ACCOUNT)
            .env("WRANGLER_SEND_METRICS", "false")
            // The banner checks npm for a newer wrangler; nothing may leave the machine.
            .env("WRANGLER_HIDE_BANNER", "true")
            .env("CI", "1")
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("wrangler starts");
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let output = child.wait_with_output().expect("wrangler finishes");
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        Run { success: output.status.success(), output: text }
    }

    fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args, "");
        assert!(run.success, "wrangler {args:?} failed:\n{}", run.output);
        run.output
    }
}

fn wrangler_binary() -> Option<PathBuf> {
    let binary = support::repository_root().join("node_modules/.bin/wrangler");
    binary.is_file().then_some(binary)
}

fn write_project(root: &Path, greeting: &str) {
    let kv_id = ids::hex32("kv:shop-CACHE");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join("migrations")).unwrap();
    std::fs::write(
        root.join("wrangler.toml"),
        format!(
            r#"name = "shop"
main = "src/index.js"
compatibility_date = "2025-06-01"
routes = [
  {{ pattern = "shop.example.com/*", zone_name = "example.com" }},
  {{ pattern = "app.example.com", custom_domain = true }},
]

[vars]
GREETING = "{greeting}"

[[kv_namespaces]]
binding = "CACHE"
id = "{kv_id}"

[[d1_databases]]
binding = "DB"
database_name = "shop-db"
database_id = "{DATABASE_ID}"

[triggers]
crons = ["0 * * * *"]
"#
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("src/index.js"),
        "export default {\n  async fetch(request, env) {\n    return new Response(env.GREETING);\n  },\n  async scheduled() {},\n};\n",
    )
    .unwrap();
    std::fs::write(
        root.join("migrations/0001_users.sql"),
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n",
    )
    .unwrap();
    std::fs::write(
        root.join("migrations/0002_orders.sql"),
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER);\n",
    )
    .unwrap();
}

fn api(server: &Server, path: &str) -> Value {
    api_of(server, "shop", path)
}

fn api_of(server: &Server, script: &str, path: &str) -> Value {
    let answer = get(
        server.base_url(),
        &format!("/accounts/{ACCOUNT}/workers/scripts/{script}{path}"),
        TOKEN,
    );
    assert_eq!(answer.status, 200, "{path}: {}", String::from_utf8_lossy(&answer.raw));
    answer.json()["result"].clone()
}

fn greeting(server: &Server) -> Value {
    let settings = api(server, "/settings");
    let bindings = settings["bindings"].as_array().unwrap();
    bindings.iter().find(|b| b["name"] == "GREETING").map_or(Value::Null, |b| b["text"].clone())
}

fn current_version(server: &Server) -> String {
    let deployments = api(server, "/deployments");
    deployments["deployments"][0]["versions"][0]["version_id"].as_str().unwrap().to_owned()
}

#[test]
fn wrangler_migrates_deploys_and_rolls_back_against_the_server() {
    let Some(binary) = wrangler_binary() else {
        eprintln!("SKIPPED: node_modules/.bin/wrangler is missing; run `npm ci` in the repository");
        return;
    };
    let state = json!({
        "kv_namespaces": [{ "title": "shop-CACHE" }, { "title": "shop-SESSIONS" }],
        "d1_databases": [{ "name": "shop-db", "uuid": DATABASE_ID, "d1_migrations": [] }],
        "zones": [{ "name": "example.com" }],
    });
    let server = Server::start(State::from_json(&state.to_string()).unwrap()).unwrap();
    let project = tempfile::tempdir().unwrap();
    write_project(project.path(), "hello");
    let wrangler = Wrangler::new(binary, project.path(), &server);

    // KV: the state's namespaces, by title.
    let listed = wrangler.ok(&["kv", "namespace", "list"]);
    assert!(listed.contains("\"shop-CACHE\"") && listed.contains("\"shop-SESSIONS\""), "{listed}");

    // D1: both migrations pending, then applied for real, then none pending.
    let pending = wrangler.ok(&["d1", "migrations", "list", "DB", "--remote"]);
    assert!(pending.contains("0001_users.sql") && pending.contains("0002_orders.sql"), "{pending}");
    wrangler.ok(&["d1", "migrations", "apply", "DB", "--remote"]);
    let connection = rusqlite::Connection::open(server.d1_path("shop-db").unwrap()).unwrap();
    let names = |sql: &str| -> Vec<String> {
        let mut statement = connection.prepare(sql).unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let tables = names(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('users', 'orders') ORDER BY name",
    );
    assert_eq!(tables, ["orders", "users"]);
    let applied = names("SELECT name FROM d1_migrations ORDER BY id");
    assert_eq!(applied, ["0001_users.sql", "0002_orders.sql"]);
    let none = wrangler.ok(&["d1", "migrations", "list", "DB", "--remote"]);
    assert!(none.contains("No migrations to apply"), "{none}");

    // First deploy: a new Worker, one version deployed at 100%, with the config's bindings,
    // cron trigger and route.
    wrangler.ok(&["deploy"]);
    assert_eq!(api(&server, "/versions")["items"].as_array().unwrap().len(), 1);
    assert_eq!(greeting(&server), "hello");
    let settings = api(&server, "/settings");
    let kinds: Vec<(&str, &str)> = settings["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["name"].as_str().unwrap(), b["type"].as_str().unwrap()))
        .collect();
    assert!(
        kinds.contains(&("CACHE", "kv_namespace")) && kinds.contains(&("DB", "d1")),
        "{kinds:?}"
    );
    assert_eq!(settings["compatibility_date"], "2025-06-01");
    assert_eq!(api(&server, "/schedules")["schedules"][0]["cron"], "0 * * * *");
    assert_eq!(api(&server, "/routes")[0]["pattern"], "shop.example.com/*");
    let domains = get(server.base_url(), &format!("/accounts/{ACCOUNT}/workers/domains"), TOKEN);
    assert_eq!(domains.json()["result"][0]["hostname"], "app.example.com");
    assert_eq!(domains.json()["result"][0]["service"], "shop");
    let first = current_version(&server);

    // Second deploy: a new version and a new deployment.
    write_project(project.path(), "hello again");
    wrangler.ok(&["deploy"]);
    assert_eq!(api(&server, "/deployments")["deployments"].as_array().unwrap().len(), 2);
    assert_eq!(greeting(&server), "hello again");
    let second = current_version(&server);
    assert_ne!(first, second);

    // A secret through stdin: listed by name, and it is a new version.
    let put = wrangler.run(&["secret", "put", "API_KEY"], "a-secret-value\n");
    assert!(put.success, "{}", put.output);
    assert!(wrangler.ok(&["secret", "list"]).contains("\"API_KEY\""));
    let with_secret = current_version(&server);

    let deployments = wrangler.ok(&["deployments", "list"]);
    assert!(deployments.contains(&first) && deployments.contains(&second), "{deployments}");
    let versions = wrangler.ok(&["versions", "list"]);
    assert!(
        [&first, &second, &with_secret].iter().all(|id| versions.contains(id.as_str())),
        "{versions}"
    );

    // Rollback without a version: the deployment before the newest. The secret changed since
    // then, so the first POST is refused with 10220 and wrangler repeats it with force.
    wrangler.ok(&["rollback", "-y"]);
    assert_eq!(current_version(&server), second);
    let posts: Vec<(String, u16)> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/workers/scripts/shop/deployments"))
        .map(|r| (r.query, r.status))
        .collect();
    assert_eq!(posts[posts.len() - 2..], [(String::new(), 400), ("force=true".to_owned(), 200)]);

    // Rollback to a named version.
    wrangler.ok(&["rollback", &first, "-y"]);
    assert_eq!(current_version(&server), first);
    assert_eq!(greeting(&server), "hello");
    assert_eq!(
        api(&server, "/deployments")["deployments"][0]["annotations"]["workers/triggered_by"],
        "rollback"
    );

    // A version uploaded without deploying it, then deployed.
    let deployments_before = api(&server, "/deployments")["deployments"].as_array().unwrap().len();
    wrangler.ok(&["versions", "upload"]);
    let uploaded = api(&server, "/versions")["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        api(&server, "/deployments")["deployments"].as_array().unwrap().len(),
        deployments_before
    );
    assert_eq!(current_version(&server), first);
    wrangler.ok(&["versions", "deploy", &format!("{uploaded}@100%"), "-y"]);
    assert_eq!(current_version(&server), uploaded);

    // A secret put and deleted again; queries through `d1 execute`; who the token belongs to.
    assert!(wrangler.run(&["secret", "put", "API_KEY"], "another-value\n").success);
    wrangler.ok(&["secret", "delete", "API_KEY"]);
    assert_eq!(api(&server, "/secrets"), json!([]));
    let insert = "INSERT INTO users (email) VALUES ('ada@example.com')";
    wrangler.ok(&["d1", "execute", "DB", "--remote", "--command", insert]);
    let emails = names("SELECT email FROM users");
    assert_eq!(emails, ["ada@example.com"]);
    assert!(wrangler.ok(&["whoami"]).contains("dev@example.com"));

    // Deleting the Worker removes it, its routes and its custom domains.
    wrangler.ok(&["delete", "--force"]);
    let gone = get(
        server.base_url(),
        &format!("/accounts/{ACCOUNT}/workers/scripts/shop/settings"),
        TOKEN,
    );
    assert_eq!(gone.error_codes(), [10007]);
    let zone_id = ids::hex32("zone:example.com");
    let routes = get(server.base_url(), &format!("/zones/{zone_id}/workers/routes"), TOKEN).json();
    assert_eq!(routes["result"], json!([]));
    let domains = get(server.base_url(), &format!("/accounts/{ACCOUNT}/workers/domains"), TOKEN);
    assert_eq!(domains.json()["result"], json!([]));

    // Whatever wrangler asked that the server does not serve shows in the log as 7003.
    let unknown: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.status == 400 && !r.path.ends_with("/deployments"))
        .map(|r| r.path)
        .collect();
    assert!(unknown.is_empty(), "paths wrangler called that got 400: {unknown:?}");
}

#[test]
fn wrangler_lists_what_the_state_holds() {
    let Some(binary) = wrangler_binary() else {
        eprintln!("SKIPPED: node_modules/.bin/wrangler is missing; run `npm ci` in the repository");
        return;
    };
    let state = json!({
        "d1_databases": [{ "name": "shop-db", "uuid": DATABASE_ID, "tables": ["users", "orders"] }],
        "r2_buckets": [{ "name": "shop-assets" }, { "name": "shop-eu", "jurisdiction": "eu" }],
        "queues": [{ "queue_name": "shop-jobs" }],
        "hyperdrive_configs": [{ "name": "shop-pg", "origin": { "host": "pg.internal.example" } }],
        "vectorize_indexes": [{ "name": "shop-embeddings", "config": { "dimensions": 384, "metric": "euclidean" } }],
    });
    let server = Server::start(State::from_json(&state.to_string()).unwrap()).unwrap();
    let project = tempfile::tempdir().unwrap();
    let wrangler = Wrangler::new(binary, project.path(), &server);

    let databases = wrangler.ok(&["d1", "list", "--json"]);
    assert!(databases.contains(DATABASE_ID) && databases.contains("shop-db"), "{databases}");
    let info = wrangler.ok(&["d1", "info", "shop-db", "--json"]);
    assert!(info.contains("\"num_tables\": 2"), "{info}");
    let buckets = wrangler.ok(&["r2", "bucket", "list"]);
    assert!(buckets.contains("shop-assets") && !buckets.contains("shop-eu"), "{buckets}");
    let queues = wrangler.ok(&["queues", "list"]);
    assert!(queues.contains("shop-jobs"), "{queues}");
    let configs = wrangler.ok(&["hyperdrive", "list"]);
    assert!(configs.contains("shop-pg") && configs.contains("pg.internal.example"), "{configs}");
    let indexes = wrangler.ok(&["vectorize", "list"]);
    assert!(
        indexes.contains("shop-embeddings")
            && indexes.contains("384")
            && indexes.contains("euclidean"),
        "{indexes}"
    );
}

#[test]
fn wrangler_deploys_a_durable_object_class_with_its_migration() {
    let Some(binary) = wrangler_binary() else {
        eprintln!("SKIPPED: node_modules/.bin/wrangler is missing; run `npm ci` in the repository");
        return;
    };
    let server = Server::start(State::default()).unwrap();
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(project.path().join("src")).unwrap();
    std::fs::write(
        project.path().join("wrangler.toml"),
        r#"name = "rooms"
main = "src/index.js"
compatibility_date = "2025-06-01"

[[durable_objects.bindings]]
name = "ROOM"
class_name = "Room"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Room"]
"#,
    )
    .unwrap();
    std::fs::write(
        project.path().join("src/index.js"),
        "import { DurableObject } from \"cloudflare:workers\";\nexport class Room extends DurableObject {}\nexport default {\n  async fetch() {\n    return new Response(\"ok\");\n  },\n};\n",
    )
    .unwrap();
    let wrangler = Wrangler::new(binary, project.path(), &server);

    wrangler.ok(&["deploy"]);
    let namespaces = get(
        server.base_url(),
        &format!("/accounts/{ACCOUNT}/workers/durable_objects/namespaces"),
        TOKEN,
    );
    let namespace = namespaces.json()["result"][0].clone();
    assert_eq!(
        (namespace["class"].clone(), namespace["use_sqlite"].clone()),
        (json!("Room"), json!(true))
    );
    let scripts =
        get(server.base_url(), &format!("/accounts/{ACCOUNT}/workers/scripts"), TOKEN).json();
    assert_eq!(scripts["result"][0]["migration_tag"], "v1");

    // The second deploy finds the tag applied and sends no migration.
    wrangler.ok(&["deploy"]);
    assert_eq!(
        api_of(&server, "rooms", "/deployments")["deployments"].as_array().unwrap().len(),
        2
    );
}
