use super::remote_bindings;
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A remote schema that is not what the migrations build.
pub const RULE: Rule = Rule {
    code: "D1013",
    name: "remote-schema-drift",
    service: Service::D1,
    severity: Severity::Warning,
    fixable: false,
    summary: "The account's D1 schema differs from what the migrations build: objects missing or made by hand (--remote)",
    docs: r#"## What it checks
With `--remote`, once every migration is applied remotely: the tables, indexes, views and
triggers of the account's database (`sqlite_master`) against those the local migrations build
when replayed into SQLite. Objects the migrations make that the database lacks, and objects the
database has that no migration makes, are listed.

## Why it matters
A table created by hand in the dashboard, or an index dropped with `wrangler d1 execute`, works
in one place and not in another: the next database built from the migrations (staging, a
restore, a new region) is different from production.

## Example
```text
remote D1 database accounts differs from what migrations/ builds: missing index idx_users_email; not made by any migration: table tmp_import
```

## Known limitations
Names are compared, not column definitions. While migrations are pending, remote-migrations-pending
reports instead.

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
        let Some(local) = context
            .project
            .d1_schemas
            .iter()
            .find(|s| s.directory == database.migrations_dir && s.failure.is_none())
        else {
            continue;
        };
        if folder.files.is_empty() {
            continue;
        }
        let subject = format!("D1 {} schema", database.binding);
        let remote = match database.remote {
            Ok(remote) => remote,
            Err(reason) => {
                sink.unknown(Some(env), database.span, subject, reason);
                continue;
            }
        };
        let (objects, applied) = match (&remote.schema, &remote.applied) {
            (Ok(objects), Ok(applied)) => (objects, applied),
            (Err(reason), _) | (_, Err(reason)) => {
                sink.unknown(Some(env), database.span, subject, reason);
                continue;
            }
        };
        if folder.files.iter().any(|f| !applied.contains(f)) {
            continue; // remote-migrations-pending explains the difference
        }
        let key = |kind: &str, name: &str| format!("{kind} {name}");
        // The migrations table (the configured one, else d1_migrations) and the platform's own
        // objects are never drift.
        let internal = |name: &str| {
            name == database.migrations_table
                || name == "d1_migrations"
                || name.starts_with("_cf_")
                || name.starts_with("sqlite_")
        };
        let local: Vec<String> = local.objects().iter().map(|o| key(&o.kind, &o.name)).collect();
        let remote: Vec<String> =
            objects.iter().filter(|o| !internal(&o.name)).map(|o| key(&o.kind, &o.name)).collect();
        let missing: Vec<&str> =
            local.iter().filter(|o| !remote.contains(o)).map(String::as_str).collect();
        let extra: Vec<&str> =
            remote.iter().filter(|o| !local.contains(o)).map(String::as_str).collect();
        if missing.is_empty() && extra.is_empty() {
            sink.verified(
                Some(env),
                database.span,
                subject,
                format!(
                    "→ {} matches {}/ ({} objects)",
                    database.name,
                    database.migrations_dir,
                    local.len()
                ),
            );
            continue;
        }
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("missing {}", missing.join(", ")));
        }
        if !extra.is_empty() {
            parts.push(format!("not made by any migration: {}", extra.join(", ")));
        }
        sink.report(
            Some(env),
            database.span,
            format!(
                "remote D1 database {} differs from what {}/ builds: {}",
                database.name,
                database.migrations_dir,
                parts.join("; ")
            ),
        )
        .binding(database.binding)
        .help("make every schema change a migration file, and apply it with `wrangler d1 migrations apply --remote`");
    }
}
