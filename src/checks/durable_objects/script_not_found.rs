use crate::checks::account::{Wanted, expect_listed, text};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A Durable Object binding hosted by a worker the account does not have.
pub const RULE: Rule = Rule {
    code: "DO003",
    name: "script-not-found",
    service: Service::DurableObjects,
    severity: Severity::Error,
    fixable: false,
    summary: "A Durable Object binding names a script_name the account has no worker for (--remote)",
    docs: r#"## What it checks
With `--remote`: a Durable Object binding with `script_name` (a class hosted by another
worker) names a worker script of the account (`/workers/scripts`).

## Why it matters
The binding points at a class in a worker that is not deployed; the upload is rejected, or
every call to the namespace fails.

## Example
```toml
[[durable_objects.bindings]]
name = "ROOMS"
class_name = "Room"
script_name = "chat-rooms"   # deploy chat-rooms first
```

## Known limitations
Whether that worker exports the class is not checked.

## See also
https://developers.cloudflare.com/durable-objects/reference/durable-objects-migrations/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    for item in env
        .get("durable_objects")
        .map(|d| d.node.get("bindings").map(crate::syntax::Node::items).unwrap_or_default())
        .unwrap_or_default()
    {
        let Some((binding, _)) = text(item, "name") else { continue };
        let Some((value, span)) = text(item, "script_name") else { continue };
        let wanted = Wanted {
            binding,
            what: "Durable Object host worker",
            key: "script_name",
            value,
            span,
            by_name: true,
            name_hint: None,
            short: "Durable Object",
            consequence: "the upload is rejected",
        };
        expect_listed(sink, env, snapshot, &snapshot.scripts, &wanted);
    }
}
