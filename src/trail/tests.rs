use std::path::Path;

use super::*;

const TOKEN: &str = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";

fn record(dir: &Path, action: &str, outcome: Outcome, operation: Option<&str>) -> Entry {
    append(
        dir,
        NewEntry {
            action: action.to_owned(),
            outcome: Some(outcome),
            operation: operation.map(str::to_owned),
            environment: Some("production".to_owned()),
            worker: Some("user-auth".to_owned()),
            who: Some("Ada <ada@example.com>".to_owned()),
            ..NewEntry::default()
        },
    )
    .unwrap()
}

/// A trail of four entries, as text.
fn four_lines() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    for action in ["CHECK", "DEPLOY", "CHECK", "ROLLBACK"] {
        record(dir.path(), action, Outcome::Succeeded, None);
    }
    let text = std::fs::read_to_string(trail_path(dir.path())).unwrap();
    (dir, text)
}

fn problem(text: &str) -> Option<(usize, ProblemKind)> {
    verify_text(text).problem.map(|p| (p.line, p.kind))
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

fn join(lines: &[&str]) -> String {
    lines.iter().flat_map(|line| [*line, "\n"]).collect()
}

#[test]
fn entries_chain_and_count_per_day_across_actions() {
    let dir = tempfile::tempdir().unwrap();
    let first = record(dir.path(), "check", Outcome::Succeeded, None);
    let second = record(dir.path(), "DEPLOY", Outcome::Started, None);
    let day = &first.time[..10].replace('-', "");
    assert_eq!(first.tag, format!("ATOM-CHECK-{day}-001"));
    assert_eq!(second.tag, format!("ATOM-DEPLOY-{day}-002"));
    assert_eq!(first.prev_hash, GENESIS);
    assert_eq!(second.prev_hash, first.hash);
    assert_eq!(second.operation, second.tag);
    assert!(first.time.ends_with('Z') && first.time.len() == 24, "{}", first.time);
    let verification = verify(dir.path()).unwrap();
    assert_eq!((verification.entries, verification.problem), (2, None));
    assert_eq!(verification.head.as_deref(), Some(second.hash.as_str()));
    assert_eq!(read(dir.path()).unwrap().entries, [first, second]);
}

#[test]
fn tags_continue_the_day_and_restart_on_a_new_one() {
    assert_eq!(next_tag(None, "DEPLOY", "20261204"), "ATOM-DEPLOY-20261204-001");
    assert_eq!(
        next_tag(Some("ATOM-CHECK-20261204-041"), "DEPLOY", "20261204"),
        "ATOM-DEPLOY-20261204-042"
    );
    assert_eq!(
        next_tag(Some("ATOM-DEPLOY-20261204-999"), "DEPLOY", "20261204"),
        "ATOM-DEPLOY-20261204-1000"
    );
    assert_eq!(
        next_tag(Some("ATOM-DEPLOY-20261203-017"), "DEPLOY", "20261204"),
        "ATOM-DEPLOY-20261204-001"
    );
}

#[test]
fn actions_must_be_words() {
    let dir = tempfile::tempdir().unwrap();
    for action in ["", "DE PLOY", "deploy;rm", "ÄCTION"] {
        let result =
            append(dir.path(), NewEntry { action: action.to_owned(), ..NewEntry::default() });
        assert!(matches!(result, Err(TrailError::InvalidAction(_))), "{action}");
    }
    assert!(!trail_path(dir.path()).exists());
}

#[test]
fn tokens_never_reach_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let entry = append(
        dir.path(),
        NewEntry {
            action: "DEPLOY".to_owned(),
            intent: Some(format!("Deploy api to production with token {TOKEN}")),
            reason: Some(format!("hotfix, GITHUB_TOKEN={TOKEN}")),
            who: Some("Ada".to_owned()),
            ..NewEntry::default()
        },
    )
    .unwrap();
    assert_eq!(entry.intent.as_deref(), Some("Deploy api to production with token <redacted>"));
    assert_eq!(entry.reason.as_deref(), Some("hotfix, GITHUB_TOKEN=<redacted>"));
    let written = std::fs::read_to_string(trail_path(dir.path())).unwrap();
    assert!(!written.contains(TOKEN) && !written.contains("ghp_"), "{written}");
    assert_eq!(verify(dir.path()).unwrap().problem, None);
}

#[test]
fn values_after_secret_keys_never_reach_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let entry = append(
        dir.path(),
        NewEntry {
            action: "CHECK".to_owned(),
            intent: Some(
                "Check api password=hunter2hunter2 api_key: AbCdEf0123456789abcdef".into(),
            ),
            reason: Some("Authorization: Bearer abcdef0123456789abcdef0123".to_owned()),
            ..NewEntry::default()
        },
    )
    .unwrap();
    assert_eq!(entry.intent.as_deref(), Some("Check api password=<redacted> api_key: <redacted>"));
    assert_eq!(entry.reason.as_deref(), Some("Authorization: Bearer <redacted>"));
    let written = std::fs::read_to_string(trail_path(dir.path())).unwrap();
    for secret in ["hunter2", "AbCdEf0123", "abcdef0123"] {
        assert!(!written.contains(secret), "{written}");
    }
}

#[test]
fn the_hash_does_not_depend_on_key_order() {
    let a: serde_json::Value =
        serde_json::from_str(r#"{"b":1,"a":{"y":[1,"x"],"x":null},"hash":"h"}"#).unwrap();
    let b: serde_json::Value =
        serde_json::from_str(r#"{"a":{"x":null,"y":[1,"x"]},"b":1}"#).unwrap();
    assert_eq!(entry_hash(&a), entry_hash(&b));
    // sha256 of `{"a":{"x":null,"y":[1,"x"]},"b":1}`
    assert_eq!(entry_hash(&a), "07a4c1f8224e8bb7a349722dae0bf17479db3d1b8daee8f96bbe5c776b96be90");
}

#[test]
fn verify_finds_an_edited_line() {
    let (_dir, text) = four_lines();
    let edited = text.replacen("\"outcome\":\"succeeded\"", "\"outcome\":\"failed\"", 2);
    let edited = edited.replacen("\"outcome\":\"failed\"", "\"outcome\":\"succeeded\"", 1);
    let report = verify_text(&edited).problem.unwrap();
    assert_eq!((report.line, report.kind), (2, ProblemKind::Changed));
    assert!(report.tag.unwrap().starts_with("ATOM-DEPLOY-"));
    assert_eq!(problem(&text), None);
    let mut not_json = lines(&text);
    not_json[2] = "{not json";
    assert_eq!(problem(&join(&not_json)), Some((3, ProblemKind::Changed)));
}

#[test]
fn verify_finds_removed_swapped_inserted_and_cut_off_lines() {
    let (_dir, text) = four_lines();
    let all = lines(&text);
    assert_eq!(problem(&join(&[all[0], all[2], all[3]])), Some((2, ProblemKind::Removed)));
    assert_eq!(problem(&join(&[all[1], all[2], all[3]])), Some((1, ProblemKind::Removed)));
    assert_eq!(
        problem(&join(&[all[0], all[2], all[1], all[3]])),
        Some((2, ProblemKind::Reordered))
    );
    // A copy of an earlier line, dropped in later, is not part of the chain there.
    assert_eq!(
        problem(&join(&[all[0], all[1], all[0], all[2], all[3]])),
        Some((3, ProblemKind::Inserted))
    );
    let cut = &text[..text.len() - 20];
    let report = verify_text(cut);
    assert_eq!(
        report.problem.as_ref().map(|p| (p.line, p.kind)),
        Some((4, ProblemKind::Truncated))
    );
    assert_eq!((report.entries, report.truncated_line), (3, Some(4)));
    // Only the newline missing: still a write that did not finish.
    assert_eq!(problem(text.trim_end()), Some((4, ProblemKind::Truncated)));
    // A problem earlier in the file comes first.
    assert_eq!(
        problem(&format!("{}{}", join(&[all[0], all[2]]), &all[3][..30])),
        Some((2, ProblemKind::Removed))
    );
}

#[test]
fn verify_finds_a_line_chained_in_by_someone_else() {
    let (dir, text) = four_lines();
    let all = lines(&text);
    // A forged entry that carries a correct hash of its own but chains to nothing here.
    // It is written as atom-sage writes entries, so only the chain can give it away.
    let mut forged: Entry = serde_json::from_str(all[1]).unwrap();
    forged.prev_hash = "f".repeat(64);
    forged.hash = entry_hash(&serde_json::to_value(&forged).unwrap());
    let forged = serde_json::to_string(&forged).unwrap();
    assert_eq!(
        problem(&join(&[all[0], all[1], &forged, all[2], all[3]])),
        Some((3, ProblemKind::Inserted))
    );
    drop(dir);
}

#[test]
fn verify_accepts_only_lines_exactly_as_written() {
    let (_dir, text) = four_lines();
    let all = lines(&text);
    // A key written twice: serde_json keeps the last, so the hash alone would still match.
    let duplicate = all[1].replacen('{', "{\"outcome\":\"failed\",", 1);
    let extra = all[1].replacen('{', "{\"note\":1,", 1);
    let spaced = all[1].replacen(",\"", ", \"", 1);
    let trailing = format!("{} ", all[1]);
    let crlf = format!("{}\r", all[1]);
    for edited in [&duplicate, &extra, &spaced, &trailing, &crlf] {
        let report = verify_text(&join(&[all[0], edited, all[2], all[3]])).problem.unwrap();
        assert_eq!((report.line, report.kind), (2, ProblemKind::Changed), "{edited}");
    }
    let report = verify_text(&join(&[all[0], &duplicate])).problem.unwrap();
    assert!(report.message.contains("duplicate field `outcome`"), "{}", report.message);
    let report = verify_text(&join(&[all[0], &trailing])).problem.unwrap();
    assert!(report.message.contains("not exactly as atom-sage wrote it"), "{}", report.message);
    assert_eq!(problem(&text), None);
}

#[test]
fn verify_counts_complete_entries_and_the_cut_line_apart() {
    let (_dir, text) = four_lines();
    let all = lines(&text);
    let cut = format!("{}\n{}", all[0], &all[1][..40]);
    let verification = verify_text(&cut);
    assert_eq!((verification.entries, verification.truncated_line), (1, Some(2)));
    assert_eq!(verification.problem.map(|p| p.kind), Some(ProblemKind::Truncated));
    assert_eq!(verification.head.as_deref(), all[0].split("\"hash\":\"").nth(1).map(|h| &h[..64]));
    let whole = verify_text(&text);
    assert_eq!((whole.entries, whole.truncated_line), (4, None));
}

#[test]
fn appending_after_a_cut_off_line_is_refused() {
    let (dir, text) = four_lines();
    std::fs::write(trail_path(dir.path()), &text[..text.len() - 10]).unwrap();
    let error = append(dir.path(), NewEntry { action: "CHECK".to_owned(), ..NewEntry::default() })
        .unwrap_err();
    assert!(matches!(error, TrailError::Truncated { line: 4, .. }), "{error}");
    let trail = read(dir.path()).unwrap();
    assert_eq!((trail.entries.len(), trail.truncated_line), (3, Some(4)));
}

#[test]
fn resume_lists_operations_that_never_ended() {
    let dir = tempfile::tempdir().unwrap();
    let finished = record(dir.path(), "DEPLOY", Outcome::Started, None);
    record(dir.path(), "DEPLOY", Outcome::Succeeded, Some(&finished.tag));
    let hanging = append(
        dir.path(),
        NewEntry {
            action: "DEPLOY".to_owned(),
            environment: Some("staging".to_owned()),
            worker: Some("user-auth-staging".to_owned()),
            version_ids: VersionIds { before: Some("a1b2c3".to_owned()), after: None },
            who: Some("Ada".to_owned()),
            ..NewEntry::default()
        },
    )
    .unwrap();
    record(dir.path(), "CHECK", Outcome::Failed, None);
    let open = resume(&read(dir.path()).unwrap().entries);
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].tag, hanging.tag);
    assert_eq!(open[0].version_before.as_deref(), Some("a1b2c3"));
    assert_eq!(
        open[0].undo_command.as_deref(),
        Some("npx wrangler rollback a1b2c3 --name user-auth-staging --env staging")
    );
    assert!(open[0].close_command.contains(&format!("--operation {}", hanging.tag)));
}

#[test]
fn csv_quotes_and_defuses_cells() {
    let dir = tempfile::tempdir().unwrap();
    append(
        dir.path(),
        NewEntry {
            action: "CHECK".to_owned(),
            outcome: Some(Outcome::Failed),
            intent: Some("say \"hi\", then =cmd".to_owned()),
            reason: Some("=HYPERLINK(1)".to_owned()),
            findings: Some(FindingsSummary {
                errors: 2,
                warnings: 1,
                infos: 0,
                codes: vec!["KV001".into(), "VAR001".into()],
            }),
            who: Some("Ada".to_owned()),
            ..NewEntry::default()
        },
    )
    .unwrap();
    let csv = export(&read(dir.path()).unwrap().entries, ExportFormat::Csv);
    let rows: Vec<&str> = csv.split("\r\n").collect();
    assert!(rows[0].starts_with("tag,operation,time,who,intent,action,"));
    assert!(
        rows[1].contains(
            ",\"say \"\"hi\"\", then =cmd\",CHECK,,,,,2,1,0,KV001 VAR001,failed,'=HYPERLINK(1),,"
        ),
        "{}",
        rows[1]
    );
    assert_eq!(rows.len(), 3);
}

#[test]
fn outcomes_must_name_a_started_operation() {
    let dir = tempfile::tempdir().unwrap();
    let check = record(dir.path(), "CHECK", Outcome::Succeeded, None);
    let result = append(
        dir.path(),
        NewEntry {
            action: "DEPLOY".to_owned(),
            outcome: Some(Outcome::Succeeded),
            operation: Some(check.tag.clone()),
            who: Some("Ada".to_owned()),
            ..NewEntry::default()
        },
    );
    assert!(matches!(result, Err(TrailError::UnknownOperation(ref tag)) if *tag == check.tag));
    let result = append(
        dir.path(),
        NewEntry {
            action: "DEPLOY".to_owned(),
            operation: Some(check.tag.clone()),
            who: Some("Ada".to_owned()),
            ..NewEntry::default()
        },
    );
    assert!(matches!(result, Err(TrailError::StartedWithOperation)));
    let started = record(dir.path(), "DEPLOY", Outcome::Started, None);
    let failed = record(dir.path(), "DEPLOY", Outcome::Failed, Some(&started.tag));
    let rolled_back = record(dir.path(), "DEPLOY", Outcome::RolledBack, Some(&started.tag));
    assert_eq!(
        (failed.operation.as_str(), rolled_back.operation.as_str()),
        (started.tag.as_str(), started.tag.as_str())
    );
    assert_eq!(read(dir.path()).unwrap().entries.len(), 4);
}

#[test]
fn sink_urls_are_shown_without_user_or_query() {
    assert_eq!(
        super::redact_url("https://me:pw@audit.example.com:8443/in?key=abc#x"),
        "https://<redacted>@audit.example.com:8443/in?<redacted>"
    );
    assert_eq!(super::redact_url("http://127.0.0.1:9/audit"), "http://127.0.0.1:9/audit");
}

#[test]
fn sink_header_references() {
    assert_eq!(super::header_references("Bearer ${TOKEN} ${_B2}"), Ok(vec!["TOKEN", "_B2"]));
    assert_eq!(super::header_references("plain"), Ok(vec![]));
    assert_eq!(super::header_references("a ${2X} b"), Err("${2X}".to_owned()));
    assert_eq!(super::header_references("a ${OPEN"), Err("${OPEN".to_owned()));
}
