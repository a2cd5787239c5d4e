use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::syntax::{Node, Value};

/// A Pages project's config with what Pages does not take.
pub const RULE: Rule = Rule {
    code: "CFG015",
    name: "invalid-pages-config",
    service: Service::Config,
    severity: Severity::Error,
    fixable: false,
    summary: "A Pages project's config (pages_build_output_dir) holds what wrangler pages deploy refuses",
    docs: r#"## What it checks
Configs with `pages_build_output_dir`, which `wrangler pages deploy` validates more strictly than
a worker's: a top-level `name` is required; `main` is not allowed; the only environments are
`preview` and `production`; only the keys Pages supports may be set (no `triggers`,
`migrations`, `routes`, queue consumers, ...); and Durable Object bindings must name the worker
that hosts the class in `script_name`.

## Why it matters
`wrangler pages deploy` refuses the config, often in CI after a successful build.

## Example
```toml
pages_build_output_dir = "./dist"
name = "site"                 # required
[triggers]                    # bad: Pages has no cron triggers
crons = ["0 0 * * *"]
[env.staging]                 # bad: only preview and production
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/pages/functions/wrangler-configuration/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

/// The keys a Pages config may set.
const SUPPORTED: &[&str] = &[
    "$schema",
    "env",
    "pages_build_output_dir",
    "name",
    "compatibility_date",
    "compatibility_flags",
    "send_metrics",
    "no_bundle",
    "limits",
    "placement",
    "vars",
    "durable_objects",
    "kv_namespaces",
    "queues",
    "r2_buckets",
    "d1_databases",
    "vectorize",
    "hyperdrive",
    "services",
    "analytics_engine_datasets",
    "ai",
    "version_metadata",
    "dev",
    "mtls_certificates",
    "browser",
    "upload_source_maps",
];

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    if context.root.get("pages_build_output_dir").is_none() {
        return;
    }
    let table = env.own_table();
    let prefix = env.path_prefix();
    match (env.name, env.name_span) {
        (None, _) => {
            let named = context
                .root
                .get("name")
                .and_then(Node::as_str)
                .is_some_and(|n| !n.trim().is_empty());
            if !named {
                sink.report(None, context.root.entry("pages_build_output_dir").map_or_else(Default::default, |e| e.key_span), "a Pages project needs a top-level `name`: environments deploy to the same project")
                    .help("add `name = \"my-project\"` at the top level");
            }
        }
        (Some(name), Some(span)) if name != "preview" && name != "production" => {
            sink.report(Some(env), span, format!("Pages projects have only the `preview` and `production` environments, not `{name}`"))
                .help("rename the environment, or deploy a worker instead of a Pages project");
        }
        _ => {}
    }
    for entry in table.entries() {
        let key = entry.key.as_str();
        if key == "main" {
            sink.report(
                Some(env),
                entry.key_span,
                format!("`{prefix}main` and `pages_build_output_dir` cannot both be set"),
            )
            .help("keep `main` for a worker, or `pages_build_output_dir` for a Pages project");
            continue;
        }
        if key == "queues" && entry.value.get("consumers").is_some_and(|c| !c.items().is_empty()) {
            sink.report(
                Some(env),
                entry.key_span,
                format!("Pages projects cannot consume queues (`{prefix}queues.consumers`)"),
            )
            .help("consume the queue in a worker, and keep only producers here");
            continue;
        }
        if SUPPORTED.contains(&key) || is_empty(&entry.value) {
            continue;
        }
        sink.report(
            Some(env),
            entry.key_span,
            format!("Pages projects do not support `{prefix}{key}`"),
        )
        .help("remove it, or deploy this as a worker");
    }
    for binding in table
        .get("durable_objects")
        .and_then(|d| d.get("bindings"))
        .map(Node::items)
        .unwrap_or_default()
    {
        if binding.get("script_name").and_then(Node::as_str).is_none() {
            sink.report(Some(env), binding.get("name").map_or(binding.span, |n| n.span), "a Pages project's Durable Object binding must name the worker that hosts the class in `script_name`")
                .help("add script_name = \"the-worker\"");
        }
    }
}

fn is_empty(node: &Node) -> bool {
    match &node.value {
        Value::Array(items) => items.is_empty(),
        Value::Table(entries) => entries.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::toml;

    #[test]
    fn pages_configs_within_bounds_pass() {
        let text = "name = \"site\"\npages_build_output_dir = \"./dist\"\ncompatibility_date = \"2025-01-01\"\n[[kv_namespaces]]\nbinding = \"KV\"\n[env.production]\n[env.preview]\n";
        assert_eq!(toml("CFG015", text), Vec::<String>::new());
        assert_eq!(
            toml("CFG015", "name = \"w\"\nmain = \"a.ts\"\n[triggers]\ncrons = [\"* * * * *\"]\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn what_pages_refuses_is_an_error() {
        let text = "pages_build_output_dir = \"./dist\"\nmain = \"a.ts\"\n[triggers]\ncrons = [\"0 0 * * *\"]\n[[durable_objects.bindings]]\nname = \"D\"\nclass_name = \"C\"\n[env.staging]\n";
        assert_eq!(
            toml("CFG015", text),
            [
                "1:1 error [top] a Pages project needs a top-level `name`: environments deploy to the same project",
                "2:1 error [top] `main` and `pages_build_output_dir` cannot both be set",
                "3:2 error [top] Pages projects do not support `triggers`",
                "6:8 error [top] a Pages project's Durable Object binding must name the worker that hosts the class in `script_name`",
                "8:6 error [staging] Pages projects have only the `preview` and `production` environments, not `staging`",
            ]
        );
    }
}
