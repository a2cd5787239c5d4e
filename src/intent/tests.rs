use std::fmt::Write as _;

use super::*;

fn declared() -> Vec<String> {
    ["staging", "production", "preview"].map(str::to_owned).to_vec()
}

/// What a line parses to, in short: action, worker, version, environment (as written), from,
/// checks, warnings.
fn short(line: &str, environments: Option<&[String]>) -> String {
    let intent = match parse_line(line, environments) {
        Ok(intent) => intent,
        Err(error) => return format!("error: {error}"),
    };
    let checks: Vec<String> = intent
        .checks
        .iter()
        .map(|check| match check {
            Selection::AllServices => "all".to_owned(),
            Selection::DryRun => "dry-run".to_owned(),
            Selection::Service { service } => service.clone(),
            Selection::Parity { from, to } => format!("parity {from}->{to}"),
        })
        .collect();
    let show = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".to_owned());
    let mut out = format!(
        "{} worker={} version={} env={}",
        intent.action,
        show(&intent.worker),
        show(&intent.version),
        show(&intent.environment)
    );
    if let Some(written) = &intent.environment_written {
        let _ = write!(out, " (written {written})");
    }
    if intent.from_environment.is_some() {
        let _ = write!(out, " from={}", show(&intent.from_environment));
    }
    if !checks.is_empty() {
        let _ = write!(out, " checks=[{}]", checks.join(", "));
    }
    for warning in &intent.warnings {
        let _ = write!(out, " | {warning}");
    }
    out
}

#[test]
fn phrasings_with_a_project() {
    let envs = declared();
    let cases: &[(&str, &str)] = &[
        (
            r#"DEPLOY "Deploy user-auth worker v2.3 to production - CTFWI: Validate all services""#,
            "DEPLOY worker=user-auth version=v2.3 env=production checks=[all]",
        ),
        (
            r#"deploy "Deploy user-auth v2.3 to prod - CTFWI: verify staging→prod parity""#,
            "DEPLOY worker=user-auth version=v2.3 env=production (written prod) checks=[parity staging->production]",
        ),
        (
            r#"DEPLOY "Ship the billing worker 1.4.0 to Staging - ctfwi: dry run, kv and d1""#,
            "DEPLOY worker=billing version=1.4.0 env=staging (written Staging) checks=[dry-run, kv, d1]",
        ),
        (
            r#"ROLLBACK "Roll back user-auth in production to v2.2""#,
            "ROLLBACK worker=user-auth version=v2.2 env=production",
        ),
        (
            r#"rollback "Rollback checkout worker on live - CTFWI: check r2, queues""#,
            "ROLLBACK worker=checkout version=- env=production (written live) checks=[r2, queues]",
        ),
        (r#"CHECK "Check staging""#, "CHECK worker=- version=- env=staging"),
        (
            r#"DEPLOY "Deploy the auth worker to the staging environment""#,
            "DEPLOY worker=auth version=- env=staging",
        ),
        (
            r#"CHECK "Validate api worker in preview - CTFWI: durable objects""#,
            "CHECK worker=api version=- env=preview checks=[durable_objects]",
        ),
        (
            r#"DIFF "Compare staging and production""#,
            "DIFF worker=- version=- env=production from=staging",
        ),
        (
            r#"PROMOTE "Promote user-auth v2.3 from staging to production""#,
            "PROMOTE worker=user-auth version=v2.3 env=production from=staging",
        ),
        (
            r#"CHECK "Check api - CTFWI: staging -> production parity""#,
            "CHECK worker=api version=- env=- checks=[parity staging->production]",
        ),
        (r#"CHECK "Check api in top""#, "CHECK worker=api version=- env=top"),
    ];
    for (line, expected) in cases {
        assert_eq!(short(line, Some(&envs)), *expected, "{line}");
    }
}

#[test]
fn what_is_not_understood_is_said() {
    let envs = declared();
    let cases: &[(&str, &str)] = &[
        ("", "error: no action given; write e.g. DEPLOY \"Deploy api worker v1.2 to production\""),
        (
            r#"DEP;LOY "x""#,
            "error: `DEP;LOY` is not an action; an action is one word such as DEPLOY, ROLLBACK or CHECK",
        ),
        ("DEPLOY", "DEPLOY worker=- version=- env=- | the description is empty"),
        (
            "DEPLOY Deploy user-auth worker v2.3 to production",
            "DEPLOY worker=user-auth version=v2.3 env=production | the description is not in quotes; it was read as one",
        ),
        (
            r#"DEPLOY "Deploy user-auth to qa""#,
            "DEPLOY worker=user-auth version=- env=- (written qa) | environment `qa` is not declared in the config (declared: staging, production, preview)",
        ),
        (
            r#"DEPLOY "Deploy user-auth v2.3""#,
            "DEPLOY worker=user-auth version=v2.3 env=- | no environment is named; nothing assumes one",
        ),
        (
            r#"LAUNCH "Launch rockets to production""#,
            "LAUNCH worker=rockets version=- env=production | `LAUNCH` is not an action atom-sage knows (DEPLOY, ROLLBACK, CHECK, DIFF, PROMOTE)",
        ),
        (
            r#"FLY "to the moon""#,
            "FLY worker=- version=- env=- (written moon) | `FLY` is not an action atom-sage knows (DEPLOY, ROLLBACK, CHECK, DIFF, PROMOTE) | environment `moon` is not declared in the config (declared: staging, production, preview)",
        ),
        (
            r#"DEPLOY "Deploy user-auth to production - CTFWI: make coffee, kv""#,
            "DEPLOY worker=user-auth version=- env=production checks=[kv] | CTFWI: not understood: `make coffee`",
        ),
        (
            r#"DEPLOY "Deploy user-auth to production - CTFWI: verify parity""#,
            "DEPLOY worker=user-auth version=- env=production | CTFWI: a parity check needs two environments, as in `staging -> production`: `verify parity`",
        ),
        (
            r#"CHECK "Deploy user-auth to production""#,
            "CHECK worker=user-auth version=- env=production | the description starts with `Deploy` but the action is CHECK",
        ),
        (
            r#"DEPLOY "Deploy user-auth to production to staging""#,
            "DEPLOY worker=user-auth version=- env=production | more than one environment is named; `staging` was not used",
        ),
        (
            r#"DEPLOY "Deploy api, carefully, to production at 5pm""#,
            "DEPLOY worker=api version=- env=production | environment `5pm` is not declared in the config (declared: staging, production, preview) | not understood: `carefully`",
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(short(line, Some(&envs)), *expected, "{line}");
    }
}

#[test]
fn without_a_project_names_are_kept_as_written() {
    assert_eq!(
        short(r#"DEPLOY "Deploy user-auth worker v2.3 to prod""#, None),
        "DEPLOY worker=user-auth version=v2.3 env=prod"
    );
    // Two declared names mean production: neither is picked.
    let both = ["prod".to_owned(), "production".to_owned()];
    assert_eq!(
        short(r#"DEPLOY "Deploy api to live""#, Some(&both)),
        "DEPLOY worker=api version=- env=- (written live) | environment `live` could mean any of prod, production; name one"
    );
}

#[test]
fn versions_and_names() {
    for word in ["v2.3", "V1", "2.3.1", "v1.0.0-beta.1", "1.2+build5"] {
        assert!(is_version(word), "{word}");
    }
    for word in ["2", "v", "version", "v2.x", "api-v2", "1..2"] {
        assert!(!is_version(word), "{word}");
    }
    let intent = parse("DEPLOY", "Deploy user-auth v2.3 to production", None).unwrap();
    let json = serde_json::to_value(&intent).unwrap();
    assert_eq!(json["worker"], "user-auth");
    assert_eq!(json["checks"], serde_json::json!([]));
    let parity = Selection::Parity { from: "staging".into(), to: "production".into() };
    assert_eq!(
        serde_json::to_value(&parity).unwrap(),
        serde_json::json!({ "kind": "parity", "from": "staging", "to": "production" })
    );
}

#[test]
fn secrets_are_not_echoed() {
    let token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    let line = format!(
        r#"CHECK "Check api with {token} password=hunter2 - CTFWI: {token} -> prod parity, vars""#
    );
    let intent = parse_line(&line, None).unwrap();
    let json = serde_json::to_string(&intent).unwrap();
    assert!(!json.contains(token) && !json.contains("hunter2"), "{json}");
    assert_eq!(
        intent.text,
        "Check api with <redacted> password=<redacted> - CTFWI: <redacted> -> prod parity, vars"
    );
    assert_eq!(intent.warnings, ["not understood: `<redacted> password=<redacted>`"]);
    assert_eq!(
        intent.checks[0],
        Selection::Parity { from: "<redacted>".into(), to: "prod".into() }
    );
    // Unknown action words are echoed too.
    let intent = parse(token, "api", None).unwrap();
    assert_eq!(intent.action, "<redacted>");
    assert!(!intent.warnings.concat().contains(token), "{:?}", intent.warnings);
    let error = parse("password=hunter2", "api", None).unwrap_err().to_string();
    assert!(!error.contains("hunter2"), "{error}");
}

#[test]
fn parity_arrows_with_or_without_spaces() {
    let envs = ["staging", "production", "prod-eu", "pre-prod"].map(str::to_owned).to_vec();
    let cases: &[(&str, &str)] = &[
        ("staging->prod parity", "parity staging->production"),
        ("staging -> prod parity", "parity staging->production"),
        ("staging→prod parity", "parity staging->production"),
        ("staging → prod", "parity staging->production"),
        ("staging=>prod", "parity staging->production"),
        ("staging vs prod", "parity staging->production"),
        ("verify prod-eu->staging parity", "parity prod-eu->staging"),
        ("pre-prod->prod-eu", "parity pre-prod->prod-eu"),
        ("staging->prod-eu, kv", "parity staging->prod-eu, kv"),
    ];
    for (clause, expected) in cases {
        let line = format!("CHECK \"Check api - CTFWI: {clause}\"");
        assert_eq!(
            short(&line, Some(&envs)),
            format!("CHECK worker=api version=- env=- checks=[{expected}]"),
            "{clause}"
        );
    }
}
