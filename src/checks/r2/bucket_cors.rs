use crate::checks::account::text;
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A bucket browsers fetch from whose CORS policy does not let them.
pub const RULE: Rule = Rule {
    code: "R2004",
    name: "bucket-cors",
    service: Service::R2,
    severity: Severity::Error,
    fixable: false,
    summary: "An R2 bucket browsers fetch from has no CORS policy, or one that refuses their origin or method (--remote)",
    docs: r#"## What it checks
With `--remote`, when the settings file says which origins fetch from R2 in the browser
(`r2.browser_origins`, with `r2.browser_methods` and optionally `r2.bindings`): the CORS policy
of each such bucket (`/r2/buckets/{name}/cors`). No policy at all (404, code 10059) is an
error; so is a policy none of whose rules allows an origin with every method it uses.

## Why it matters
Uploads through presigned URLs and fetches from a public bucket fail in the browser with a
CORS error, while every test from curl or the worker passes.

## Example
```yaml
# .atom-sage/cloudflare-config.yaml
r2:
  browser_origins: ["https://app.example.com"]
  browser_methods: [GET, PUT]
  bindings: [UPLOADS]
```
```sh
wrangler r2 bucket cors set uploads --file cors.json
```

## Known limitations
Allowed headers and `exposeHeaders` are not compared. Without `r2.browser_origins` the check
says nothing: whether a browser fetches from a bucket is not in the config.

## See also
https://developers.cloudflare.com/r2/buckets/cors/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    let settings = &context.project.settings.r2;
    for bucket in env.items("r2_buckets") {
        let Some((binding, _)) = text(bucket, "binding") else { continue };
        let Some((name, span)) = text(bucket, "bucket_name") else { continue };
        if !settings.applies_to(binding) {
            continue;
        }
        if snapshot.bucket_missing(name, crate::remote::jurisdiction_of(bucket)) {
            continue; // bucket-not-found says so
        }
        let Some(remote) = snapshot.r2.get(name) else { continue };
        let subject = format!("R2 {binding} CORS");
        let rules = match &remote.cors {
            Ok(Some(rules)) => rules,
            Ok(None) => {
                sink.report(
                    Some(env),
                    span,
                    format!(
                        "R2 bucket {name} has no CORS policy (code 10059), but {} fetch from it in the browser; every such request is blocked",
                        settings.browser_origins.join(", ")
                    ),
                )
                .binding(binding)
                .help(format!("set a policy allowing {} for those origins: `wrangler r2 bucket cors set {name} --file cors.json`", settings.methods().join(", ")));
                continue;
            }
            Err(reason) => {
                sink.unknown(Some(env), span, subject, reason);
                continue;
            }
        };
        let methods = settings.methods();
        // Each (origin, method) pair needs some rule allowing it; rules may split methods or
        // origins between them. Per origin, the methods no rule allows.
        let refused: Vec<String> = settings
            .browser_origins
            .iter()
            .filter_map(|origin| {
                let missing: Vec<&str> = methods
                    .iter()
                    .filter(|method| !rules.iter().any(|rule| rule.allows(origin, method)))
                    .copied()
                    .collect();
                (!missing.is_empty()).then(|| format!("{origin} with {}", missing.join(", ")))
            })
            .collect();
        if refused.is_empty() {
            sink.verified(
                Some(env),
                span,
                subject,
                format!(
                    "→ allows {} ({})",
                    settings.browser_origins.join(", "),
                    methods.join(", ")
                ),
            );
            continue;
        }
        sink.report(
            Some(env),
            span,
            format!(
                "the CORS policy of R2 bucket {name} has no rule allowing {}; the browser blocks those requests",
                refused.join("; ")
            ),
        )
        .binding(binding)
        .help("add the origin and methods to a rule of the bucket's CORS policy");
    }
}
