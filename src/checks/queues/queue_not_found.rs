use crate::checks::account::{Wanted, expect_listed, text};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A queue producer or consumer whose queue is not in the account.
pub const RULE: Rule = Rule {
    code: "QUE002",
    name: "queue-not-found",
    service: Service::Queues,
    severity: Severity::Error,
    fixable: false,
    summary: "A queue a producer or consumer names is not a queue of the account (--remote)",
    docs: r#"## What it checks
With `--remote`: the `queue` of every `queues.producers` and `queues.consumers` entry is one
of the account's queues (`/queues`, every page).

## Why it matters
The deploy fails when a producer binds a queue that does not exist, and a consumer of a
missing queue is never called.

## Example
```toml
[[queues.producers]]
binding = "JOBS"
queue = "jobs-prod"   # must be a name `wrangler queues list` shows
```

## Known limitations
Dead-letter queues are not looked up; Cloudflare creates them on first use.

## See also
https://developers.cloudflare.com/queues/configuration/configure-queues/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    for item in env
        .get("queues")
        .map(|q| q.node.get("producers").map(crate::syntax::Node::items).unwrap_or_default())
        .unwrap_or_default()
    {
        let Some((binding, _)) = text(item, "binding") else { continue };
        let Some((value, span)) = text(item, "queue") else { continue };
        let wanted = Wanted {
            binding,
            what: "queue",
            key: "queue",
            value,
            span,
            by_name: true,
            name_hint: None,
            short: "Queue",
            consequence: "the deploy fails",
        };
        expect_listed(sink, env, snapshot, &snapshot.queues, &wanted);
    }
    for item in env
        .get("queues")
        .map(|q| q.node.get("consumers").map(crate::syntax::Node::items).unwrap_or_default())
        .unwrap_or_default()
    {
        let Some((binding, _)) = text(item, "queue") else { continue };
        let Some((value, span)) = text(item, "queue") else { continue };
        let wanted = Wanted {
            binding,
            what: "queue",
            key: "queue",
            value,
            span,
            by_name: true,
            name_hint: None,
            short: "Queue consumer",
            consequence: "the consumer is never called",
        };
        expect_listed(sink, env, snapshot, &snapshot.queues, &wanted);
    }
}
