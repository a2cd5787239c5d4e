use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::d1::QueryOutcome;
use crate::diagnostic::{Service, Severity};

/// A query SQLite refuses against the schema the migrations build.
pub const RULE: Rule = Rule {
    code: "D1007",
    name: "query-refused",
    service: Service::D1,
    severity: Severity::Error,
    fixable: false,
    summary: "SQL the code sends to D1 does not prepare against the schema its migrations build (no such table or column)",
    docs: r#"## What it checks
Every SQL string the code hands to a D1 binding's `prepare` or `exec` (string literals,
template literals whose placeholders are values, and constants) is prepared by SQLite against
the schema the binding's migrations build. "no such table: order_items" and "no such column"
are reported at the line of the query.

## Why it matters
The query throws on the first request that reaches it, in production, often long after the
deploy.

## Example
```ts
env.DB.prepare("SELECT * FROM order_items WHERE order_id = ?")   // bad: no migration creates order_items
```

## Known limitations
SQL assembled from parts (concatenation, query builders, ORMs) is not checked; the
queries-not-checked finding counts it.

## See also
https://developers.cloudflare.com/d1/worker-api/d1-database/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for check in &context.project.query_checks {
        let QueryOutcome::Refused(message) = &check.outcome else { continue };
        let Some(model) = context.project.code_for(&check.main) else { continue };
        let query = &model.queries[check.query];
        let file = &model.files[query.at.file];
        sink.report_in(
            file,
            None,
            query.at.span,
            format!(
                "this query fails on D1 binding {}: {message} (schema from {}/)",
                query.binding, check.directory
            ),
        )
        .binding(query.binding.as_str())
        .help("add a migration that creates it, or fix the name in the query");
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::findings;

    const CONFIG: &str =
        "name = \"a\"\nmain = \"src/index.js\"\n[[d1_databases]]\nbinding = \"DB\"\n";
    const MIGRATION: &str = "CREATE TABLE orders (id TEXT PRIMARY KEY, user_id TEXT);\n";

    #[test]
    fn queries_against_the_schema_pass() {
        let code = "export default { fetch(r, env) { return env.DB.prepare(`SELECT id FROM orders WHERE user_id = ${r.url}`).all(); } };\n";
        let files = [
            ("wrangler.toml", CONFIG),
            ("migrations/0001_a.sql", MIGRATION),
            ("src/index.js", code),
        ];
        assert_eq!(findings("D1007", &files), Vec::<String>::new());
    }

    #[test]
    fn missing_tables_and_columns_are_errors_at_the_query() {
        let code = "const SQL = \"SELECT total FROM orders\";\nexport default {\n  async fetch(r, env) {\n    await env.DB.prepare(\"SELECT * FROM order_items\").all();\n    return env.DB.prepare(SQL).all();\n  },\n};\n";
        let files = [
            ("wrangler.toml", CONFIG),
            ("migrations/0001_a.sql", MIGRATION),
            ("src/index.js", code),
        ];
        assert_eq!(
            findings("D1007", &files),
            [
                "4:26 error [top] this query fails on D1 binding DB: no such table: order_items (schema from migrations/)",
                "5:27 error [top] this query fails on D1 binding DB: no such column: total (schema from migrations/)",
            ]
        );
    }
}
