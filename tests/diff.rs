//! `atom-sage diff` as users see it: exit code, stdout and stderr together, snapshotted.

use std::process::Command;

fn transcript(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_atom-sage"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("ATOM_SAGE_LOG")
        .output()
        .expect("atom-sage runs");
    let stdout = String::from_utf8_lossy(&output.stdout).replace(atom_sage::VERSION, "[VERSION]");
    format!(
        "exit: {}\n--- stdout\n{stdout}--- stderr\n{}",
        output.status.code().expect("an exit code"),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn separate_environments_pass() {
    insta::assert_snapshot!(transcript(&["diff", "staging", "production", "examples/full-stack"]));
}

#[test]
fn production_data_reached_from_the_top_level_fails() {
    insta::assert_snapshot!(transcript(&["diff", "top", "production", "examples/broken"]));
}

#[test]
fn json_diff() {
    insta::assert_snapshot!(transcript(&[
        "diff",
        "staging",
        "production",
        "examples/broken/wrangler.toml",
        "--format",
        "json"
    ]));
}

#[test]
fn undeclared_environments_and_missing_configs_exit_2() {
    insta::assert_snapshot!(transcript(&["diff", "top", "prod", "examples/broken"]));
    let (code, stderr) = {
        let output = Command::new(env!("CARGO_BIN_EXE_atom-sage"))
            .args(["diff", "a", "b", "tests/fixtures/cli/no-config"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
    };
    assert_eq!(code, Some(2));
    assert!(stderr.starts_with("error: "), "{stderr}");
}
