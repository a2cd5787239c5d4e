use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Diagnostic, Outcome, Service, Severity, Verification};
use crate::remote::Snapshot;

/// An account check that could not be made, under `--require-remote`.
pub const RULE: Rule = Rule {
    code: "ACC002",
    name: "check-not-made",
    service: Service::Account,
    severity: Severity::Error,
    fixable: false,
    summary: "With --require-remote: an account check could not be made (no permission, timeout, API down)",
    docs: r#"## What it checks
Nothing of its own. Every account check that could not be made is reported as unknown with its
reason: the token may not read it (403, code 10000 or 9109), the API did not answer in time,
answered 5xx after every retry, or sent a body cut short. Unknown is never a pass. With
`--require-remote` each unknown also becomes an error under this code, so CI fails rather than
deploying on checks that did not happen.

## Why it matters
A green report that silently skipped the account is worse than none: the KV namespace that was
deleted yesterday is exactly what a token without KV read permission cannot see.

## Example
```sh
atom-sage check --remote                    # unknowns are listed and counted, exit 0 if nothing else
atom-sage check --remote --require-remote   # unknowns are errors, exit 1
```

## Known limitations
The reason is the API's own answer; atom-sage does not list which permission the token lacks.

## See also
https://developers.cloudflare.com/fundamentals/api/reference/permissions/
"#,
};

/// The registered check: it finds nothing itself; see [`unknown_as_errors`].
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(_: &Context<'_>, _: &Environment<'_>, _: &Snapshot, _: &mut Sink<'_>) {}

/// One error for each verification that could not be made.
#[must_use]
pub fn unknown_as_errors(verifications: &[Verification]) -> Vec<Diagnostic> {
    verifications
        .iter()
        .filter(|v| v.outcome == Outcome::Unknown)
        .map(|v| Diagnostic {
            code: RULE.code,
            name: RULE.name,
            severity: RULE.severity,
            service: v.service,
            env: v.env.clone(),
            binding: None,
            message: format!(
                "{} could not be checked against the account: {}",
                v.subject, v.detail
            ),
            help: Some(
                "give the token read permission for this resource, or retry when the API answers"
                    .to_owned(),
            ),
            note: Some(format!("required by --require-remote; the check is {}", v.code)),
            file: v.file.clone(),
            span: v.span,
            range: v.range,
            sensitive: false,
        })
        .collect()
}
