use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::diagnostic::{Service, Severity};

/// Migration files whose names do not give a clear order.
pub const RULE: Rule = Rule {
    code: "D1004",
    name: "migration-file-name",
    service: Service::D1,
    severity: Severity::Warning,
    fixable: false,
    summary: "A migration file is not named NNNN_name.sql, or two share a number",
    docs: r"## What it checks
The `.sql` files of each D1 migrations folder: each should be named `NNNN_name.sql`, as
`wrangler d1 migrations create` names them, with no number used twice and numbers of one width.

## Why it matters
wrangler applies the files in name order and records them by name. Two files numbered `0003`
or a `10_x.sql` sorting before `9_y.sql` apply in an order nobody intended, and a file
renamed after it was applied is applied again.

## Example
```text
migrations/0003_users.sql
migrations/0003_orders.sql   # bad: two 0003s
migrations/0004_orders.sql   # good
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/d1/reference/migrations/
",
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for directory in &context.project.migrations {
        let Some((env, _, span, _)) = super::users(context, directory).into_iter().next() else {
            continue;
        };
        for file in &directory.miscased {
            sink.report(Some(&env), span, format!("migration `{}/{file}` is never applied: wrangler reads only files ending in `.sql`, in lower case", directory.written))
                .help("rename it with a lower-case `.sql`");
        }
        let mut numbered: Vec<(&str, &str)> = Vec::new();
        for file in &directory.files {
            match number_of(file) {
                Some(number) => numbered.push((number, file)),
                None => {
                    sink.report(Some(&env), span, format!("migration `{}/{file}` is not named NNNN_name.sql", directory.written))
                        .help("name it like `wrangler d1 migrations create` does, e.g. 0001_create_users.sql");
                }
            }
        }
        for (index, (number, file)) in numbered.iter().enumerate() {
            let value = number.trim_start_matches('0');
            if let Some((_, first)) =
                numbered[..index].iter().find(|(n, _)| n.trim_start_matches('0') == value)
            {
                sink.report(
                    Some(&env),
                    span,
                    format!(
                        "migrations `{first}` and `{file}` in `{}` share the number {number}",
                        directory.written
                    ),
                )
                .help("renumber the later one; wrangler applies them in name order");
            }
        }
        let widths: std::collections::BTreeSet<usize> =
            numbered.iter().map(|(n, _)| n.len()).collect();
        if widths.len() > 1 && numbered.windows(2).any(|pair| parse(pair[0].0) > parse(pair[1].0)) {
            sink.report(Some(&env), span, format!("migrations in `{}` have numbers of different widths, so name order is not number order", directory.written))
                .help("pad the numbers to one width, e.g. 0009 and 0010");
        }
    }
}

fn number_of(file: &str) -> Option<&str> {
    let stem = file.strip_suffix(".sql")?;
    let (number, name) = stem.split_once(['_', '-'])?;
    (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty())
        .then_some(number)
}

fn parse(number: &str) -> u128 {
    number.parse().unwrap_or(u128::MAX)
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, findings};

    fn with(files: &[&str]) -> Vec<String> {
        let text = format!("{BASE}[[d1_databases]]\nbinding = \"DB\"\n");
        let mut all = vec![("wrangler.toml".to_owned(), text)];
        all.extend(files.iter().map(|f| (format!("migrations/{f}"), String::new())));
        let refs: Vec<(&str, &str)> = all.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        findings("D1004", &refs)
    }

    #[test]
    fn numbered_files_pass() {
        assert_eq!(
            with(&["0000_setup.sql", "0001_users.sql", "20260110093000_init.sql"]),
            Vec::<String>::new()
        );
        assert_eq!(with(&["20260306120000-call-transcript.sql"]), Vec::<String>::new());
    }

    #[test]
    fn bad_names_are_warnings() {
        assert_eq!(
            with(&["0001_a.sql", "0001_b.sql", "init.sql", "9_c.sql", "10_d.sql", "0004_x.SQL"]),
            [
                "5:11 warning [top] migration `migrations/0004_x.SQL` is never applied: wrangler reads only files ending in `.sql`, in lower case",
                "5:11 warning [top] migration `migrations/init.sql` is not named NNNN_name.sql",
                "5:11 warning [top] migrations `0001_a.sql` and `0001_b.sql` in `migrations` share the number 0001",
                "5:11 warning [top] migrations in `migrations` have numbers of different widths, so name order is not number order",
            ]
        );
    }
}
