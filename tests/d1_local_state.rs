//! Local D1 state as a real wrangler 4.86.0 leaves it: `wrangler d1 migrations apply --local`
//! runs on a project, a migration is added afterwards, and atom-sage names it as not applied.

use std::path::Path;
use std::process::Command;

use atom_sage::{Options, check};

/// Runs the project's wrangler with telemetry, update checks and every registry lookup pointed
/// away from the network.
fn wrangler(project: &Path, args: &[&str]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let wrangler = root.join("node_modules/.bin/wrangler");
    assert!(wrangler.is_file(), "wrangler is not installed: run `npm ci` (scripts/test.sh does)");
    let home = project.join(".home");
    std::fs::create_dir_all(&home).expect("a home directory");
    let output = Command::new(wrangler)
        .args(args)
        .current_dir(project)
        .env("HOME", &home)
        .env("CI", "true")
        .env("WRANGLER_SEND_METRICS", "false")
        .env("WRANGLER_SEND_ERROR_REPORTS", "false")
        .env("WRANGLER_LOG_PATH", home.join("wrangler.log"))
        .env("NO_UPDATE_NOTIFIER", "1")
        .env("npm_config_registry", "http://127.0.0.1:9/")
        .env("npm_registry", "http://127.0.0.1:9/")
        .env("CLOUDFLARE_API_BASE_URL", "http://127.0.0.1:9/client/v4")
        .output()
        .expect("wrangler runs");
    assert!(
        output.status.success(),
        "wrangler {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn migrations_wrangler_has_not_applied_locally_are_named() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let project = directory.path();
    std::fs::create_dir_all(project.join("migrations")).expect("a directory");
    std::fs::create_dir_all(project.join("src")).expect("a directory");
    std::fs::write(
        project.join("wrangler.toml"),
        "name = \"local-state\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n\n[[d1_databases]]\nbinding = \"DB\"\ndatabase_name = \"local-state\"\ndatabase_id = \"11111111-2222-3333-4444-555555555555\"\n",
    )
    .expect("written");
    std::fs::write(project.join("src/index.js"), "export default { fetch(r, env) { return env.DB.prepare(\"SELECT id FROM users\").all(); } };\n").expect("written");
    std::fs::write(
        project.join("migrations/0001_users.sql"),
        "CREATE TABLE users (id TEXT PRIMARY KEY);\n",
    )
    .expect("written");

    wrangler(project, &["d1", "migrations", "apply", "DB", "--local"]);
    let report = check(project, &Options::default()).expect("checks");
    assert!(report.diagnostics.iter().all(|d| d.code != "D1010"), "{:?}", report.diagnostics);

    std::fs::write(project.join("migrations/0002_orders.sql"), "CREATE TABLE orders (id TEXT);\n")
        .expect("written");
    std::fs::write(
        project.join("migrations/0003_index.sql"),
        "CREATE INDEX orders_by_id ON orders (id);\n",
    )
    .expect("written");
    let report = check(project, &Options::default()).expect("checks");
    let pending: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "D1010")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        pending,
        [
            "2 migrations are not applied to the local database of DB yet: 0002_orders.sql, 0003_index.sql"
        ]
    );
}
