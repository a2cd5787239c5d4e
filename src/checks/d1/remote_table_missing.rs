use super::remote_bindings;
use crate::checks::code::code_of;
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::d1::{QueryOutcome, Schema};
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// SQL of the code that the remote database refuses.
pub const RULE: Rule = Rule {
    code: "D1014",
    name: "remote-query-refused",
    service: Service::D1,
    severity: Severity::Error,
    fixable: false,
    summary: "SQL the code sends to D1 does not prepare against the account's database: no such table or column (--remote)",
    docs: r#"## What it checks
With `--remote`: the schema of each bound database is read from the account (`sqlite_master`),
rebuilt in SQLite, and every SQL string the code hands the binding is prepared against it. A
table or column the code needs and the production database lacks is an error at the query.
Queries that already fail against the local migrations are left to query-refused.

## Why it matters
The migrations may be right and still not applied, or production may have been changed by
hand: the first request that runs the query fails with `no such table`.

## Example
```ts
await env.DB.prepare('SELECT count(*) AS n FROM "user"').first() // the account's database has no table user
```

## Known limitations
Only SQL the code analysis can read is checked (see queries-not-checked).

## See also
https://developers.cloudflare.com/d1/worker-api/prepared-statements/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    let Some(model) = code_of(context, env) else { return };
    for database in remote_bindings(env, snapshot) {
        let queries: Vec<(usize, &crate::code::Query)> = model
            .queries
            .iter()
            .enumerate()
            .filter(|(_, q)| q.binding == database.binding && q.sql.is_some())
            .collect();
        if queries.is_empty() {
            continue;
        }
        let subject = format!("D1 {} queries", database.binding);
        let objects = match database.remote.and_then(|remote| remote.schema.clone()) {
            Ok(objects) => objects,
            Err(reason) => {
                sink.unknown(Some(env), database.span, subject, reason);
                continue;
            }
        };
        let schema = Schema::from_objects(database.migrations_dir, &objects);
        let mut refused = 0;
        for (index, query) in &queries {
            let QueryOutcome::Refused(message) =
                schema.prepare(query.sql.as_deref(), query.placeholders)
            else {
                continue;
            };
            // query-refused reports it already, against one of the migrations folders.
            let refused_locally = context.project.query_checks.iter().any(|c| {
                c.main == model.main
                    && c.query == *index
                    && matches!(c.outcome, QueryOutcome::Refused(_))
            });
            if refused_locally {
                continue;
            }
            refused += 1;
            let file = &model.files[query.at.file];
            sink.report_in(
                file,
                env.name,
                query.at.span,
                format!(
                    "this query fails on remote D1 database {} (binding {}): {message}",
                    database.name, database.binding
                ),
            )
            .binding(database.binding)
            .help(format!(
                "apply the migrations that create it: `wrangler d1 migrations apply {} --remote{}`",
                database.name,
                env.name.map(|n| format!(" --env {n}")).unwrap_or_default()
            ));
        }
        if refused == 0 {
            sink.verified(
                Some(env),
                database.span,
                subject,
                format!("→ all {} prepare against {}", queries.len(), database.name),
            );
        }
    }
}
