use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::diagnostic::{Service, Severity};

/// Migrations the local database has not had.
pub const RULE: Rule = Rule {
    code: "D1010",
    name: "local-migrations-pending",
    service: Service::D1,
    severity: Severity::Info,
    fixable: true,
    summary: "The local D1 database (.wrangler/state) has not applied every migration file",
    docs: r#"## What it checks
When `.wrangler/state/v3/d1` exists (left by `wrangler d1 migrations apply --local` or
`wrangler dev`), the migrations table of each local database against the binding's migration
files; files not applied yet are listed.

## Why it matters
`wrangler dev` then runs the code against an older schema, and what works or fails locally is
not what the deployed worker will see.

## Example
```text
migrations/0003_add_indexes.sql   # not applied locally
```

## Known limitations
Local databases are matched to bindings by the migrations they have applied; a local database
with none applied is not matched.

## See also
https://developers.cloudflare.com/d1/reference/migrations/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for local in &context.project.local_pending {
        let Some((env, _, span, _)) =
            context.project.migrations_directory(&local.directory).and_then(|directory| {
                super::users(context, directory).into_iter().find(|u| {
                    u.1.get("binding").and_then(crate::syntax::Node::as_str)
                        == Some(local.binding.as_str())
                })
            })
        else {
            continue;
        };
        let count = local.pending.len();
        let noun = if count == 1 { "migration is" } else { "migrations are" };
        sink.report(
            Some(&env),
            span,
            format!(
                "{count} {noun} not applied to the local database of {} yet: {}",
                local.binding,
                local.pending.join(", ")
            ),
        )
        .binding(local.binding.as_str())
        .help(format!("run `wrangler d1 migrations apply {} --local`", local.binding));
    }
}
