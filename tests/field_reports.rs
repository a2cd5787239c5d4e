//! Deployment failures users reported in public, rebuilt from their files: each gets the
//! finding it calls for.

mod common;

use atom_sage::{Options, Severity, check};
use serde_json::Value;

/// What atom-sage reports for a case: the check, its severity, and words the message must hold.
struct Expectation {
    id: &'static str,
    code: &'static str,
    severity: Severity,
    mentions: &'static [&'static str],
}

const EXPECTED: &[Expectation] = &[
    // Without reading the code only the missing section can be reported; the code-aware checks
    // raise it to an error once they see `env.COUNTER` used.
    Expectation {
        id: "field-01",
        code: "ENV001",
        severity: Severity::Warning,
        mentions: &["env.staging", "durable_objects", "COUNTER"],
    },
    Expectation {
        id: "field-03",
        code: "KV001",
        severity: Severity::Error,
        mentions: &["CACHE", "placeholder-kv-id", "10042"],
    },
    Expectation {
        id: "field-06",
        code: "D1003",
        severity: Severity::Error,
        mentions: &["migrations", "2 .sql files", "subfolders"],
    },
    Expectation {
        id: "field-21",
        code: "DO001",
        severity: Severity::Error,
        mentions: &["Lobby", "10061"],
    },
    Expectation {
        id: "field-21",
        code: "DO001",
        severity: Severity::Error,
        mentions: &["Match", "10061"],
    },
    Expectation {
        id: "field-25",
        code: "SVC001",
        severity: Severity::Error,
        mentions: &["EVENT_DELIVERY", "event-delivery", "10144"],
    },
];

/// Cases that need what this suite does not build: the worker's code or the account.
const ELSEWHERE: &[(&str, &str)] =
    &[("field-23", "needs the code-aware checks: an import of node:buffer")];

fn cases() -> Vec<Value> {
    let path = common::shared_dir().join("cases/field-reports.json");
    let text = std::fs::read_to_string(path).expect("field-reports.json");
    let reports: Value = serde_json::from_str(&text).expect("field-reports.json parses");
    reports["cases"].as_array().expect("a list of cases").clone()
}

#[test]
fn every_file_only_case_gets_its_finding() {
    for case in cases() {
        let id = case["id"].as_str().expect("an id");
        if case["needs"] != "files" {
            continue;
        }
        let expectations: Vec<&Expectation> = EXPECTED.iter().filter(|e| e.id == id).collect();
        if expectations.is_empty() {
            assert!(
                ELSEWHERE.iter().any(|(other, _)| *other == id),
                "{id} is neither tested nor deferred"
            );
            continue;
        }
        let directory = tempfile::tempdir().expect("a temporary directory");
        for (path, text) in case["repro"]["files"].as_object().expect("files") {
            let path = directory.path().join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
            std::fs::write(path, text.as_str().expect("file text")).expect("written");
        }
        let env = case["repro"]["env"].as_str().map(str::to_owned);
        let report = check(directory.path(), &Options { env: env.clone(), ..Options::default() })
            .expect("the project checks");
        for expectation in expectations {
            let found = report.diagnostics.iter().find(|d| {
                d.code == expectation.code
                    && d.severity == expectation.severity
                    && expectation.mentions.iter().all(|word| d.message.contains(word))
            });
            assert!(
                found.is_some(),
                "{id}: expected {} {:?} mentioning {:?}; got {:#?}",
                expectation.code,
                expectation.severity,
                expectation.mentions,
                report
                    .diagnostics
                    .iter()
                    .map(|d| format!("{} {:?} {}", d.code, d.severity, d.message))
                    .collect::<Vec<_>>()
            );
            let found = found.expect("checked above");
            assert!(found.range.is_some_and(|r| r.line > 0), "{id}: the finding has no location");
            if let Some(env) = &env {
                assert!(
                    found.env.is_none() || found.env.as_ref() == Some(env),
                    "{id}: finding for the wrong environment"
                );
            }
        }
    }
}

/// The cases that need the account: each one's `account_state` is served by the local API as it
/// is, and `check --remote` must find what the report calls for.
const ACCOUNT_EXPECTED: &[Expectation] = &[
    Expectation {
        id: "field-05",
        code: "D1012",
        severity: Severity::Error,
        mentions: &["saas-app-db", "0 of 1", "0000_setup.sql", "--remote", "use --local"],
    },
    Expectation {
        id: "field-05",
        code: "D1014",
        severity: Severity::Error,
        mentions: &["saas-app-db", "no such table: user"],
    },
    Expectation {
        id: "field-08",
        code: "D1011",
        severity: Severity::Error,
        mentions: &[
            "ACCOUNTS_DB",
            "d0d0d0d0-aaaa-bbbb-cccc-000000000001",
            "accounts-staging",
            "e1e1e1e1-aaaa-bbbb-cccc-000000000002",
        ],
    },
    Expectation {
        id: "field-12",
        code: "VAR003",
        severity: Severity::Error,
        mentions: &["AUTH_CALLBACK_URL", "auth-edge", "10053"],
    },
    Expectation {
        id: "field-14",
        code: "RTE006",
        severity: Severity::Error,
        mentions: &["www.example.com", "CNAME", "marketing-site.pages.dev", "100117"],
    },
    Expectation {
        id: "field-16",
        code: "RTE007",
        severity: Severity::Error,
        mentions: &["api.example.com/*", "AAAA 100::", "DNS-only"],
    },
    Expectation {
        id: "field-29",
        code: "RTE008",
        severity: Severity::Warning,
        mentions: &["edge-headers", "www.example.net/*", "blog.example.org/*"],
    },
];

#[test]
fn every_account_case_gets_its_finding_from_the_local_api() {
    let mut seen = 0;
    for case in cases() {
        if case["needs"] != "account" {
            continue;
        }
        seen += 1;
        let id = case["id"].as_str().expect("an id");
        let expectations: Vec<&Expectation> =
            ACCOUNT_EXPECTED.iter().filter(|e| e.id == id).collect();
        assert!(!expectations.is_empty(), "{id} needs the account but is not tested");
        let files: Vec<(String, String)> = case["repro"]["files"]
            .as_object()
            .expect("files")
            .iter()
            .map(|(path, text)| (path.clone(), text.as_str().expect("file text").to_owned()))
            .collect();
        let files: Vec<(&str, &str)> =
            files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let directory = common::write_project(&files);
        let state = case["repro"]["account_state"].to_string();
        let options =
            Options { env: case["repro"]["env"].as_str().map(str::to_owned), ..Options::default() };
        let (report, _server) =
            common::check_remote(directory.path(), &state, common::LOCAL_TOKEN, &options);
        let report = report.expect("the token is accepted");
        let (findings, verifications) = common::lines(&report);
        for expectation in expectations {
            // The finding as a whole: what is wrong, what to do, and why.
            let found = report.diagnostics.iter().any(|d| {
                let text = format!(
                    "{} {} {}",
                    d.message,
                    d.help.as_deref().unwrap_or(""),
                    d.note.as_deref().unwrap_or("")
                );
                d.code == expectation.code
                    && d.severity == expectation.severity
                    && expectation.mentions.iter().all(|word| text.contains(word))
            });
            assert!(
                found,
                "{id}: expected {} {:?} mentioning {:?}; got {findings:#?}\nverified: {verifications:#?}",
                expectation.code, expectation.severity, expectation.mentions,
            );
        }
        assert_eq!(report.summary.unknown, 0, "{id}: {verifications:#?}");
    }
    assert_eq!(seen, 6, "the six account cases");
}
