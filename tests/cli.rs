//! The command line as users and CI see it: exit code, stdout and stderr together, snapshotted.

use std::path::Path;
use std::process::Command;

fn run(args: &[&str], envs: &[(&str, &str)]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_atom-sage"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("ATOM_SAGE_LOG")
        // Nothing here may reach a real account.
        .env_remove("CLOUDFLARE_API_TOKEN")
        .env_remove("CLOUDFLARE_API_KEY")
        .env_remove("CLOUDFLARE_EMAIL");
    for (key, value) in envs {
        command.env(key, value);
    }
    let output = command.output().expect("atom-sage runs");
    let code = output.status.code().expect("an exit code");
    (
        code,
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn transcript(args: &[&str], envs: &[(&str, &str)]) -> String {
    let (code, stdout, stderr) = run(args, envs);
    // The version changes with every release; the layout is what these snapshots hold.
    let stdout = stdout.replace(atom_sage::VERSION, "[VERSION]");
    format!("exit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}")
}

#[test]
fn clean_example_passes() {
    insta::assert_snapshot!(transcript(&["check", "examples/full-stack"], &[]));
}

#[test]
fn broken_example_reports_every_mistake() {
    insta::assert_snapshot!(transcript(&["check", "examples/broken"], &[]));
}

#[test]
fn json_report() {
    insta::assert_snapshot!(transcript(
        &["check", "examples/broken", "--format", "json", "--env", "production"],
        &[]
    ));
}

#[test]
fn concise_report_for_one_environment() {
    insta::assert_snapshot!(transcript(
        &["check", "examples/broken", "--format", "concise", "--env", "staging"],
        &[]
    ));
}

#[test]
fn github_annotations_are_the_default_in_actions() {
    insta::assert_snapshot!(transcript(
        &["check", "examples/broken", "--env", "staging"],
        &[("GITHUB_ACTIONS", "true")]
    ));
}

#[test]
fn warnings_fail_only_when_denied() {
    let (code, _, _) = run(&["check", "tests/fixtures/cli/warnings-only"], &[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(transcript(
        &["check", "tests/fixtures/cli/warnings-only", "--deny-warnings", "--format", "concise"],
        &[]
    ));
}

#[test]
fn a_config_that_does_not_parse_is_a_finding() {
    insta::assert_snapshot!(transcript(
        &["check", "tests/fixtures/cli/not-parsing", "--format", "concise"],
        &[]
    ));
}

#[test]
fn config_option_skips_the_search() {
    let (code, stdout, _) = run(
        &["check", "--config", "examples/full-stack/wrangler.toml", "--format", "concise"],
        &[],
    );
    assert_eq!(code, 0);
    assert!(stdout.ends_with("0 errors, 0 warnings, 1 info\n"), "{stdout}");
    assert!(stdout.starts_with("examples/full-stack/src/index.ts:"), "{stdout}");
}

#[test]
fn the_tool_failing_exits_2() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let empty = directory.path().to_str().expect("a UTF-8 path");
    let (code, stdout, stderr) = run(&["check", empty], &[]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("error: no wrangler.json, wrangler.jsonc or wrangler.toml found in"),
        "{stderr}"
    );
    insta::assert_snapshot!(transcript(&["check", "does/not/exist"], &[]));
    insta::assert_snapshot!(transcript(&["check", "examples/full-stack", "--env", "prod"], &[]));
    insta::assert_snapshot!(transcript(&["check", "--config", "missing.toml"], &[]));
    insta::assert_snapshot!(transcript(&["check", "--format", "xml"], &[]));
}

#[test]
fn commands_that_need_credentials_say_so() {
    insta::assert_snapshot!(transcript(&["check", "examples/full-stack", "--remote"], &[]));
    insta::assert_snapshot!(transcript(
        &["deploy", "examples/full-stack", "--env", "production"],
        &[]
    ));
    insta::assert_snapshot!(transcript(
        &["rollback", "examples/full-stack", "--env", "production"],
        &[]
    ));
}

#[test]
fn rules_and_explain() {
    insta::assert_snapshot!(transcript(&["rules"], &[]));
    insta::assert_snapshot!(transcript(&["explain", "KV001"], &[]));
    let (code, _, stderr) = run(&["explain", "KV999"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no check has the code or name `KV999`"), "{stderr}");
}

#[test]
fn sarif_is_a_valid_run_with_every_finding() {
    let (code, stdout, _) = run(&["check", "examples/broken", "--format", "sarif"], &[]);
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    let (_, json, _) = run_json();
    assert_eq!(results.len(), json["diagnostics"].as_array().expect("diagnostics").len());
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("a rule index") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert!(location["region"]["startLine"].as_u64().is_some_and(|line| line > 0));
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(location["artifactLocation"]["uri"].as_str().expect("a uri"))
                .is_file()
        );
    }
}

fn run_json() -> (i32, serde_json::Value, String) {
    let (code, stdout, stderr) = run(&["check", "examples/broken", "--format", "json"], &[]);
    (code, serde_json::from_str(&stdout).expect("JSON"), stderr)
}

#[test]
fn json_contract_has_every_field() {
    let (code, report, _) = run_json();
    assert_eq!(code, 1);
    assert_eq!(report["schema"], 1);
    for key in ["version", "config", "environments", "diagnostics", "summary"] {
        assert!(report.get(key).is_some(), "missing {key}");
    }
    let diagnostic = &report["diagnostics"][0];
    for key in [
        "code",
        "name",
        "severity",
        "service",
        "env",
        "binding",
        "message",
        "help",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
    ] {
        assert!(diagnostic.get(key).is_some(), "diagnostics lack {key}");
    }
    let summary = &report["summary"];
    let count = |severity: &str| {
        report["diagnostics"]
            .as_array()
            .expect("a list")
            .iter()
            .filter(|d| d["severity"] == severity)
            .count() as u64
    };
    assert_eq!(summary["errors"], count("error"));
    assert_eq!(summary["warnings"], count("warning"));
    assert_eq!(summary["infos"], count("info"));
}

#[test]
fn secret_values_are_never_printed() {
    for format in ["pretty", "concise", "json", "sarif", "github"] {
        let (_, stdout, stderr) = run(&["check", "examples/broken", "--format", format], &[]);
        assert!(stdout.contains("STRIPE_KEY"), "{format} output does not name the variable");
        let value = "sk_live_51HxAmPlEkEyNotReal";
        assert!(
            !stdout.contains(value) && !stderr.contains(value),
            "{format} output prints the secret value"
        );
    }
}

/// A local API serving `examples/broken/account-state.json`, and the variables that point the
/// command at it.
fn broken_account() -> (cloudflare_api_local::Server, Vec<(&'static str, String)>) {
    let state = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/broken/account-state.json"),
    )
    .expect("the example's account state");
    let state = cloudflare_api_local::State::from_json(&state).expect("the state parses");
    let server = cloudflare_api_local::Server::start(state).expect("the local API starts");
    let envs = vec![
        ("CLOUDFLARE_API_BASE_URL", server.base_url().to_owned()),
        ("CLOUDFLARE_API_TOKEN", cloudflare_api_local::DEFAULT_TOKEN.to_owned()),
        ("CLOUDFLARE_ACCOUNT_ID", server.account_id()),
    ];
    (server, envs)
}

#[test]
fn remote_check_of_the_broken_example() {
    let (_server, envs) = broken_account();
    let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    insta::assert_snapshot!(transcript(&["check", "examples/broken", "--remote"], &envs));
}

#[test]
fn remote_check_concise_with_required_remote() {
    let (_server, envs) = broken_account();
    let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    insta::assert_snapshot!(transcript(
        &[
            "check",
            "examples/broken",
            "--remote",
            "--require-remote",
            "--env",
            "staging",
            "--format",
            "concise"
        ],
        &envs
    ));
}

#[test]
fn a_refused_token_exits_2_and_is_never_printed() {
    let (_server, mut envs) = broken_account();
    envs[1].1 = "not-the-token-7f3c9a".to_owned();
    let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for format in ["pretty", "json", "sarif"] {
        let (code, stdout, stderr) =
            run(&["check", "examples/broken", "--remote", "-vv", "--format", format], &envs);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("the API token was refused by the API (401 1000"), "{stderr}");
        assert!(!stdout.contains("7f3c9a") && !stderr.contains("7f3c9a"), "{stdout}{stderr}");
    }
}

#[test]
fn remote_without_credentials_exits_2() {
    let (code, _, stderr) = run(
        &["check", "examples/full-stack", "--remote"],
        &[("CLOUDFLARE_API_TOKEN", ""), ("CLOUDFLARE_API_KEY", "")],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("check --remote needs credentials: set CLOUDFLARE_API_TOKEN"),
        "{stderr}"
    );
}

#[test]
fn unknowns_in_every_machine_format() {
    let (_server, envs) = broken_account();
    let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let args =
        |format| ["check", "examples/broken", "--remote", "--env", "staging", "--format", format];
    let (_, json, _) = run(&args("json"), &envs);
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(json["summary"]["unknown"], 1);
    assert_eq!(json["account"], "0123456789abcdef0123456789abcdef");
    let unknown: Vec<&serde_json::Value> = json["verifications"]
        .as_array()
        .expect("verifications")
        .iter()
        .filter(|v| v["outcome"] == "unknown")
        .collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["subject"], "Queue consumer thumbnails");
    assert_eq!(unknown[0]["line"], 50);

    let (_, sarif, _) = run(&args("sarif"), &envs);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF");
    let open: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["kind"] == "open")
        .collect();
    assert_eq!(open.len(), 1, "the queue alone; KV usage is unavailable, not open: {open:#?}");
    assert!(open.iter().all(|r| r["level"] == "none"));

    let (_, github, _) = run(&args("github"), &envs);
    assert!(
        github.contains("::warning file=examples/broken/wrangler.toml,line=50,col=9,title=QUE002 unknown::Queue consumer thumbnails: unknown (503 10002 An unknown error has occurred) [env.staging]"),
        "{github}"
    );
    assert!(github.ends_with("1 unknown\n"), "{github}");
}
