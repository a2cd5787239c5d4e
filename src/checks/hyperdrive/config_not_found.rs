use crate::checks::account::{Hint, Lookup, expect_each};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A Hyperdrive binding whose config is not in the account.
pub const RULE: Rule = Rule {
    code: "HYP002",
    name: "config-not-found",
    service: Service::Hyperdrive,
    severity: Severity::Error,
    fixable: false,
    summary: "A Hyperdrive config id is not a config of the account (--remote)",
    docs: r#"## What it checks
With `--remote`: every `hyperdrive` binding's `id` is one of the account's Hyperdrive configs
(`/hyperdrive/configs`).

## Why it matters
The upload binds a config that does not exist and the deploy fails.

## Example
```toml
[[hyperdrive]]
binding = "PG"
id = "0123456789abcdef0123456789abcdef"   # must be an id `wrangler hyperdrive list` shows
```

## Known limitations
`localConnectionString` is not checked.

## See also
https://developers.cloudflare.com/hyperdrive/get-started/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

const LOOKUP: Lookup = Lookup {
    binding_key: "binding",
    what: "Hyperdrive config",
    key: "id",
    by_name: false,
    name_field: "name",
    hint: Hint::Value,
    short: "Hyperdrive",
    consequence: "the deploy fails",
};

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    expect_each(sink, env, snapshot, env.items("hyperdrive"), &snapshot.hyperdrive, &LOOKUP);
}
