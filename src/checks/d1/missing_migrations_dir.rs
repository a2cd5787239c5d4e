use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::diagnostic::{Service, Severity};

/// A `migrations_dir` that does not exist.
pub const RULE: Rule = Rule {
    code: "D1002",
    name: "missing-migrations-dir",
    service: Service::D1,
    severity: Severity::Warning,
    fixable: false,
    summary: "A D1 binding's migrations_dir does not exist",
    docs: r#"## What it checks
That the folder a D1 binding names in `migrations_dir` exists, relative to the config file.
The default folder (`migrations`) is not required: many databases have no migrations.

## Why it matters
`wrangler d1 migrations apply` finds nothing to apply, so the tables the code queries are
never created in the deployed database.

## Example
```toml
[[d1_databases]]
binding = "DB"
migrations_dir = "drizzle"   # bad when the folder is ./db/drizzle
```

## Known limitations
Folders under `node_modules` or a hidden build folder (`.output`) are taken to be generated and
are not reported; another folder that a build step generates is reported until it exists.

## See also
https://developers.cloudflare.com/d1/reference/migrations/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for directory in &context.project.migrations {
        if directory.exists || is_generated(&directory.written) {
            continue;
        }
        let Some((env, _, span, _)) = super::users(context, directory).into_iter().find(|u| u.3)
        else {
            continue;
        };
        sink.report(Some(&env), span, if directory.not_a_folder {
                format!("migrations_dir `{}` is not a folder", directory.written)
            } else {
                format!("migrations_dir `{}` does not exist next to the config", directory.written)
            })
            .help("fix the path (it is relative to the config file), or create the folder with `wrangler d1 migrations create`");
    }
}

/// Folders that installs and builds create: under `node_modules`, or under a hidden build
/// folder such as `.output`.
fn is_generated(path: &str) -> bool {
    path.split(['/', '\\']).any(|part| {
        part == "node_modules" || (part.starts_with('.') && part != "." && part != "..")
    })
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, findings, toml};

    #[test]
    fn existing_or_default_folders_pass() {
        let text = format!(
            "{BASE}[[d1_databases]]\nbinding = \"DB\"\nmigrations_dir = \"db\"\n[[d1_databases]]\nbinding = \"B\"\n"
        );
        assert_eq!(
            findings("D1002", &[("wrangler.toml", &text), ("db/0001_init.sql", "")]),
            Vec::<String>::new()
        );
        let generated = format!(
            "{BASE}[[d1_databases]]\nbinding = \"DB\"\nmigrations_dir = \".output/db/migrations\"\n"
        );
        assert_eq!(toml("D1002", &generated), Vec::<String>::new());
    }

    #[test]
    fn missing_folders_are_warnings() {
        let text =
            format!("{BASE}[[d1_databases]]\nbinding = \"DB\"\nmigrations_dir = \"drizzle\"\n");
        assert_eq!(
            toml("D1002", &text),
            ["6:18 warning [top] migrations_dir `drizzle` does not exist next to the config"]
        );
        let file =
            format!("{BASE}[[d1_databases]]\nbinding = \"DB\"\nmigrations_dir = \"schema.sql\"\n");
        assert_eq!(
            findings("D1002", &[("wrangler.toml", &file), ("schema.sql", "")]),
            ["6:18 warning [top] migrations_dir `schema.sql` is not a folder"]
        );
    }
}
