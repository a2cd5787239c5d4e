use super::remote_bindings;
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// Migrations the remote database has not had.
pub const RULE: Rule = Rule {
    code: "D1012",
    name: "remote-migrations-pending",
    service: Service::D1,
    severity: Severity::Error,
    fixable: false,
    summary: "The account's D1 database has not applied every local migration file (--remote)",
    docs: r#"## What it checks
With `--remote`: the migrations table of each bound D1 database (`d1_migrations`, or the
binding's `migrations_table`), read through the query endpoint, against the `.sql` files of the
binding's `migrations_dir`. Every file not recorded there is listed, in order. A database with
no migrations table has applied none.

## Why it matters
The new code deploys; the schema it queries does not exist yet: `no such table` in production
until someone runs the migration. `wrangler d1 migrations apply` defaults to the local
database, so a project whose only schema command says `--local` never touches production.

## Example
```sh
wrangler d1 migrations apply accounts --remote            # top level
wrangler d1 migrations apply accounts --remote --env production
```

## Known limitations
Migrations recorded remotely but absent locally are not reported here; remote-schema-drift
shows the tables they made.

## See also
https://developers.cloudflare.com/d1/reference/migrations/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    for database in remote_bindings(env, snapshot) {
        let Some(folder) = context.project.migrations_directory(database.migrations_dir) else {
            continue;
        };
        if folder.files.is_empty() {
            continue;
        }
        let subject = format!("D1 {} migrations", database.binding);
        let applied = match database.remote.and_then(|remote| remote.applied.clone()) {
            Ok(applied) => applied,
            Err(reason) => {
                sink.unknown(Some(env), database.span, subject, reason);
                continue;
            }
        };
        let pending: Vec<&str> =
            folder.files.iter().filter(|f| !applied.contains(f)).map(String::as_str).collect();
        if pending.is_empty() {
            sink.verified(
                Some(env),
                database.span,
                subject,
                format!("→ {} has all {} applied", database.name, folder.files.len()),
            );
            continue;
        }
        let done = folder.files.len() - pending.len();
        let flag = env.name.map(|n| format!(" --env {n}")).unwrap_or_default();
        let diagnostic = sink.report(
            Some(env),
            database.span,
            format!(
                "{} migration{} of {}/ not applied to remote D1 database {} ({done} of {} applied): {}",
                pending.len(),
                if pending.len() == 1 { "" } else { "s" },
                database.migrations_dir,
                database.name,
                folder.files.len(),
                pending.join(", ")
            ),
        );
        diagnostic.binding(database.binding).help(format!(
            "run `wrangler d1 migrations apply {} --remote{flag}` before deploying",
            database.name
        ));
        if only_local_schema_commands(context) {
            diagnostic.note("the only D1 schema commands in package.json use --local, which never touches the account's database");
        }
    }
}

/// Whether package.json has D1 schema commands and every one of them is `--local`.
fn only_local_schema_commands(context: &Context<'_>) -> bool {
    let scripts = context.project.package_scripts.as_deref().unwrap_or_default();
    let schema: Vec<&String> = scripts
        .iter()
        .filter(|s| s.contains("wrangler d1 migrations apply") || s.contains("wrangler d1 execute"))
        .collect();
    !schema.is_empty() && schema.iter().all(|s| s.contains("--local") && !s.contains("--remote"))
}
