//! `atom-sage deploy` and `atom-sage rollback` as users run them: a copy of examples/full-stack,
//! real wrangler 4.86.0 from `node_modules/.bin`, the local Cloudflare API on loopback as the
//! account, and an HTTP server on 127.0.0.1 as the worker's health endpoint.
//!
//! Skipped, saying so, when `node_modules` has no wrangler (`npm ci` installs it).

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cloudflare_api_local::{DEFAULT_ACCOUNT_ID as ACCOUNT, DEFAULT_TOKEN as TOKEN, Server, State};
use serde_json::Value;

const STAGING_DATABASE: &str = "2b7c1a4e-8d3f-4c6b-9a2e-5f1d0c3b7a61";

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn wrangler_bin() -> Option<PathBuf> {
    let bin = repository().join("node_modules/.bin");
    if bin.join("wrangler").is_file() {
        Some(bin)
    } else {
        eprintln!("skipped: no node_modules/.bin/wrangler; run `npm ci` first");
        None
    }
}

/// A copy of examples/full-stack, the account it deploys to, and a home for wrangler.
struct Fixture {
    root: tempfile::TempDir,
    home: tempfile::TempDir,
    bin: PathBuf,
    server: Server,
}

impl Fixture {
    fn new() -> Option<Fixture> {
        Fixture::with_account(|_| {})
    }

    /// The fixture with the example's account state changed by `edit`.
    fn with_account(edit: impl FnOnce(&mut Value)) -> Option<Fixture> {
        let bin = wrangler_bin()?;
        let example = repository().join("examples/full-stack");
        let state = std::fs::read_to_string(example.join("account-state.json")).unwrap();
        let mut state: Value = serde_json::from_str(&state).unwrap();
        edit(&mut state);
        let server = Server::start(State::from_json(&state.to_string()).unwrap()).unwrap();
        let root = tempfile::tempdir().unwrap();
        let project = root.path().join("notes-api");
        for dir in ["src", "migrations"] {
            std::fs::create_dir_all(project.join(dir)).unwrap();
            for file in std::fs::read_dir(example.join(dir)).unwrap() {
                let file = file.unwrap().path();
                std::fs::copy(&file, project.join(dir).join(file.file_name().unwrap())).unwrap();
            }
        }
        for file in ["wrangler.toml", "package.json"] {
            std::fs::copy(example.join(file), project.join(file)).unwrap();
        }
        Some(Fixture { root, home: tempfile::tempdir().unwrap(), bin, server })
    }

    fn project(&self) -> PathBuf {
        self.root.path().join("notes-api")
    }

    fn edit_config(&self, from: &str, to: &str) {
        let path = self.project().join("wrangler.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "the config has `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn settings(&self, text: &str) {
        std::fs::create_dir_all(self.project().join(".atom-sage")).unwrap();
        std::fs::write(self.project().join(".atom-sage/cloudflare-config.yaml"), text).unwrap();
    }

    /// atom-sage in the project, pointed at the local API; nothing can reach another host.
    fn command(&self, args: &[&str]) -> Command {
        self.command_of(env!("CARGO_BIN_EXE_atom-sage"), args)
    }

    fn command_of(&self, program: &str, args: &[&str]) -> Command {
        let mut command = Command::new(program);
        let path = format!("{}:{}", self.bin.display(), std::env::var("PATH").unwrap_or_default());
        command
            .args(args)
            .current_dir(self.project())
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path())
            .env("CLOUDFLARE_API_BASE_URL", self.server.base_url())
            .env("CLOUDFLARE_API_TOKEN", TOKEN)
            .env("CLOUDFLARE_ACCOUNT_ID", ACCOUNT)
            .env("WRANGLER_SEND_METRICS", "false")
            // The banner asks npm for a newer wrangler; nothing may leave the machine.
            .env("WRANGLER_HIDE_BANNER", "true")
            .env("CI", "1")
            .env("NO_COLOR", "1")
            .env("USER", "tester")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CEILING_DIRECTORIES", self.root.path())
            .stdin(Stdio::null());
        command
    }

    /// Exit code, stdout and stderr; the token appears in none of them.
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.run_of(env!("CARGO_BIN_EXE_atom-sage"), args)
    }

    fn run_of(&self, program: &str, args: &[&str]) -> (i32, String, String) {
        let output = self.command_of(program, args).output().expect("atom-sage runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN), "the token was printed");
        (output.status.code().expect("an exit code"), stdout, stderr)
    }

    /// The trail's entries; the token is in no file atom-sage wrote.
    fn trail(&self) -> Vec<Value> {
        assert_no_token_under(&self.project().join(".atom-sage"));
        let text = std::fs::read_to_string(self.project().join(".atom-sage/trail.jsonl"))
            .unwrap_or_default();
        text.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
    }

    fn api(&self, path: &str) -> Value {
        self.call("GET", path, "")
    }

    fn call(&self, method: &str, path: &str, body: &str) -> Value {
        let base = self.server.base_url().strip_prefix("http://").unwrap();
        let (host, prefix) = base.split_once('/').unwrap();
        let mut stream = std::net::TcpStream::connect(host).unwrap();
        write!(
            stream,
            "{method} /{prefix}{path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let (_, body) = answer.split_once("\r\n\r\n").unwrap();
        serde_json::from_str(body).unwrap()
    }

    /// The versions of the newest deployment of `worker`, `(version, percentage)`.
    fn serving(&self, worker: &str) -> Vec<(String, u64)> {
        let answer = self.api(&format!("/accounts/{ACCOUNT}/workers/scripts/{worker}/deployments"));
        answer["result"]["deployments"][0]["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (v["version_id"].as_str().unwrap().to_owned(), v["percentage"].as_u64().unwrap())
            })
            .collect()
    }

    fn uploads(&self) -> usize {
        self.server
            .requests()
            .iter()
            .filter(|r| r.method != "GET" && r.path.contains("/workers/scripts/"))
            .count()
    }
}

fn assert_no_token_under(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            assert_no_token_under(&path);
        } else {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(!text.contains(TOKEN), "{} holds the token", path.display());
        }
    }
}

/// An HTTP server on 127.0.0.1 answering every request with the status it is set to.
struct Health {
    url: String,
    status: Arc<AtomicU16>,
    hits: Arc<AtomicUsize>,
}

impl Health {
    fn start(status: u16) -> Health {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/health", listener.local_addr().unwrap());
        let status = Arc::new(AtomicU16::new(status));
        let hits = Arc::new(AtomicUsize::new(0));
        let (answer, count) = (Arc::clone(&status), Arc::clone(&hits));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                count.fetch_add(1, Ordering::SeqCst);
                let code = answer.load(Ordering::SeqCst);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {code} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                );
            }
        });
        Health { url, status, hits }
    }
}

fn outcomes(trail: &[Value]) -> Vec<(String, String, String)> {
    trail
        .iter()
        .map(|e| {
            let text = |key: &str| e[key].as_str().unwrap_or("top").to_owned();
            (text("action"), text("environment"), text("outcome"))
        })
        .collect()
}

fn tuple(items: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    items.iter().map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned())).collect()
}

#[test]
fn deploys_staging_and_production_with_rollback_points_and_a_health_check() {
    let Some(fixture) = Fixture::new() else { return };
    let health = Health::start(200);
    fixture.settings(&format!(
        "deploy:\n  health_checks:\n    - url: {}\n      env: staging\n  verify:\n    requests: 4\n    timeout_ms: 2000\n",
        health.url
    ));
    let staging_before = fixture.serving("notes-api-staging");

    let (code, stdout, stderr) = fixture.run(&["deploy", "--env", "staging"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("0 errors, 0 warnings"), "{stdout}");
    assert!(stdout.contains("Uploaded notes-api-staging"), "wrangler's output is shown: {stdout}");
    assert!(
        stdout.contains(&format!("verify: ok {}: 4/4 healthy, latency min ", health.url)),
        "{stdout}"
    );
    assert_eq!(health.hits.load(Ordering::SeqCst), 4);
    let staging_after = fixture.serving("notes-api-staging");
    assert_eq!(staging_after.len(), 1);
    assert_eq!(staging_after[0].1, 100);
    assert_ne!(staging_after[0].0, staging_before[0].0, "a new version serves");
    assert!(
        stdout
            .contains(&format!("now serves {} (was {})", staging_after[0].0, staging_before[0].0)),
        "{stdout}"
    );

    // A warning asks on a terminal; here stdin is not one, which answers yes and says so.
    fixture.edit_config("LOG_LEVEL = \"info\"", "LOG_LEVEL = \"info\"\nDEBUG = \"true\"");
    let (code, stdout, stderr) =
        fixture.run(&["deploy", "--env", "production", "--intent", "ship notes v2"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("warning[VAR002]"), "{stdout}");
    assert!(
        stderr.contains(
            "1 warning above. Continuing: stdin is not a terminal, so nobody can be asked."
        ),
        "{stderr}"
    );
    assert!(
        stdout.contains("verify: no health check configured; the deploy is not verified"),
        "the staging-only check is not run for production: {stdout}"
    );
    assert_eq!(health.hits.load(Ordering::SeqCst), 4);
    let production = fixture.serving("notes-api-production");

    let trail = fixture.trail();
    assert_eq!(
        outcomes(&trail),
        tuple(&[
            ("DEPLOY", "staging", "started"),
            ("DEPLOY", "staging", "succeeded"),
            ("DEPLOY", "production", "started"),
            ("DEPLOY", "production", "succeeded"),
        ])
    );
    assert_eq!(trail[1]["operation"], trail[0]["tag"]);
    assert_eq!(trail[0]["version_ids"]["before"], staging_before[0].0.as_str());
    assert_eq!(trail[1]["version_ids"]["after"], staging_after[0].0.as_str());
    assert_eq!(trail[3]["version_ids"]["after"], production[0].0.as_str());
    assert_eq!(trail[2]["intent"], "ship notes v2");
    assert_eq!(trail[0]["findings"]["errors"], 0);
    assert_eq!(trail[2]["findings"]["warnings"], 1);
    assert_eq!(
        trail[0]["rollback_command"],
        format!("atom-sage rollback --env staging --to {} -y", staging_before[0].0)
    );

    let points = fixture.project().join(".atom-sage/rollback/notes-api-staging");
    let files: Vec<_> = std::fs::read_dir(&points).unwrap().collect();
    assert_eq!(files.len(), 1);
    let point: Value =
        serde_json::from_str(&std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap())
            .unwrap();
    assert_eq!(point["version_id"], staging_before[0].0.as_str());
    assert_eq!(point["account_id"], ACCOUNT);
    assert_eq!(point["secrets"], serde_json::json!([]));
    assert_eq!(
        point["d1_migrations"][STAGING_DATABASE],
        serde_json::json!(["0001_create_notes.sql", "0002_index_notes_by_owner.sql"])
    );
}

#[test]
fn a_failed_health_check_rolls_the_deploy_back() {
    let Some(fixture) = Fixture::new() else { return };
    let health = Health::start(200);
    fixture.settings(&format!(
        "deploy:\n  health_checks: [{{url: \"{}\"}}]\n  verify:\n    requests: 2\n",
        health.url
    ));
    let (code, stdout, stderr) = fixture.run(&["deploy", "--env", "staging", "-y"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let good = fixture.serving("notes-api-staging")[0].0.clone();

    health.status.store(500, Ordering::SeqCst);
    fixture.edit_config("LOG_LEVEL = \"debug\"", "LOG_LEVEL = \"trace\"");
    let (code, stdout, stderr) = fixture.run(&["deploy", "--env", "staging", "-y"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("verify: FAILED {}: 0/2 healthy", health.url)), "{stdout}");
    assert!(stdout.contains("answered 500, expected a 2xx status"), "{stdout}");
    assert!(
        stdout.contains(&format!("rollback: notes-api-staging serves {good} again")),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "changed with the version: var LOG_LEVEL (plain_text) points elsewhere or holds another value"
        ),
        "{stdout}"
    );
    assert_eq!(fixture.serving("notes-api-staging"), [(good.clone(), 100)]);

    let trail = fixture.trail();
    let last = trail.last().unwrap();
    assert_eq!(last["outcome"], "rolled_back");
    assert_eq!(last["version_ids"]["before"], good.as_str());
    assert_eq!(last["version_ids"]["after"], good.as_str());
    let reason = last["reason"].as_str().unwrap();
    // The version that failed is named, since `after` is the one serving again.
    assert!(
        reason.starts_with("verification of version ") && reason.ends_with(" failed; rolled back"),
        "{reason}"
    );
    assert!(!reason.contains(good.as_str()), "{reason}");

    // The last rollback point's version serves again: a rollback now has nothing to undo.
    let entries = fixture.trail().len();
    let (code, stdout, stderr) = fixture.run(&["rollback", "--env", "staging", "-y"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("rollback: nothing to do: notes-api-staging already serves"),
        "{stdout}"
    );
    assert_eq!(fixture.trail().len(), entries, "nothing was recorded");
    assert_eq!(fixture.serving("notes-api-staging"), [(good.clone(), 100)]);

    // With auto_rollback off, the failed version stays and the outcome is `failed`.
    fixture.settings(&format!(
        "deploy:\n  health_checks: [{{url: \"{}\"}}]\n  auto_rollback: false\n  verify:\n    requests: 1\n  retention:\n    count: 2\n",
        health.url
    ));
    let (code, stdout, _) = fixture.run(&["deploy", "--env", "staging", "-y"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("not rolled back (deploy.auto_rollback is off)"), "{stdout}");
    assert_ne!(fixture.serving("notes-api-staging"), [(good, 100)]);
    assert_eq!(fixture.trail().last().unwrap()["outcome"], "failed");
    // Three deploys, three rollback points; the settings keep the newest two.
    let points = fixture.project().join(".atom-sage/rollback/notes-api-staging");
    assert_eq!(std::fs::read_dir(points).unwrap().count(), 2);
}

#[test]
fn errors_stop_the_deploy_before_anything_is_uploaded_unless_forced_with_a_reason() {
    let Some(fixture) = Fixture::new() else { return };
    fixture.edit_config("id = \"5c2e0b1d9a8f4e3c7b6a5d4c3b2a1f0e\"", "id = \"placeholder-kv-id\"");
    let (code, stdout, stderr) = fixture.run(&["deploy", "--env", "staging"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stdout.contains("KV001"), "{stdout}");
    assert!(stderr.contains("not deploying notes-api-staging: "), "{stderr}");
    assert_eq!(fixture.uploads(), 0, "wrangler never reached the API");
    let trail = fixture.trail();
    assert_eq!(outcomes(&trail), tuple(&[("DEPLOY", "staging", "aborted")]));
    assert!(trail[0]["findings"]["errors"].as_u64().unwrap() >= 1);
    assert!(trail[0]["findings"]["codes"].as_array().unwrap().contains(&"KV001".into()));
    assert!(!fixture.project().join(".atom-sage/rollback").exists(), "no rollback point");

    let (code, _, stderr) = fixture.run(&["deploy", "--env", "staging", "--force"]);
    assert_eq!(code, 2, "--force needs a reason");
    assert!(stderr.contains("--reason"), "{stderr}");
    assert_eq!(fixture.uploads(), 0);

    // An error the API itself accepts: a secret-looking var. Forced, it deploys, with the reason.
    fixture.edit_config("id = \"placeholder-kv-id\"", "id = \"5c2e0b1d9a8f4e3c7b6a5d4c3b2a1f0e\"");
    fixture.edit_config(
        "LOG_LEVEL = \"debug\"",
        "LOG_LEVEL = \"debug\"\nSTRIPE_KEY = \"sk_live_51HfakeFAKEfake00000000000000\"",
    );
    let reason = "hotfix approved by the on-call lead";
    let (code, stdout, stderr) =
        fixture.run(&["deploy", "--env", "staging", "--force", "--reason", reason]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("VAR001"), "{stdout}");
    assert!(stderr.contains("deploying despite 1 error (--force)"), "{stderr}");
    assert!(fixture.uploads() > 0);
    let trail = fixture.trail();
    assert_eq!(
        outcomes(&trail)[1..],
        tuple(&[("DEPLOY", "staging", "started"), ("DEPLOY", "staging", "forced")])
    );
    assert_eq!(trail[1]["reason"], reason);
    assert_eq!(trail[2]["reason"], reason);
    assert_eq!(trail[2]["findings"]["codes"], serde_json::json!(["COD001", "R2005", "VAR001"]));
}

#[test]
fn rollback_to_a_version_says_what_it_does_not_restore() {
    let Some(fixture) = Fixture::new() else { return };
    let (code, _, stderr) = fixture.run(&["rollback", "--env", "staging", "-y"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no rollback point with a version is recorded for notes-api-staging in .atom-sage/rollback/; pass --to VERSION"),
        "{stderr}"
    );
    assert!(fixture.trail().is_empty());
    let (code, stdout, stderr) = fixture.run(&["deploy", "--env", "staging"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let first = fixture.serving("notes-api-staging")[0].0.clone();
    fixture.edit_config("LOG_LEVEL = \"debug\"", "LOG_LEVEL = \"info\"\nFEATURE_SEARCH = \"on\"");
    let (code, stdout, stderr) = fixture.run(&["deploy", "--env", "staging"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let second = fixture.serving("notes-api-staging")[0].0.clone();
    assert_ne!(first, second);
    // A migration applied after the second deploy's rollback point, as `wrangler d1 migrations
    // apply` records it.
    let database =
        rusqlite::Connection::open(fixture.server.d1_path("notes-staging").unwrap()).unwrap();
    database.execute("INSERT INTO d1_migrations (name) VALUES ('0003_add_tags.sql')", []).unwrap();
    // A secret set since: the API refuses to go back to a version with other secrets, unless
    // forced. Its value is never shown.
    let secret =
        r#"{"name":"SEARCH_API_KEY","text":"s3cr3t-value-never-shown","type":"secret_text"}"#;
    let put = fixture.call(
        "PUT",
        &format!("/accounts/{ACCOUNT}/workers/scripts/notes-api-staging/secrets"),
        secret,
    );
    assert_eq!(put["success"], true, "{put}");
    let second = fixture.serving("notes-api-staging")[0].0.clone();

    let (code, stdout, stderr) = fixture.run(&[
        "rollback",
        "--env",
        "staging",
        "--to",
        &first,
        "--reason",
        "search is broken",
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stderr.contains("Continuing: stdin is not a terminal"), "{stderr}");
    assert!(stderr.contains("the worker's secrets changed since that version"), "{stderr}");
    assert!(stderr.contains("10220"), "{stderr}");
    assert!(stdout.contains("not restored: secrets keep their current values"), "{stdout}");
    assert!(!stdout.contains("s3cr3t") && !stderr.contains("s3cr3t"));
    assert_eq!(
        fixture
            .server
            .requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/deployments"))
            .map(|r| (r.query.clone(), r.status))
            .collect::<Vec<_>>()[1..],
        [(String::new(), 400), ("force=true".to_owned(), 200)],
        "refused once, then forced"
    );
    assert!(
        stdout.contains(&format!("rollback: notes-api-staging serves {first} (was {second})")),
        "{stdout}"
    );
    assert!(stdout.contains("changed with the version: var FEATURE_SEARCH (plain_text) is in the version left, not in the one serving now"), "{stdout}");
    assert!(
        stdout.contains("changed with the version: var LOG_LEVEL (plain_text) points elsewhere"),
        "{stdout}"
    );
    assert!(!stdout.contains("SESSIONS"), "unchanged bindings are not listed: {stdout}");
    assert!(
        stdout.contains(&format!("not restored: D1 database {STAGING_DATABASE} applied 0003_add_tags.sql since the rollback point")),
        "{stdout}"
    );
    assert_eq!(fixture.serving("notes-api-staging"), [(first.clone(), 100)]);
    let trail = fixture.trail();
    let rollback: Vec<_> = trail.iter().filter(|e| e["action"] == "ROLLBACK").collect();
    assert_eq!(rollback.len(), 2);
    assert_eq!(
        (rollback[0]["outcome"].as_str(), rollback[1]["outcome"].as_str()),
        (Some("started"), Some("succeeded"))
    );
    assert_eq!(rollback[1]["version_ids"]["before"], second.as_str());
    assert_eq!(rollback[1]["version_ids"]["after"], first.as_str());
    assert_eq!(rollback[1]["reason"], "search is broken");

    // Without --to: the last rollback point, recorded before the second deploy, which already
    // serves again; nothing is deployed twice.
    let (code, stdout, _) = fixture.run(&["rollback", "--env", "staging", "-y"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains(&format!("nothing to do: notes-api-staging already serves {first}")),
        "{stdout}"
    );

    let (code, _, stderr) = fixture.run(&[
        "rollback",
        "--env",
        "staging",
        "--to",
        "00000000-0000-4000-8000-000000000000",
        "-y",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("100146"), "the API's refusal is shown: {stderr}");
    assert_eq!(fixture.trail().last().unwrap()["outcome"], "failed");
}

#[test]
fn a_deploy_killed_halfway_is_reported_by_trail_resume() {
    let Some(fixture) = Fixture::new() else { return };
    // The upload of the new version takes long enough to kill atom-sage while wrangler waits.
    let faults = serde_json::json!({ "rules": [
        { "method": "POST", "path": "/accounts/*/workers/scripts/*/versions", "delay_ms": 8000 },
        { "method": "PUT", "path": "/accounts/*/workers/scripts/*", "delay_ms": 8000 },
    ]});
    fixture.server.set_faults(serde_json::from_value(faults).unwrap());
    let before = fixture.serving("notes-api-staging")[0].0.clone();
    let mut command = fixture.command(&["deploy", "--env", "staging"]);
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    // Allowing wrangler a moment past its first call puts it inside the held-back upload.
    let mut child = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();

    let started = Instant::now();
    // The request log holds a request once it is answered: wrangler's first call (atom-sage
    // never asks for a service) says it is running, and its upload is then held back.
    let uploading =
        || fixture.server.requests().iter().any(|r| r.path.contains("/workers/services/"));
    while !uploading() {
        assert!(started.elapsed() < Duration::from_secs(60), "wrangler never started the upload");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    // The whole group: atom-sage and the wrangler it started.
    let group = format!("-{}", child.id());
    let killed = Command::new("kill").args(["-KILL", "--", &group]).status().unwrap();
    assert!(killed.success());
    child.wait().unwrap();

    let trail = fixture.trail();
    assert_eq!(outcomes(&trail), tuple(&[("DEPLOY", "staging", "started")]));
    assert_eq!(fixture.uploads(), 0, "killed before the upload was answered");
    let tag = trail[0]["tag"].as_str().unwrap();
    let (code, stdout, _) = fixture.run(&["trail", "resume"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains(&format!("{tag} started ")), "{stdout}");
    assert!(stdout.contains("never finished"), "{stdout}");
    assert!(stdout.contains(&format!("version before: {before}")), "{stdout}");
    assert!(
        stdout.contains(&format!("undo: atom-sage rollback --env staging --to {before} -y")),
        "{stdout}"
    );
}

#[test]
fn atom_deploy_and_rollback_record_the_intent_and_a_dry_run_uploads_nothing() {
    let Some(fixture) = Fixture::new() else { return };
    let atom = env!("CARGO_BIN_EXE_atom");
    let before = fixture.serving("notes-api-staging")[0].0.clone();
    let dry = "Deploy notes-api to staging - CTFWI: dry run";
    let (code, stdout, stderr) = fixture.run_of(atom, &["DEPLOY", dry]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("--dry-run: exiting now."), "{stdout}");
    assert_eq!(fixture.uploads(), 0);
    assert!(!fixture.project().join(".atom-sage/rollback").exists());
    let trail = fixture.trail();
    assert_eq!(outcomes(&trail), tuple(&[("DEPLOY", "staging", "succeeded")]));
    assert_eq!(trail[0]["intent"], format!("DEPLOY \"{dry}\""));
    assert_eq!(trail[0]["reason"], "dry run: checks and `wrangler deploy --dry-run` only");

    let (code, stdout, stderr) = fixture.run_of(atom, &["DEPLOY", "Deploy notes-api to staging"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let deployed = fixture.serving("notes-api-staging")[0].0.clone();
    assert_ne!(deployed, before);
    let (code, stdout, stderr) =
        fixture.run_of(atom, &["ROLLBACK", "Roll back notes-api in staging"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(fixture.serving("notes-api-staging"), [(before, 100)]);
    let trail = fixture.trail();
    assert_eq!(
        outcomes(&trail)[1..],
        tuple(&[
            ("DEPLOY", "staging", "started"),
            ("DEPLOY", "staging", "succeeded"),
            ("ROLLBACK", "staging", "started"),
            ("ROLLBACK", "staging", "succeeded"),
        ])
    );
    assert_eq!(trail[4]["intent"], "ROLLBACK \"Roll back notes-api in staging\"");
    assert_eq!(trail[4]["version_ids"]["before"], deployed.as_str());
}

#[test]
fn a_config_file_named_on_the_command_line_is_the_one_wrangler_deploys() {
    let Some(fixture) = Fixture::new() else { return };
    let project = fixture.project();
    std::fs::rename(project.join("wrangler.toml"), project.join("notes.staging.toml")).unwrap();
    let (code, stdout, stderr) = fixture.run(&["deploy", "notes.staging.toml", "--env", "staging"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("Uploaded notes-api-staging"), "{stdout}");
    assert_eq!(
        outcomes(&fixture.trail())[1],
        ("DEPLOY".into(), "staging".into(), "succeeded".into())
    );
}

#[test]
fn on_a_terminal_warnings_ask_and_no_stops_the_deploy() {
    let Some(fixture) = Fixture::new() else { return };
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` (util-linux) to give atom-sage a terminal");
        return;
    }
    fixture.edit_config("LOG_LEVEL = \"info\"", "LOG_LEVEL = \"info\"\nDEBUG = \"true\"");
    let deploy = format!("{} deploy --env production", env!("CARGO_BIN_EXE_atom-sage"));
    let mut child = fixture
        .command_of("script", &["-q", "-e", "-c", &deploy, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"n\n").unwrap();
    let output = child.wait_with_output().unwrap();
    let terminal = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{terminal}");
    assert!(terminal.contains("1 warning above. Continue deployment? [Y/n]"), "{terminal}");
    assert!(terminal.contains("not deploying notes-api-production."), "{terminal}");
    assert_eq!(fixture.uploads(), 0);
    let trail = fixture.trail();
    assert_eq!(outcomes(&trail), tuple(&[("DEPLOY", "production", "aborted")]));
    assert_eq!(trail[0]["reason"], "declined after warnings");
}

#[test]
fn a_new_worker_has_nothing_to_roll_back_to() {
    let Some(fixture) = Fixture::with_account(|state| {
        state["workers"] = serde_json::json!([]);
        state["worker_routes"] = serde_json::json!([]);
    }) else {
        return;
    };
    let health = Health::start(503);
    fixture.settings(&format!("deploy:\n  health_checks: [{{url: \"{}\"}}]\n", health.url));
    let (code, stdout, stderr) = fixture.run(&["deploy", "--env", "staging"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("(notes-api-staging does not exist yet; nothing to roll back to)"),
        "{stdout}"
    );
    assert!(stdout.contains("Uploaded notes-api-staging"), "{stdout}");
    assert!(
        stdout.contains("verify: failed; not rolled back: the worker had no earlier version"),
        "{stdout}"
    );
    let trail = fixture.trail();
    assert_eq!(
        outcomes(&trail),
        tuple(&[("DEPLOY", "staging", "started"), ("DEPLOY", "staging", "failed")])
    );
    assert_eq!(trail[0]["version_ids"]["before"], Value::Null);
    assert_eq!(trail[0]["rollback_command"], Value::Null);
    assert_eq!(
        trail[1]["version_ids"]["after"],
        fixture.serving("notes-api-staging")[0].0.as_str()
    );
}

#[test]
fn a_trail_sink_that_is_down_changes_nothing_in_the_deploy() {
    let Some(fixture) = Fixture::new() else { return };
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    fixture.settings(&format!("trail:\n  sink:\n    url: http://127.0.0.1:{closed}/audit\n"));
    let (code, stdout, stderr) = fixture.run(&["deploy", "--env", "staging"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stderr.contains("trail sink: http://127.0.0.1:"), "{stderr}");
    assert!(stderr.contains("/audit: could not connect"), "{stderr}");
    assert_eq!(
        outcomes(&fixture.trail()),
        tuple(&[("DEPLOY", "staging", "started"), ("DEPLOY", "staging", "succeeded")])
    );

    let sink = Health::start(200);
    fixture.settings(&format!("trail:\n  sink:\n    url: {}\n", sink.url));
    let (code, stdout, _) = fixture.run(&["trail", "flush"]);
    assert_eq!((code, stdout), (0, format!("{}: delivered 2, none waiting\n", sink.url)));
    assert_eq!(sink.hits.load(Ordering::SeqCst), 2);
}
