use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::resource_ids::{is_placeholder, is_uuid};
use crate::syntax::Node;

/// A D1 `database_id` that is not one.
pub const RULE: Rule = Rule {
    code: "D1001",
    name: "invalid-database-id",
    service: Service::D1,
    severity: Severity::Error,
    fixable: false,
    summary: "A D1 database_id or preview_database_id is a placeholder or not a UUID",
    docs: r#"## What it checks
`database_id` and `preview_database_id` of every D1 binding: a D1 database id is a UUID
(`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hexadecimal).

## Why it matters
The upload is rejected when the id is not a database's id; a placeholder copied from a
template is the usual cause.

## Example
```toml
[[d1_databases]]
binding = "DB"
database_name = "app-db"
database_id = "<YOUR_DATABASE_ID>"                      # bad
database_id = "11111111-2222-3333-4444-555555555555"    # good
```

## Known limitations
Whether the database exists is only known with `--remote`.

## See also
https://developers.cloudflare.com/d1/get-started/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    for database in env.items("d1_databases") {
        let binding = database.get("binding").and_then(Node::as_str).unwrap_or("?");
        for key in ["database_id", "preview_database_id"] {
            let Some(node) = database.get(key) else { continue };
            let Some(id) = node.as_str() else { continue };
            // wrangler uses "DB" and the like for local-only databases in preview ids.
            if is_uuid(id) || (key == "preview_database_id" && id == binding) {
                continue;
            }
            let what = if is_placeholder(id) { "is a placeholder" } else { "is not a UUID" };
            sink.report(Some(env), node.span, format!("D1 database `{binding}` {key} `{id}` {what}"))
                .binding(binding)
                .help("use the id from `wrangler d1 list`, or remove `database_id` to have wrangler create the database");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn uuids_pass() {
        let text = format!(
            "{BASE}[[d1_databases]]\nbinding = \"DB\"\ndatabase_name = \"d\"\ndatabase_id = \"11111111-2222-3333-4444-555555555555\"\npreview_database_id = \"DB\"\n"
        );
        assert_eq!(toml("D1001", &text), Vec::<String>::new());
    }

    #[test]
    fn bad_ids_are_errors() {
        let text = format!(
            "{BASE}[[d1_databases]]\nbinding = \"DB\"\ndatabase_name = \"d\"\ndatabase_id = \"<YOUR_DATABASE_ID>\"\n[[d1_databases]]\nbinding = \"B\"\ndatabase_id = \"1234\"\n"
        );
        assert_eq!(
            toml("D1001", &text),
            [
                "7:15 error [top] D1 database `DB` database_id `<YOUR_DATABASE_ID>` is a placeholder",
                "10:15 error [top] D1 database `B` database_id `1234` is not a UUID",
            ]
        );
    }
}
