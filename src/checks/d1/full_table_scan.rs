use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::d1::QueryOutcome;
use crate::diagnostic::{Service, Severity};

/// A query that reads every row of a table.
pub const RULE: Rule = Rule {
    code: "D1008",
    name: "full-table-scan",
    service: Service::D1,
    severity: Severity::Warning,
    fixable: false,
    summary: "A D1 query filters or orders a table by columns no index covers, so it reads every row",
    docs: r#"## What it checks
SQLite's query plan (`EXPLAIN QUERY PLAN`) for every query the code sends to D1, against the
schema the migrations build. A full scan of a table the query filters (`WHERE`) or orders
(`ORDER BY`) is reported with the index that would serve it.

## Why it matters
D1 bills rows read, and a scan reads them all: the query gets slower and dearer as the table
grows, and can hit D1's limits.

## Example
```sql
SELECT * FROM users WHERE email = ?;          -- warning without an index on email
CREATE INDEX users_by_email ON users (email);  -- the migration that serves it
```

## Known limitations
The plan is made on an empty database, where SQLite has no statistics; the columns suggested
are those the query names.

## See also
https://developers.cloudflare.com/d1/best-practices/use-indexes/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for check in &context.project.query_checks {
        let QueryOutcome::Prepared { full_scans } = &check.outcome else { continue };
        let Some(model) = context.project.code_for(&check.main) else { continue };
        let query = &model.queries[check.query];
        let file = &model.files[query.at.file];
        for (table, columns) in full_scans {
            let list = columns.join(", ");
            let index =
                format!("CREATE INDEX {table}_by_{} ON {table} ({list});", columns.join("_"));
            sink.report_in(file, None, query.at.span, format!("this query reads every row of {table} (D1 bills rows read); an index on {table} ({list}) would serve it"))
                .binding(query.binding.as_str())
                .help(format!("add a migration with `{index}`"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::findings;

    const CONFIG: &str =
        "name = \"a\"\nmain = \"src/index.js\"\n[[d1_databases]]\nbinding = \"DB\"\n";
    const CODE: &str = "export default { fetch(r, env) { return env.DB.prepare(\"SELECT * FROM users WHERE email = ?\").first(); } };\n";

    #[test]
    fn indexed_queries_pass() {
        let migration = "CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT);\nCREATE INDEX users_by_email ON users (email);\n";
        let files = [
            ("wrangler.toml", CONFIG),
            ("migrations/0001_a.sql", migration),
            ("src/index.js", CODE),
        ];
        assert_eq!(findings("D1008", &files), Vec::<String>::new());
    }

    #[test]
    fn scans_are_warnings_naming_the_index() {
        let migration = "CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT);\n";
        let files = [
            ("wrangler.toml", CONFIG),
            ("migrations/0001_a.sql", migration),
            ("src/index.js", CODE),
        ];
        assert_eq!(
            findings("D1008", &files),
            [
                "1:56 warning [top] this query reads every row of users (D1 bills rows read); an index on users (email) would serve it"
            ]
        );
    }
}
