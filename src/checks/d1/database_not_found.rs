use crate::checks::account::{Wanted, expect_listed, text};
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

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    for item in env.items("d1_databases") {
        let Some((binding, _)) = text(item, "binding") else { continue };
        let Some((value, span)) = text(item, "database_id") else { continue };
        let wanted = Wanted {
            binding,
            what: "D1 database",
            key: "database_id",
            value,
            span,
            by_name: false,
            name_hint: text(item, "database_name").map(|(name, _)| name),
            short: "D1",
            consequence: "the deploy fails (code 10181)",
        };
        expect_listed(sink, env, snapshot, &snapshot.d1_databases, &wanted);
    }
}
