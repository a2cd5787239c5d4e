use crate::checks::account::{Hint, Lookup, expect_each};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;
use crate::syntax::Node;

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

const LOOKUP: Lookup = Lookup {
    binding_key: "name",
    what: "Durable Object host worker",
    key: "script_name",
    by_name: true,
    name_field: "name",
    hint: Hint::Value,
    short: "Durable Object",
    consequence: "the upload is rejected",
};

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    expect_each(
        sink,
        env,
        snapshot,
        env.get("durable_objects")
            .and_then(|d| d.node.get("bindings"))
            .map(Node::items)
            .unwrap_or_default(),
        &snapshot.scripts,
        &LOOKUP,
    );
}
