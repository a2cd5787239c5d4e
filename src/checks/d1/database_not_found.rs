use crate::checks::account::{Hint, Lookup, expect_each};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A D1 binding whose database id is not in the account.
pub const RULE: Rule = Rule {
    code: "D1011",
    name: "database-not-found",
    service: Service::D1,
    severity: Severity::Error,
    fixable: false,
    summary: "A D1 database_id is not a database of the account (--remote)",
    docs: r#"## What it checks
With `--remote`: every `d1_databases` binding's `database_id` is one of the account's
databases (`/d1/database`, every page). When the account has a database named as the binding's
`database_name` under another id, the message gives that id: the database was recreated.

## Why it matters
The upload binds a database that does not exist and the deploy fails (code 10181); a
database recreated under the same name keeps the name but not the id.

## Example
```toml
[[d1_databases]]
binding = "DB"
database_name = "accounts"
database_id = "d0d0d0d0-aaaa-bbbb-cccc-000000000001"   # the id `wrangler d1 list` shows for accounts
```

## Known limitations
`preview_database_id` is not looked up.

## See also
https://developers.cloudflare.com/d1/get-started/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

const LOOKUP: Lookup = Lookup {
    binding_key: "binding",
    what: "D1 database",
    key: "database_id",
    by_name: false,
    name_field: "name",
    hint: Hint::Key("database_name"),
    short: "D1",
    consequence: "the deploy fails (code 10181)",
};

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    expect_each(sink, env, snapshot, env.items("d1_databases"), &snapshot.d1_databases, &LOOKUP);
}
