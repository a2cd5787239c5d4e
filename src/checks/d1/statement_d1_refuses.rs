use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::diagnostic::{Service, Severity};

/// Migration statements D1 refuses or ignores.
pub const RULE: Rule = Rule {
    code: "D1006",
    name: "statement-d1-refuses",
    service: Service::D1,
    severity: Severity::Error,
    fixable: false,
    summary: "A migration uses a statement D1 refuses (explicit transactions, ATTACH, VACUUM, some PRAGMAs) or ignores",
    docs: r#"## What it checks
Statements SQLite runs but D1 does not: `BEGIN`/`COMMIT`/`ROLLBACK`/`SAVEPOINT` (D1 wraps
each migration in its own transaction), `ATTACH`/`DETACH`, `VACUUM`, and PRAGMAs that change
storage settings (`journal_mode`, `synchronous`, ...) are refused: errors. `PRAGMA foreign_keys
= OFF` is ignored inside D1's transaction: a warning, since the migration then fails on foreign
keys; `PRAGMA defer_foreign_keys = on` is what works.

## Why it matters
Migrations generated for plain SQLite (by ORMs, or dumped from a local database) apply locally
and fail on D1.

## Example
```sql
BEGIN TRANSACTION;                 -- bad
CREATE TABLE a (id TEXT);
COMMIT;                            -- bad
```

## Known limitations
Only the statements listed above are recognised.

## See also
https://developers.cloudflare.com/d1/sql-api/sql-statements/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for schema in &context.project.d1_schemas {
        for statement in &schema.unsupported {
            let file = &schema.files[statement.file];
            let diagnostic =
                sink.report_in(file, None, statement.span, statement.reason.to_owned());
            if !statement.refused {
                diagnostic.severity(Severity::Warning);
            }
            diagnostic.help("remove the statement, or replace it with what D1 supports");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::findings;

    const CONFIG: &str =
        "name = \"a\"\nmain = \"src/index.js\"\n[[d1_databases]]\nbinding = \"DB\"\n";

    #[test]
    fn plain_migrations_pass() {
        let files = [
            ("wrangler.toml", CONFIG),
            (
                "migrations/0001_a.sql",
                "PRAGMA defer_foreign_keys = on;\nCREATE TABLE a (id TEXT);\n",
            ),
        ];
        assert_eq!(findings("D1006", &files), Vec::<String>::new());
    }

    #[test]
    fn transactions_and_foreign_key_switches_are_reported() {
        let files = [
            ("wrangler.toml", CONFIG),
            (
                "migrations/0001_a.sql",
                "BEGIN TRANSACTION;\nPRAGMA foreign_keys=OFF;\nCREATE TABLE a (id TEXT);\nCOMMIT;\n",
            ),
        ];
        assert_eq!(
            findings("D1006", &files),
            [
                "1:1 error [top] D1 runs every migration in a transaction of its own and refuses explicit transaction statements",
                "2:1 warning [top] D1 ignores PRAGMA foreign_keys = OFF inside its transaction; use PRAGMA defer_foreign_keys = on",
                "4:1 error [top] D1 runs every migration in a transaction of its own and refuses explicit transaction statements",
            ]
        );
    }
}
