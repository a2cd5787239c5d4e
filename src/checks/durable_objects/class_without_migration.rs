use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::syntax::Node;

/// A Durable Object class that no migration creates.
pub const RULE: Rule = Rule {
    code: "DO001",
    name: "class-without-migration",
    service: Service::DurableObjects,
    severity: Severity::Error,
    fixable: false,
    summary: "A Durable Object binding's class is neither created by a migration nor hosted by another worker",
    docs: r#"## What it checks
Every Durable Object binding without `script_name` names a class this worker hosts, and such a
class must be created by a `[[migrations]]` entry (`new_classes`, `new_sqlite_classes`, or the
`to` of `renamed_classes`) and not deleted by a later one. Migrations are inherited by
environments.

## Why it matters
The upload fails (code 10061) when a bound class has no migration; adding a binding without
a new migration tag is the usual cause.

## Example
```toml
[[durable_objects.bindings]]
name = "LOBBY"
class_name = "Lobby"
[[migrations]]
tag = "v1"
new_sqlite_classes = ["Leaderboard"]   # bad: Lobby is never created
[[migrations]]
tag = "v2"
new_sqlite_classes = ["Lobby"]         # good
```

## Known limitations
Whether the class is exported by the code is checked by the code-aware checks; migrations
already applied remotely are only known with `--remote`.

## See also
https://developers.cloudflare.com/durable-objects/reference/durable-objects-migrations/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(durable_objects) = env.get("durable_objects") else { return };
    let created = created_classes(env.items("migrations"));
    let mut missing: Vec<(&str, &Node)> = Vec::new();
    for binding in durable_objects.node.get("bindings").map(Node::items).unwrap_or_default() {
        if binding.get("script_name").is_some() {
            continue;
        }
        let Some(class_node) = binding.get("class_name") else { continue };
        let Some(class) = class_node.as_str() else { continue };
        if !created.iter().any(|c| c == class) && !missing.iter().any(|(c, _)| *c == class) {
            missing.push((class, class_node));
        }
    }
    let tags: Vec<&str> = env
        .items("migrations")
        .iter()
        .filter_map(|m| m.get("tag").and_then(Node::as_str))
        .collect();
    let existing = if tags.is_empty() {
        "there is no [[migrations]] entry".to_owned()
    } else {
        format!("the migrations ({}) do not create it", tags.join(", "))
    };
    for (class, node) in missing {
        sink.report(Some(env), node.span, format!("Durable Object class `{class}` is bound but {existing}; the upload fails (code 10061)"))
            .help(format!("add a migration with a new tag: [[migrations]] tag = \"v{}\" new_sqlite_classes = [\"{class}\"]", tags.len() + 1));
    }
}

/// Classes the migrations leave in existence, in order.
fn created_classes(migrations: &[Node]) -> Vec<String> {
    let mut classes: Vec<String> = Vec::new();
    let names = |migration: &Node, key: &str| -> Vec<String> {
        migration
            .get(key)
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect()
    };
    for migration in migrations {
        classes.extend(names(migration, "new_classes"));
        classes.extend(names(migration, "new_sqlite_classes"));
        for renamed in migration.get("renamed_classes").map(Node::items).unwrap_or_default() {
            let from = renamed.get("from").and_then(Node::as_str);
            classes.retain(|c| Some(c.as_str()) != from);
            if let Some(to) = renamed.get("to").and_then(Node::as_str) {
                classes.push(to.to_owned());
            }
        }
        for transferred in migration.get("transferred_classes").map(Node::items).unwrap_or_default()
        {
            if let Some(to) = transferred.get("to").and_then(Node::as_str) {
                classes.push(to.to_owned());
            }
        }
        let deleted = names(migration, "deleted_classes");
        classes.retain(|c| !deleted.contains(c));
    }
    classes
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn migrated_or_external_classes_pass() {
        let text = format!(
            "{BASE}[[durable_objects.bindings]]\nname = \"A\"\nclass_name = \"Alpha\"\n[[durable_objects.bindings]]\nname = \"B\"\nclass_name = \"Beta\"\nscript_name = \"other\"\n[[durable_objects.bindings]]\nname = \"C\"\nclass_name = \"Gamma\"\n[[migrations]]\ntag = \"v1\"\nnew_classes = [\"Alpha\", \"Old\"]\n[[migrations]]\ntag = \"v2\"\nrenamed_classes = [{{ from = \"Old\", to = \"Gamma\" }}]\n[env.staging.durable_objects]\nbindings = [{{ name = \"A\", class_name = \"Alpha\" }}]\n"
        );
        assert_eq!(toml("DO001", &text), Vec::<String>::new());
    }

    #[test]
    fn classes_without_migrations_are_errors() {
        let text = format!(
            "{BASE}[[durable_objects.bindings]]\nname = \"LOBBY\"\nclass_name = \"Lobby\"\n[[durable_objects.bindings]]\nname = \"MATCH\"\nclass_name = \"Match\"\n[[durable_objects.bindings]]\nname = \"OLD\"\nclass_name = \"Gone\"\n[[migrations]]\ntag = \"v1\"\nnew_sqlite_classes = [\"Leaderboard\", \"Gone\"]\n[[migrations]]\ntag = \"v2\"\ndeleted_classes = [\"Gone\"]\n"
        );
        assert_eq!(
            toml("DO001", &text),
            [
                "6:14 error [top] Durable Object class `Lobby` is bound but the migrations (v1, v2) do not create it; the upload fails (code 10061)",
                "9:14 error [top] Durable Object class `Match` is bound but the migrations (v1, v2) do not create it; the upload fails (code 10061)",
                "12:14 error [top] Durable Object class `Gone` is bound but the migrations (v1, v2) do not create it; the upload fails (code 10061)",
            ]
        );
    }
}
