use crate::checks::account::{Hint, Lookup, expect_each};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;
use crate::syntax::Node;

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
The deploy fails when a producer binds a queue that does not exist, and when a consumer names
one: wrangler refuses to attach a consumer to a queue the account does not have.

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

const PRODUCER: Lookup = Lookup {
    binding_key: "binding",
    what: "queue",
    key: "queue",
    by_name: true,
    name_field: "name",
    hint: Hint::Value,
    short: "Queue",
    consequence: "the deploy fails",
};

/// A consumer has no binding; it is named by its queue.
const CONSUMER: Lookup = Lookup {
    binding_key: "queue",
    short: "Queue consumer",
    consequence: "the deploy fails: wrangler cannot attach a consumer to a queue that does not exist",
    ..PRODUCER
};

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    let Some(queues) = env.get("queues") else { return };
    for (key, lookup) in [("producers", &PRODUCER), ("consumers", &CONSUMER)] {
        let items = queues.node.get(key).map(Node::items).unwrap_or_default();
        expect_each(sink, env, snapshot, items, &snapshot.queues, lookup);
    }
}
