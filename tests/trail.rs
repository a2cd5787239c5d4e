//! `atom-sage trail` as scripts and users run it: concurrent writers, tampering, resuming.

use std::path::Path;
use std::process::{Command, Stdio};

mod common;

const CONFIG: &str = "name = \"user-auth\"\nmain = \"src/index.ts\"\ncompatibility_date = \"2025-01-15\"\n[env.production]\n[env.staging]\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wrangler.toml"), CONFIG).unwrap();
    dir
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = common::atom_sage_in(dir);
    command.args(args);
    command
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = command(dir, args).output().expect("atom-sage runs");
    (
        output.status.code().expect("an exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Exit code, stdout and stderr, with the project's path, today's date and times made stable.
fn transcript(dir: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = run(dir, args);
    let today = atom_sage::date::Date::today();
    let day = format!("{:04}{:02}{:02}", today.year, today.month, today.day);
    let stable = |text: String| {
        let text = text.replace(&dir.display().to_string(), "[PROJECT]").replace(&day, "[DAY]");
        without_times(&text)
    };
    format!("exit: {code}\n--- stdout\n{}--- stderr\n{}", stable(stdout), stable(stderr))
}

/// The text with every `YYYY-MM-DDTHH:MM:SS.mmmZ` replaced by `[TIME]`.
fn without_times(text: &str) -> String {
    const SHAPE: &[u8] = b"0000-00-00T00:00:00.000Z";
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut index = 0;
    while index < text.len() {
        let candidate = bytes.get(index..index + SHAPE.len());
        let time = candidate.is_some_and(|c| {
            c.iter().zip(SHAPE).all(|(b, s)| if *s == b'0' { b.is_ascii_digit() } else { b == s })
        });
        if time {
            out.push_str("[TIME]");
            index += SHAPE.len();
        } else {
            let c = text[index..].chars().next().unwrap();
            out.push(c);
            index += c.len_utf8();
        }
    }
    out
}

fn append(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["trail", "append"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run(dir, &all);
    assert_eq!(code, 0, "{stderr}");
    stdout.trim().to_owned()
}

fn trail_lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join(".atom-sage/trail.jsonl"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn write_lines(dir: &Path, lines: &[&String]) {
    let text: String = lines.iter().flat_map(|line| [line.as_str(), "\n"]).collect();
    std::fs::write(dir.join(".atom-sage/trail.jsonl"), text).unwrap();
}

#[test]
fn eight_writers_of_a_thousand_entries_lose_nothing() {
    let dir = project();
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            command(
                dir.path(),
                &[
                    "trail",
                    "append",
                    "--action",
                    "CHECK",
                    "--outcome",
                    "succeeded",
                    "--worker",
                    &format!("writer-{writer}"),
                    "--repeat",
                    "1000",
                ],
            )
            .stdout(Stdio::null())
            .spawn()
            .expect("atom-sage starts")
        })
        .collect();
    for mut writer in writers {
        assert!(writer.wait().unwrap().success());
    }
    let lines = trail_lines(dir.path());
    assert_eq!(lines.len(), 8000);
    for writer in 0..8 {
        let needle = format!("\"worker\":\"writer-{writer}\"");
        assert_eq!(lines.iter().filter(|line| line.contains(&needle)).count(), 1000);
    }
    // Tags are unique and count on without a gap, whichever process wrote them.
    let mut numbers: Vec<u32> = lines
        .iter()
        .map(|line| {
            let entry: serde_json::Value = serde_json::from_str(line).unwrap();
            entry["tag"].as_str().unwrap().rsplit('-').next().unwrap().parse().unwrap()
        })
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=8000).collect::<Vec<_>>());
    let (code, stdout, stderr) = run(dir.path(), &["trail", "verify"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(": 8000 entries, chain intact; last hash "), "{stdout}");
}

#[test]
fn separate_processes_appending_at_once_keep_the_chain() {
    let dir = project();
    let script = format!(
        "for i in $(seq 1 25); do '{}' trail append --action DEPLOY --outcome aborted >/dev/null || exit 1; done",
        env!("CARGO_BIN_EXE_atom-sage")
    );
    let loops: Vec<_> = (0..4)
        .map(|_| {
            Command::new("sh")
                .args(["-c", &script])
                .current_dir(dir.path())
                .env("USER", "tester")
                .spawn()
                .unwrap()
        })
        .collect();
    for mut shell in loops {
        assert!(shell.wait().unwrap().success());
    }
    assert_eq!(trail_lines(dir.path()).len(), 100);
    assert_eq!(run(dir.path(), &["trail", "verify"]).0, 0);
}

#[test]
fn verify_reports_each_kind_of_tampering() {
    let dir = project();
    for action in ["CHECK", "DEPLOY", "CHECK", "ROLLBACK"] {
        append(dir.path(), &["--action", action, "--outcome", "succeeded"]);
    }
    let original = trail_lines(dir.path());
    let all: Vec<&String> = original.iter().collect();

    let edited = original[1].replace("\"outcome\":\"succeeded\"", "\"outcome\":\"rolled_back\"");
    write_lines(dir.path(), &[all[0], &edited, all[2], all[3]]);
    insta::assert_snapshot!("edited", transcript(dir.path(), &["trail", "verify"]));

    write_lines(dir.path(), &[all[0], all[1], all[3]]);
    insta::assert_snapshot!("removed", transcript(dir.path(), &["trail", "verify"]));

    write_lines(dir.path(), &[all[0], all[2], all[1], all[3]]);
    insta::assert_snapshot!("swapped", transcript(dir.path(), &["trail", "verify"]));

    let text: String = original.iter().flat_map(|line| [line.as_str(), "\n"]).collect();
    std::fs::write(dir.path().join(".atom-sage/trail.jsonl"), &text[..text.len() - 40]).unwrap();
    insta::assert_snapshot!("truncated", transcript(dir.path(), &["trail", "verify"]));
    // Nothing is chained onto a cut-off line, and the readers say it is there.
    let (code, _, stderr) = run(dir.path(), &["trail", "append", "--action", "CHECK"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("trail.jsonl:4: the last line was cut off"), "{stderr}");
    let (code, stdout, stderr) = run(dir.path(), &["trail", "list"]);
    assert_eq!((code, stdout.lines().count()), (0, 4));
    assert!(stderr.contains("trail.jsonl:4: the last line was cut off and is not shown"));
}

#[test]
fn list_show_export_and_resume() {
    let dir = project();
    let started = append(
        dir.path(),
        &[
            "--action",
            "DEPLOY",
            "--env",
            "production",
            "--worker",
            "user-auth-production",
            "--version-before",
            "4f1c2a9e-0b6d-4e3a-9c1f-7d2e5b8a6c40",
            "--intent",
            "Deploy user-auth worker v2.3 to production with key sk_live_51HqLyAbCdEfGhIjKlMn",
            "--rollback-command",
            "npx wrangler rollback 4f1c2a9e-0b6d-4e3a-9c1f-7d2e5b8a6c40 --env production",
        ],
    );
    let finished =
        append(dir.path(), &["--action", "ROLLBACK", "--env", "staging", "--worker", "user-auth"]);
    append(
        dir.path(),
        &["--action", "ROLLBACK", "--operation", &finished, "--outcome", "succeeded"],
    );
    let written = std::fs::read_to_string(dir.path().join(".atom-sage/trail.jsonl")).unwrap();
    assert!(!written.contains("sk_live_"), "{written}");

    let (code, stdout, _) = run(dir.path(), &["trail", "list"]);
    assert_eq!(code, 0);
    let rows: Vec<Vec<&str>> =
        stdout.lines().map(|line| line.split_whitespace().collect()).collect();
    assert_eq!(rows[0], ["TAG", "TIME", "WHO", "ACTION", "ENV", "OUTCOME"]);
    assert_eq!(rows[1][0], started);
    assert_eq!(rows[1][2..], ["tester", "DEPLOY", "production", "started"]);
    assert_eq!(rows[3][2..], ["tester", "ROLLBACK", "top", "succeeded"]);

    let (code, stdout, _) = run(dir.path(), &["trail", "show", &started]);
    assert_eq!(code, 0);
    let shown: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(shown["intent"], "Deploy user-auth worker v2.3 to production with key <redacted>");
    assert_eq!(shown["version_ids"]["before"], "4f1c2a9e-0b6d-4e3a-9c1f-7d2e5b8a6c40");
    assert_eq!(shown["outcome"], "started");

    let (_, json, _) = run(dir.path(), &["trail", "export", "--format", "json"]);
    let exported: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(exported.len(), 3);
    assert_eq!(exported[2]["operation"], finished.as_str());
    let (_, jsonl, _) = run(dir.path(), &["trail", "export"]);
    assert_eq!(jsonl, written);
    let (_, csv, _) = run(dir.path(), &["trail", "export", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 4);

    insta::assert_snapshot!("resume", transcript(dir.path(), &["trail", "resume"]));
    append(
        dir.path(),
        &["--action", "DEPLOY", "--operation", &started, "--outcome", "rolled_back"],
    );
    insta::assert_snapshot!("resumed", transcript(dir.path(), &["trail", "resume"]));
    insta::assert_snapshot!(
        "unknown_tag",
        transcript(dir.path(), &["trail", "show", "ATOM-X-1-1"])
    );
}

#[test]
fn without_a_project_or_a_trail() {
    let empty = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(empty.path(), &["trail", "list"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: no wrangler.json, wrangler.jsonc or wrangler.toml found"));
    let dir = project();
    insta::assert_snapshot!("no_trail", transcript(dir.path(), &["trail", "verify"]));
    let (code, _, stderr) = run(dir.path(), &["trail", "list"]);
    assert_eq!((code, stderr.as_str()), (0, "the trail is empty\n"));
}

#[test]
fn the_credentials_of_the_run_are_never_written_whatever_they_look_like() {
    let dir = project();
    // A token that looks like a plain word to every pattern, but is this run's token.
    let token = "localapitokenzero";
    let output = command(
        dir.path(),
        &[
            "trail",
            "append",
            "--action",
            "DEPLOY",
            "--reason",
            &format!("forced with {token} by hand"),
            "--intent",
            &format!("deploy using {token}"),
        ],
    )
    .env("CLOUDFLARE_API_TOKEN", token)
    .output()
    .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let written = std::fs::read_to_string(dir.path().join(".atom-sage/trail.jsonl")).unwrap();
    assert!(!written.contains(token), "{written}");
    assert!(written.contains("forced with <redacted> by hand"), "{written}");
}
