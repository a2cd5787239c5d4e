use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::diagnostic::{Service, Severity};

/// Migrations in subfolders, which wrangler never applies.
pub const RULE: Rule = Rule {
    code: "D1003",
    name: "migrations-in-subfolders",
    service: Service::D1,
    severity: Severity::Error,
    fixable: false,
    summary: "A migrations folder keeps its .sql files in subfolders, which wrangler ignores",
    docs: r"## What it checks
A D1 migrations folder with no `.sql` files of its own but `.sql` files in subfolders, the
layout Prisma and some other tools write (`migrations/20260110093000_init/migration.sql`).

## Why it matters
`wrangler d1 migrations apply` reads only the files directly in the folder, reports nothing
to apply, and the deployed database never gets the tables.

## Example
```text
migrations/20260110093000_init/migration.sql   # bad: ignored
migrations/0001_init.sql                       # good
```

## Known limitations
A folder with both top-level files and subfolders is not reported.

## See also
https://developers.cloudflare.com/d1/reference/migrations/
",
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for directory in &context.project.migrations {
        if !directory.files.is_empty() || directory.nested.is_empty() {
            continue;
        }
        let Some((env, _, span, _)) = super::users(context, directory).into_iter().next() else {
            continue;
        };
        let count = directory.nested.len();
        let noun = if count == 1 { "file sits" } else { "files sit" };
        sink.report(Some(&env), span, format!(
            "migrations_dir `{}` has no .sql files of its own; {count} .sql {noun} in subfolders that `wrangler d1 migrations apply` ignores",
            directory.written
        ))
        .note(format!("for example {}", directory.nested[0]))
        .help(format!("move them up as numbered files, e.g. {}/0001_init.sql, 0002_....sql", directory.written));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, findings};

    #[test]
    fn flat_folders_pass() {
        let text = format!("{BASE}[[d1_databases]]\nbinding = \"DB\"\n");
        assert_eq!(
            findings("D1003", &[("wrangler.toml", &text), ("migrations/0001_a.sql", "")]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn nested_only_folders_are_errors() {
        let text = format!("{BASE}[[d1_databases]]\nbinding = \"DB\"\n");
        let files = [
            ("wrangler.toml", text.as_str()),
            ("migrations/20260110093000_init/migration.sql", ""),
            ("migrations/20260112120000_add_slug/migration.sql", ""),
        ];
        assert_eq!(
            findings("D1003", &files),
            [
                "5:11 error [top] migrations_dir `migrations` has no .sql files of its own; 2 .sql files sit in subfolders that `wrangler d1 migrations apply` ignores"
            ]
        );
    }
}
