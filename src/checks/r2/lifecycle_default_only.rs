use crate::checks::account::text;
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// The rule every new bucket has.
const DEFAULT_RULE: &str = "Default Multipart Abort Rule";

/// A bucket with no lifecycle rules of its own.
pub const RULE: Rule = Rule {
    code: "R2005",
    name: "lifecycle-default-only",
    service: Service::R2,
    severity: Severity::Info,
    fixable: false,
    summary: "An R2 bucket has no lifecycle rules beyond the default multipart-abort rule (--remote)",
    docs: r#"## What it checks
With `--remote`: the lifecycle rules of each bound bucket (`/r2/buckets/{name}/lifecycle`). A
new bucket has one rule, which aborts unfinished multipart uploads after seven days; a bucket
with only that keeps every object until something deletes it.

## Why it matters
Logs, exports and temporary uploads grow without bound, and storage is billed by the month.
For buckets meant to keep everything this is as intended, hence info.

## Example
```sh
wrangler r2 bucket lifecycle add exports --expire-days 30
```

## Known limitations
Whether the bucket is meant to keep everything is not known.

## See also
https://developers.cloudflare.com/r2/buckets/object-lifecycles/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    for bucket in env.items("r2_buckets") {
        let Some((binding, _)) = text(bucket, "binding") else { continue };
        let Some((name, span)) = text(bucket, "bucket_name") else { continue };
        if snapshot.bucket_missing(name, crate::remote::jurisdiction_of(bucket)) {
            continue;
        }
        let Some(remote) = snapshot.r2.get(name) else { continue };
        let subject = format!("R2 {binding} lifecycle");
        match &remote.lifecycle {
            Err(reason) => sink.unknown(Some(env), span, subject, reason),
            Ok(rules) if rules.iter().all(|id| id == DEFAULT_RULE) => {
                sink.report(
                    Some(env),
                    span,
                    format!("R2 bucket {name} has no lifecycle rules beyond the default multipart-abort rule; objects are kept until deleted"),
                )
                .binding(binding)
                .help(format!("if objects should expire, add a rule: `wrangler r2 bucket lifecycle add {name} --expire-days 30`"));
            }
            Ok(rules) => {
                let own = rules.iter().filter(|id| *id != DEFAULT_RULE).count();
                sink.verified(Some(env), span, subject, format!("→ {own} rule(s) of its own"));
            }
        }
    }
}
