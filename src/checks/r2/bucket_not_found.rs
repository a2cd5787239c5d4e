use crate::checks::account::{Hint, Lookup, expect_each};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// An R2 binding whose bucket is not in the account.
pub const RULE: Rule = Rule {
    code: "R2003",
    name: "bucket-not-found",
    service: Service::R2,
    severity: Severity::Error,
    fixable: false,
    summary: "An R2 bucket_name is not a bucket of the account (--remote)",
    docs: r#"## What it checks
With `--remote`: every `r2_buckets` binding's `bucket_name` is one of the account's buckets
(`/r2/buckets`, every cursor page). A wrong name says which bucket of a similar name exists.

## Why it matters
The upload binds a bucket that does not exist and the deploy fails (code 10085).

## Example
```toml
[[r2_buckets]]
binding = "ASSETS"
bucket_name = "tenant-asets"   # bad: the account has tenant-assets
```

## Known limitations
A bucket is looked up in the jurisdiction its binding names (`jurisdiction = "eu"`, sent as
the `cf-r2-jurisdiction` header); one created in another jurisdiction is reported missing,
which is what the deploy will find too.

## See also
https://developers.cloudflare.com/r2/api/workers/workers-api-usage/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

const LOOKUP: Lookup = Lookup {
    binding_key: "binding",
    what: "R2 bucket",
    key: "bucket_name",
    by_name: true,
    name_field: "name",
    hint: Hint::Value,
    short: "R2",
    consequence: "the deploy fails (code 10085)",
};

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    // Each bucket is looked up in its jurisdiction's list.
    for bucket in env.items("r2_buckets") {
        let jurisdiction = crate::remote::jurisdiction_of(bucket);
        let Some(listed) = snapshot.r2_buckets.get(jurisdiction) else { continue };
        expect_each(sink, env, snapshot, std::slice::from_ref(bucket), listed, &LOOKUP);
    }
}
