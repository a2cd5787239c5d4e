use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::d1::QueryOutcome;
use crate::diagnostic::{Service, Severity};

/// Queries the D1 checks could not follow.
pub const RULE: Rule = Rule {
    code: "D1009",
    name: "queries-not-checked",
    service: Service::D1,
    severity: Severity::Info,
    fixable: false,
    summary: "Some D1 queries could not be checked against the schema, and are counted rather than passed",
    docs: r#"## What it checks
Queries the code sends to D1 that could not be prepared against the schema: SQL built from
pieces the analysis cannot follow, a template placeholder standing where a value cannot, or a
schema whose migrations did not replay. They are counted, not treated as passing.

## Why it matters
A check that could not run must not look like a check that passed.

## Example
```ts
env.DB.prepare("SELECT * FROM " + table)   // counted as not checked
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/d1/worker-api/prepared-statements/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for model in &context.project.code {
        let checks: Vec<_> =
            context.project.query_checks.iter().filter(|c| c.main == model.main).collect();
        let skipped: Vec<_> =
            checks.iter().filter(|c| matches!(c.outcome, QueryOutcome::NotChecked(_))).collect();
        let Some(first) = skipped.first() else { continue };
        let QueryOutcome::NotChecked(reason) = first.outcome else { continue };
        let query = &model.queries[first.query];
        let file = &model.files[query.at.file];
        let total = checks.len();
        let count = skipped.len();
        sink.report_in(file, None, query.at.span, format!("{count} of {total} D1 queries could not be checked against the schema; this one because {reason}"))
            .help("write the SQL as a string or template literal in the call, with placeholders for values only");
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::findings;

    const CONFIG: &str =
        "name = \"a\"\nmain = \"src/index.js\"\n[[d1_databases]]\nbinding = \"DB\"\n";
    const MIGRATION: &str = "CREATE TABLE t (id TEXT);\n";

    #[test]
    fn literal_queries_pass() {
        let code = "export default { fetch(r, env) { return env.DB.prepare(\"SELECT id FROM t\").all(); } };\n";
        let files = [
            ("wrangler.toml", CONFIG),
            ("migrations/0001_a.sql", MIGRATION),
            ("src/index.js", code),
        ];
        assert_eq!(findings("D1009", &files), Vec::<String>::new());
    }

    #[test]
    fn assembled_queries_are_counted() {
        let code = "export default {\n  fetch(r, env) {\n    env.DB.prepare(\"SELECT id FROM t\");\n    return env.DB.prepare(\"SELECT * FROM \" + r.table).all();\n  },\n};\n";
        let files = [
            ("wrangler.toml", CONFIG),
            ("migrations/0001_a.sql", MIGRATION),
            ("src/index.js", code),
        ];
        assert_eq!(
            findings("D1009", &files),
            [
                "4:27 info [top] 1 of 2 D1 queries could not be checked against the schema; this one because its SQL is built from parts the analysis cannot follow"
            ]
        );
    }
}
