use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::syntax::Node;

/// Two migrations with one tag.
pub const RULE: Rule = Rule {
    code: "DO002",
    name: "duplicate-migration-tag",
    service: Service::DurableObjects,
    severity: Severity::Error,
    fixable: false,
    summary: "Two Durable Object migrations share a tag",
    docs: r#"## What it checks
That every `[[migrations]]` entry has its own `tag`.

## Why it matters
Cloudflare records the last applied tag and applies the entries after it; with a tag used
twice, the second entry is skipped or the upload is rejected.

## Example
```toml
[[migrations]]
tag = "v1"
new_sqlite_classes = ["Room"]
[[migrations]]
tag = "v1"                      # bad: use "v2"
new_sqlite_classes = ["Lobby"]
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/durable-objects/reference/durable-objects-migrations/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(field) = env.own("migrations") else { return };
    let migrations = field.node.items();
    for (index, migration) in migrations.iter().enumerate() {
        let Some(tag_node) = migration.get("tag") else { continue };
        let Some(tag) = tag_node.as_str() else { continue };
        let repeated =
            migrations[..index].iter().any(|m| m.get("tag").and_then(Node::as_str) == Some(tag));
        if repeated {
            sink.report(Some(env), tag_node.span, format!("migration tag `{tag}` is used twice"))
                .help(format!("give this migration a new tag, e.g. `v{}`", index + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn distinct_tags_pass() {
        let text = format!("{BASE}[[migrations]]\ntag = \"v1\"\n[[migrations]]\ntag = \"v2\"\n");
        assert_eq!(toml("DO002", &text), Vec::<String>::new());
    }

    #[test]
    fn repeated_tags_are_errors() {
        let text = format!("{BASE}[[migrations]]\ntag = \"v1\"\n[[migrations]]\ntag = \"v1\"\n");
        assert_eq!(toml("DO002", &text), ["7:7 error [top] migration tag `v1` is used twice"]);
    }
}
