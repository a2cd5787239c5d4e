use crate::checks::account::{Hint, Lookup, expect_each};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A service binding to a worker the account does not have.
pub const RULE: Rule = Rule {
    code: "SVC002",
    name: "service-not-found",
    service: Service::Services,
    severity: Severity::Error,
    fixable: false,
    summary: "A service binding targets a worker the account does not have (--remote)",
    docs: r#"## What it checks
With `--remote`: every `services` binding's `service` is a worker script of the account
(`/workers/scripts`). A wrong name says which worker of a similar name exists; remember an
environment deploys as `<name>-<env>`.

## Why it matters
A binding to a worker that does not exist fails the deploy, or every call through it fails.

## Example
```toml
[[env.production.services]]
binding = "AUTH"
service = "auth-worker-production"   # the environment's worker, not auth-worker
```

## Known limitations
`entrypoint` is not checked against the target's exports.

## See also
https://developers.cloudflare.com/workers/runtime-apis/bindings/service-bindings/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

const LOOKUP: Lookup = Lookup {
    binding_key: "binding",
    what: "worker",
    key: "service",
    by_name: true,
    name_field: "name",
    hint: Hint::Value,
    short: "Service",
    consequence: "the deploy fails",
};

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    expect_each(sink, env, snapshot, env.items("services"), &snapshot.scripts, &LOOKUP);
}
