use super::{Hint, Lookup, expect_each};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A Vectorize binding whose index is not in the account.
pub const RULE: Rule = Rule {
    code: "ACC003",
    name: "vectorize-index-not-found",
    service: Service::Account,
    severity: Severity::Error,
    fixable: false,
    summary: "A Vectorize binding names an index the account does not have (--remote)",
    docs: r#"## What it checks
With `--remote`: every `vectorize` binding's `index_name` is among the account's Vectorize
indexes (`/vectorize/v2/indexes`). A wrong name says which index of a similar name exists.

## Why it matters
The upload names an index that is not there and the deploy fails.

## Example
```toml
[[vectorize]]
binding = "SEARCH"
index_name = "docs-embedings"   # bad: the account has docs-embeddings
```

## Known limitations
Indexes of the deprecated v1 API are not listed.

## See also
https://developers.cloudflare.com/vectorize/reference/client-api/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

const LOOKUP: Lookup = Lookup {
    binding_key: "binding",
    what: "Vectorize index",
    key: "index_name",
    by_name: true,
    name_field: "name",
    hint: Hint::Value,
    short: "Vectorize",
    consequence: "the deploy fails",
};

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    expect_each(sink, env, snapshot, env.items("vectorize"), &snapshot.vectorize, &LOOKUP);
}
