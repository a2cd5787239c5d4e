//! The `atom` command: intents parsed, run where atom-sage can run them, and recorded.

use std::path::Path;
use std::process::Command;

/// A copy of an example project, so the trail it writes stays out of the repository.
fn example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name), dir.path());
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn transcript(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_atom"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("USER", "tester")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("ATOM_SAGE_LOG")
        .env_remove("GITHUB_ACTIONS")
        // DEPLOY and ROLLBACK must never reach a real account from here.
        .env_remove("CLOUDFLARE_API_TOKEN")
        .env_remove("CLOUDFLARE_API_KEY")
        .env_remove("CLOUDFLARE_EMAIL")
        .output()
        .expect("atom runs");
    let today = atom_sage::date::Date::today();
    let day = format!("{:04}{:02}{:02}", today.year, today.month, today.day);
    let stable = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .replace(atom_sage::VERSION, "[VERSION]")
            .replace(&day, "[DAY]")
    };
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().expect("an exit code"),
        stable(&output.stdout),
        stable(&output.stderr)
    )
}

fn trail(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join(".atom-sage/trail.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn check_runs_the_check_and_records_it() {
    let dir = example("broken");
    insta::assert_snapshot!(transcript(
        dir.path(),
        &["CHECK", "Check image-resizer worker in prod - CTFWI: kv, d1", "--format", "concise"]
    ));
    let entries = trail(dir.path());
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry["action"], "CHECK");
    assert_eq!(entry["environment"], "production");
    assert_eq!(entry["worker"], "image-resizer-production");
    assert_eq!(entry["outcome"], "failed");
    assert_eq!(entry["intent"], "CHECK \"Check image-resizer worker in prod - CTFWI: kv, d1\"");
    assert_eq!(entry["findings"]["codes"], serde_json::json!(["D1003", "D1007", "D1009", "KV001"]));
    assert_eq!(entry["who"], "tester");
}

#[test]
fn check_with_parity_compares_the_two_environments() {
    let dir = example("full-stack");
    insta::assert_snapshot!(transcript(
        dir.path(),
        &["CHECK", "Check notes-api in staging - CTFWI: verify staging→prod parity"]
    ));
    assert_eq!(trail(dir.path())[0]["outcome"], "succeeded");
}

#[test]
fn diff_runs_the_diff() {
    let dir = example("broken");
    insta::assert_snapshot!(transcript(
        dir.path(),
        &["DIFF", "Compare staging and production", "--format", "json"]
    ));
    assert!(trail(dir.path()).is_empty());
}

#[test]
fn deploy_and_rollback_need_credentials_and_unknown_actions_are_not_available() {
    let dir = example("full-stack");
    insta::assert_snapshot!(transcript(
        dir.path(),
        &["DEPLOY", "Deploy user-auth worker v2.3 to production - CTFWI: Validate all services"]
    ));
    insta::assert_snapshot!(transcript(
        dir.path(),
        &["ROLLBACK", "Roll back user-auth in prod to v2.2"]
    ));
    insta::assert_snapshot!(transcript(dir.path(), &["LAUNCH", "Launch rockets to production"]));
    insta::assert_snapshot!(transcript(dir.path(), &["DEPLOY", "Deploy notes-api to staging"]));
    assert!(trail(dir.path()).is_empty());
}

#[test]
fn json_prints_the_parsed_intent_and_runs_nothing() {
    let dir = example("full-stack");
    insta::assert_snapshot!(transcript(
        dir.path(),
        &["--json", "DEPLOY", "Deploy", "user-auth", "worker", "v2.3", "to", "prod"]
    ));
    assert!(trail(dir.path()).is_empty());
}

#[test]
fn an_undeclared_environment_runs_nothing() {
    let dir = example("full-stack");
    insta::assert_snapshot!(transcript(dir.path(), &["CHECK", "Check notes-api in qa"]));
    insta::assert_snapshot!(transcript(dir.path(), &["DIFF", "Compare staging"]));
    assert!(trail(dir.path()).is_empty());
}

#[test]
fn secrets_in_the_intent_are_never_echoed() {
    let dir = example("full-stack");
    let token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    let intent = format!("Check notes-api in staging with {token} - CTFWI: vars, password=hunter2");
    let out = transcript(dir.path(), &["CHECK", &intent, "--format", "concise"]);
    assert!(!out.contains(token) && !out.contains("hunter2"), "{out}");
    assert!(out.contains("warning: not understood: `<redacted>`"), "{out}");
    assert!(out.contains("warning: CTFWI: not understood: `password=<redacted>`"), "{out}");
    let json = transcript(dir.path(), &["--json", "DEPLOY", &intent]);
    assert!(!json.contains(token) && !json.contains("hunter2"), "{json}");
    let written = std::fs::read_to_string(dir.path().join(".atom-sage/trail.jsonl")).unwrap();
    assert!(!written.contains(token) && !written.contains("hunter2"), "{written}");
}

#[test]
fn a_rollback_has_no_dry_run_and_runs_nothing() {
    let dir = example("full-stack");
    let text =
        transcript(dir.path(), &["ROLLBACK", "Roll back notes-api in staging - CTFWI: dry run"]);
    assert!(text.starts_with("exit: 2\n"), "{text}");
    assert!(text.contains("a rollback has no dry run; nothing was run"), "{text}");
    assert!(trail(dir.path()).is_empty());
}

#[test]
fn a_deploy_with_a_parity_intent_compares_first_and_stops_on_errors() {
    let dir = example("broken");
    let text = transcript(
        dir.path(),
        &[
            "DEPLOY",
            "Deploy image-resizer to production - CTFWI: verify staging->production parity",
        ],
    );
    assert!(text.starts_with("exit: 1\n"), "{text}");
    // staging and production bind the same D1 database: production data reachable from staging.
    assert!(text.contains("d1_databases DB"), "the diff was printed: {text}");
    assert!(text.contains("the parity check found errors; nothing was deployed"), "{text}");
    assert!(trail(dir.path()).is_empty(), "nothing was started");
}
