use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::bindings::kind_label;
use crate::config::{Environment, Inheritance, inheritance};
use crate::diagnostic::{Service, Severity};
use crate::syntax::Node;

/// Top-level bindings an environment does not redeclare.
pub const RULE: Rule = Rule {
    code: "ENV001",
    name: "binding-not-inherited",
    service: Service::Environments,
    severity: Severity::Warning,
    fixable: false,
    summary: "A binding section set at the top level is absent from an environment, which does not inherit it",
    docs: r#"## What it checks
Bindings, `vars` and `define` are not inherited by `[env.NAME]`: for every such section the top
level sets and an environment leaves out, the environment's worker simply has none of it.
Missing sections are warnings; a section present in the environment but missing some of the
top level's binding names is info.

## Why it matters
This is the most common way a deploy "succeeds" and the worker then fails: `env.SESSIONS` is
undefined in production because only the top level declared it.

## Example
```toml
[[kv_namespaces]]
binding = "SESSIONS"
id = "0123456789abcdef0123456789abcdef"
[env.production]          # bad: production has no SESSIONS
[[env.production.kv_namespaces]]
binding = "SESSIONS"      # good: declared again, with production's own id
id = "fedcba9876543210fedcba9876543210"
```

## Known limitations
Whether the code uses the missing binding is not known here; a project whose top level is
only for local development may leave a section out on purpose (suppress with a reason).

## See also
https://developers.cloudflare.com/workers/wrangler/environments/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(table) = env.table else { return };
    let span = env.name_span.unwrap_or(table.span);
    for entry in env.root.entries() {
        if inheritance(&entry.key) != Inheritance::NotInherited || is_empty(&entry.value) {
            continue;
        }
        let names = binding_names(&entry.key, &entry.value);
        match table.get(&entry.key) {
            None => {
                let listed = if names.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", names.join(", "))
                };
                sink.report(Some(env), span, format!(
                    "{} has no `{}`: the top level's{listed} is not inherited, so the {} worker has none of it",
                    env.label(),
                    entry.key,
                    env.name.unwrap_or("")
                ))
                .help(format!("declare `[{}]` again under `[env.{}]`, with this environment's own resources", section(&entry.key), env.name.unwrap_or("")));
            }
            Some(own) => {
                let own_names = binding_names(&entry.key, own);
                let missing: Vec<&str> =
                    names.iter().copied().filter(|n| !own_names.contains(n)).collect();
                if missing.is_empty() || entry.key == "vars" || entry.key == "define" {
                    continue;
                }
                sink.report(
                    Some(env),
                    table.entry(&entry.key).map_or(span, |e| e.key_span),
                    format!(
                        "{} declares `{}` without the top level's {} {}",
                        env.label(),
                        entry.key,
                        kind_label(&entry.key),
                        missing.join(", ")
                    ),
                )
                .severity(Severity::Info)
                .help("declare them here too if this environment's code uses them");
            }
        }
    }
}

fn section(key: &str) -> &str {
    match key {
        "durable_objects" => "durable_objects.bindings",
        "queues" => "queues.producers",
        other => other,
    }
}

fn is_empty(node: &Node) -> bool {
    match &node.value {
        crate::syntax::Value::Array(items) => items.is_empty(),
        crate::syntax::Value::Table(entries) => entries.iter().all(|e| is_empty(&e.value)),
        _ => false,
    }
}

/// The binding names a section declares.
fn binding_names<'a>(key: &str, node: &'a Node) -> Vec<&'a str> {
    let named = |items: &'a [Node], name_key: &str| -> Vec<&'a str> {
        items.iter().filter_map(|item| item.get(name_key).and_then(Node::as_str)).collect()
    };
    match key {
        "vars" | "define" => node.entries().iter().map(|e| e.key.as_str()).collect(),
        "durable_objects" => {
            named(node.get("bindings").map(Node::items).unwrap_or_default(), "name")
        }
        "queues" => named(node.get("producers").map(Node::items).unwrap_or_default(), "binding"),
        "send_email" | "ratelimits" => named(node.items(), "name"),
        _ if node.is_table() => node.get("binding").and_then(Node::as_str).into_iter().collect(),
        _ => named(node.items(), "binding"),
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn environments_that_declare_their_own_bindings_pass() {
        let text = format!(
            "{BASE}[env.staging]\n[[env.staging.kv_namespaces]]\nbinding = \"KV\"\nid = \"0123456789abcdef0123456789abcdef\"\n[env.production]\n[[env.production.kv_namespaces]]\nbinding = \"KV\"\nid = \"fedcba9876543210fedcba9876543210\"\n"
        );
        assert_eq!(toml("ENV001", &text), Vec::<String>::new());
        let with_top = format!(
            "{BASE}[[kv_namespaces]]\nbinding = \"KV\"\n[env.staging]\nkv_namespaces = [{{ binding = \"KV\" }}]\n[env.staging.vars]\nA = \"1\"\n[vars]\nB = \"2\"\n"
        );
        assert_eq!(toml("ENV001", &with_top), Vec::<String>::new());
    }

    #[test]
    fn sections_left_out_are_warnings() {
        let text = format!(
            "{BASE}[vars]\nMODE = \"dev\"\n[[kv_namespaces]]\nbinding = \"KV\"\n[[kv_namespaces]]\nbinding = \"SESSIONS\"\n[[durable_objects.bindings]]\nname = \"ROOM\"\nclass_name = \"Room\"\n[env.production]\nvars = {{ MODE = \"prod\" }}\nkv_namespaces = [{{ binding = \"KV\" }}]\n"
        );
        assert_eq!(
            toml("ENV001", &text),
            [
                "13:6 warning [production] env.production has no `durable_objects`: the top level's (ROOM) is not inherited, so the production worker has none of it",
                "15:1 info [production] env.production declares `kv_namespaces` without the top level's KV namespace SESSIONS",
            ]
        );
    }
}
