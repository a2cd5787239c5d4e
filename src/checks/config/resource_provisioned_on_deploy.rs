use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::syntax::Node;

/// A binding without a resource id, which wrangler 4 creates on deploy.
pub const RULE: Rule = Rule {
    code: "CFG010",
    name: "resource-provisioned-on-deploy",
    service: Service::Config,
    severity: Severity::Info,
    fixable: false,
    summary: "A KV, D1 or R2 binding names no resource, so deploying creates a new, empty one",
    docs: r#"## What it checks
KV namespaces without `id`, D1 databases without `database_id` and R2 buckets without
`bucket_name`. wrangler 4 provisions such resources automatically on deploy.

## Why it matters
That is convenient for a new project, but a production environment that loses its id deploys
against a brand-new, empty resource: the data is still there, in the old one. It is reported
as info, and as a warning in a production environment.

## Example
```toml
[[env.production.kv_namespaces]]
binding = "SESSIONS"                          # warning: a new, empty namespace
id = "0123456789abcdef0123456789abcdef"       # good: the namespace with the data
```

## Known limitations
Once provisioned, wrangler remembers the resource by name; whether it already exists is only
known with `--remote`.

## See also
https://developers.cloudflare.com/workers/wrangler/configuration/#automatic-provisioning
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

/// Binding kinds wrangler provisions, with the key that names the resource.
const PROVISIONED: &[(&str, &str, &str)] = &[
    ("kv_namespaces", "id", "KV namespace"),
    ("d1_databases", "database_id", "D1 database"),
    ("r2_buckets", "bucket_name", "R2 bucket"),
];

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let production = context.is_production(env);
    for &(kind, id_key, label) in PROVISIONED {
        for entry in env.items(kind) {
            if entry.get(id_key).is_some() || !entry.is_table() {
                continue;
            }
            let Some(name) = entry.get("binding").and_then(Node::as_str) else { continue };
            let span = entry.get("binding").map_or(entry.span, |b| b.span);
            let diagnostic = sink.report(Some(env), span, format!(
                "{} binding `{name}` in {} has no `{id_key}`: deploying creates a new, empty {label}",
                label,
                env.label()
            ));
            diagnostic
                .binding(name)
                .help(format!("set `{id_key}` to the existing {label} to keep its data"));
            if production {
                diagnostic.severity(Severity::Warning).note(
                    "this is a production environment: its data would not be in the new resource",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn bindings_with_ids_pass() {
        let text = format!(
            "{BASE}[[kv_namespaces]]\nbinding = \"KV\"\nid = \"0123456789abcdef0123456789abcdef\"\n"
        );
        assert_eq!(toml("CFG010", &text), Vec::<String>::new());
    }

    #[test]
    fn bindings_without_ids_are_info_or_warnings_in_production() {
        let text = format!(
            "{BASE}[[kv_namespaces]]\nbinding = \"KV\"\n[env.staging]\n[[env.staging.d1_databases]]\nbinding = \"DB\"\n[env.production]\n[[env.production.r2_buckets]]\nbinding = \"FILES\"\n"
        );
        assert_eq!(
            toml("CFG010", &text),
            [
                "5:11 info [top] KV namespace binding `KV` in top level has no `id`: deploying creates a new, empty KV namespace",
                "8:11 info [staging] D1 database binding `DB` in env.staging has no `database_id`: deploying creates a new, empty D1 database",
                "11:11 warning [production] R2 bucket binding `FILES` in env.production has no `bucket_name`: deploying creates a new, empty R2 bucket",
            ]
        );
    }
}
