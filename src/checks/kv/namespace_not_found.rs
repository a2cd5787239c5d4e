use crate::checks::account::{Hint, Lookup, expect_each};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A KV binding whose namespace id is not in the account.
pub const RULE: Rule = Rule {
    code: "KV002",
    name: "namespace-not-found",
    service: Service::Kv,
    severity: Severity::Error,
    fixable: false,
    summary: "A KV namespace id is not a namespace of the account (--remote)",
    docs: r#"## What it checks
With `--remote`: every `kv_namespaces` binding's `id` is one of the account's namespaces
(`/storage/kv/namespaces`, every page). A wrong id names the namespace titled as wrangler titles the
ones it creates (`<worker>-<binding>`), or the closest title, which is usually the one meant.

## Why it matters
wrangler uploads the id as written; a namespace that was deleted, or belongs to another
account, fails the deploy (code 10041) or leaves the binding pointing nowhere.

## Example
```toml
[[kv_namespaces]]
binding = "CACHE"
id = "0f2a0f2a0f2a0f2a0f2a0f2a0f2a0f2a"   # must be an id `wrangler kv namespace list` shows
```

## Known limitations
`preview_id` is not looked up; it is only used by `wrangler dev --remote`.

## See also
https://developers.cloudflare.com/kv/concepts/kv-namespaces/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

const LOOKUP: Lookup = Lookup {
    binding_key: "binding",
    what: "KV namespace",
    key: "id",
    by_name: false,
    name_field: "title",
    hint: Hint::WorkerTitle,
    short: "KV",
    consequence: "the deploy fails (code 10041)",
};

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    expect_each(sink, env, snapshot, env.items("kv_namespaces"), &snapshot.kv_namespaces, &LOOKUP);
}
