use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::diagnostic::{Service, Severity};

/// A migration SQLite cannot apply.
pub const RULE: Rule = Rule {
    code: "D1005",
    name: "migration-fails",
    service: Service::D1,
    severity: Severity::Error,
    fixable: false,
    summary: "A D1 migration fails when replayed in order into SQLite",
    docs: r#"## What it checks
Every migrations folder is replayed, file by file in the order wrangler applies them, into an
in-memory SQLite database (D1 is SQLite). The first statement SQLite refuses is reported with
the file, the line and SQLite's own message.

## Why it matters
`wrangler d1 migrations apply` stops at the same statement, and every migration after it, and
the tables the code needs, never reach the database.

## Example
```sql
CREATE TABLE orders (id TEXT PRIMARY KEY);
CREATE INDEX orders_by_user ON orders (user_id);   -- bad: no such column: user_id
```

## Known limitations
Statements that depend on existing data (an `INSERT ... SELECT` that a constraint rejects for
particular rows) are replayed against an empty database.

## See also
https://developers.cloudflare.com/d1/reference/migrations/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for schema in &context.project.d1_schemas {
        let Some(failure) = &schema.failure else { continue };
        if super::users(context, schema_directory(context, &schema.directory)).is_empty() {
            continue;
        }
        let file = &schema.files[failure.file];
        sink.report_in(file, None, failure.span, format!("this migration fails in SQLite: {}", failure.message))
            .help("fix the statement; `wrangler d1 migrations apply` stops here and applies nothing after it");
    }
}

fn schema_directory<'a>(
    context: &Context<'a>,
    written: &str,
) -> &'a crate::project::MigrationsDirectory {
    context
        .project
        .migrations_directory(written)
        .expect("every schema comes from a migrations folder")
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::findings;

    const CONFIG: &str =
        "name = \"a\"\nmain = \"src/index.js\"\n[[d1_databases]]\nbinding = \"DB\"\n";

    #[test]
    fn migrations_that_apply_pass() {
        let files =
            [("wrangler.toml", CONFIG), ("migrations/0001_a.sql", "CREATE TABLE a (id TEXT);\n")];
        assert_eq!(findings("D1005", &files), Vec::<String>::new());
    }

    #[test]
    fn a_failing_statement_is_an_error_at_its_line() {
        let files = [
            ("wrangler.toml", CONFIG),
            ("migrations/0001_a.sql", "CREATE TABLE orders (id TEXT PRIMARY KEY);\n"),
            (
                "migrations/0002_b.sql",
                "-- index\nCREATE INDEX orders_by_user ON orders (user_id);\n",
            ),
        ];
        assert_eq!(
            findings("D1005", &files),
            ["2:1 error [top] this migration fails in SQLite: no such column: user_id"]
        );
    }
}
