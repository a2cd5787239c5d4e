use std::collections::{HashMap, HashSet};

use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::syntax::{Node, Span};

/// A production resource bound by another environment.
pub const RULE: Rule = Rule {
    code: "ENV002",
    name: "production-resource-shared",
    service: Service::Environments,
    severity: Severity::Warning,
    fixable: false,
    summary: "A non-production environment binds a production KV namespace, database, bucket, queue or Hyperdrive config",
    docs: r#"## What it checks
The same KV namespace id, D1 `database_id`, R2 bucket, queue or Hyperdrive id bound by two
environments (the top level counts as one). When a non-production environment reaches a
production environment's resource it is a warning; the top level sharing with a production
environment is info, as that layout is often deliberate. Production is an environment named
like `prod`, `production` or `live`, or the top level when no environment is.

## Why it matters
Every staging or preview deploy then reads and writes production data: a test run deletes
real rows, a staging consumer drains the production queue.

## Example
```toml
[[env.staging.d1_databases]]
binding = "DB"
database_id = "11111111-2222-3333-4444-555555555555"   # bad: production's database
```

## Known limitations
Two non-production environments sharing a resource are not reported.

## See also
https://developers.cloudflare.com/workers/wrangler/environments/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

/// One environment's use of a resource that holds data.
pub(crate) struct Use<'a> {
    /// The environment.
    pub env: Environment<'a>,
    /// What it is, e.g. "KV namespace".
    pub kind: &'static str,
    /// The binding's name (the queue's name for a consumer).
    pub binding: &'a str,
    /// Where the resource's id is written.
    pub span: Span,
    /// The resource's id or name; an R2 bucket with its jurisdiction.
    pub resource: String,
}

/// The resources an environment reaches: KV namespaces, D1 databases, R2 buckets, Hyperdrive
/// configs and queues (produced to or consumed from). The environment diff reports the same.
pub(crate) fn uses<'a>(env: &Environment<'a>) -> Vec<Use<'a>> {
    let mut out = Vec::new();
    let mut add = |kind: &'static str, item: &'a Node, id_key: &str, binding_key: &str| {
        let (Some(id), binding) = (item.get(id_key), item.get(binding_key).and_then(Node::as_str))
        else {
            return;
        };
        let Some(text) = id.as_str().filter(|t| !t.trim().is_empty()) else { return };
        let resource = match (kind, item.get("jurisdiction").and_then(Node::as_str)) {
            ("R2 bucket", Some(jurisdiction)) => format!("{jurisdiction}/{text}"),
            _ => text.to_owned(),
        };
        out.push(Use { env: *env, kind, binding: binding.unwrap_or(""), span: id.span, resource });
    };
    for item in env.items("kv_namespaces") {
        add("KV namespace", item, "id", "binding");
    }
    for item in env.items("d1_databases") {
        add("D1 database", item, "database_id", "binding");
    }
    for item in env.items("r2_buckets") {
        add("R2 bucket", item, "bucket_name", "binding");
    }
    for item in env.items("hyperdrive") {
        add("Hyperdrive config", item, "id", "binding");
    }
    if let Some(queues) = env.get("queues") {
        for item in queues.node.get("producers").map(Node::items).unwrap_or_default() {
            add("queue", item, "queue", "binding");
        }
        for item in queues.node.get("consumers").map(Node::items).unwrap_or_default() {
            add("queue", item, "queue", "queue");
        }
    }
    out
}

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    // A Pages project deploys only its preview and production environments, never the top level.
    let pages = context.root.get("pages_build_output_dir").is_some();
    let all: Vec<Use<'_>> = context
        .environments
        .iter()
        .filter(|env| !(pages && env.is_top_level() && context.has_named_environments()))
        .flat_map(uses)
        .collect();
    // The first production use of each resource.
    let mut production: HashMap<(&str, &str), &Use<'_>> = HashMap::new();
    for candidate in all.iter().filter(|u| context.is_production(&u.env)) {
        production.entry((candidate.kind, candidate.resource.as_str())).or_insert(candidate);
    }
    let mut reported: HashSet<(&str, &str, Option<&str>)> = HashSet::new();
    for other in &all {
        if context.is_production(&other.env) {
            continue;
        }
        let key = (other.kind, other.resource.as_str());
        let Some(production) = production.get(&key).filter(|p| p.env.name != other.env.name) else {
            continue;
        };
        // One finding per environment and resource.
        if !reported.insert((key.0, key.1, other.env.name)) {
            continue;
        }
        let severity = if other.env.is_top_level() { Severity::Info } else { Severity::Warning };
        let message = format!(
            "{} binds `{}` to {}'s {} `{}`: deploying {} reads and writes production data",
            other.env.label(),
            other.binding,
            production.env.label(),
            other.kind,
            other.resource,
            other.env.label(),
        );
        let help = if other.env.is_top_level() {
            "if the top level is only for local development, give it its own resource or a preview id"
        } else {
            "create a separate resource for this environment and bind that"
        };
        sink.report(Some(&other.env), other.span, message)
            .severity(severity)
            .binding(other.binding)
            .help(help);
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    const PROD_DB: &str = "11111111-2222-3333-4444-555555555555";

    #[test]
    fn separate_resources_pass() {
        let text = format!(
            "{BASE}[env.staging]\nd1_databases = [{{ binding = \"DB\", database_name = \"s\", database_id = \"22222222-2222-3333-4444-555555555555\" }}]\n[env.production]\nd1_databases = [{{ binding = \"DB\", database_name = \"p\", database_id = \"{PROD_DB}\" }}]\n"
        );
        assert_eq!(toml("ENV002", &text), Vec::<String>::new());
        // A Pages project's top level is never deployed on its own.
        let pages = "name = \"site\"\npages_build_output_dir = \"dist\"\nkv_namespaces = [{ binding = \"KV\", id = \"0123456789abcdef0123456789abcdef\" }]\n[env.production]\nkv_namespaces = [{ binding = \"KV\", id = \"0123456789abcdef0123456789abcdef\" }]\n[env.preview]\nkv_namespaces = [{ binding = \"KV\", id = \"fedcba9876543210fedcba9876543210\" }]\n".to_string();
        assert_eq!(toml("ENV002", &pages), Vec::<String>::new());
    }

    #[test]
    fn production_resources_reached_from_elsewhere_are_reported() {
        let text = format!(
            "{BASE}d1_databases = [{{ binding = \"DB\", database_name = \"p\", database_id = \"{PROD_DB}\" }}]\n[env.staging]\nd1_databases = [{{ binding = \"DB\", database_name = \"p\", database_id = \"{PROD_DB}\" }}]\nqueues = {{ consumers = [{{ queue = \"jobs\" }}] }}\n[env.production]\nd1_databases = [{{ binding = \"DB\", database_name = \"p\", database_id = \"{PROD_DB}\" }}]\nqueues = {{ producers = [{{ binding = \"JOBS\", queue = \"jobs\" }}] }}\n"
        );
        assert_eq!(
            toml("ENV002", &text),
            [
                format!("4:70 info [top] top level binds `DB` to env.production's D1 database `{PROD_DB}`: deploying top level reads and writes production data"),
                format!("6:70 warning [staging] env.staging binds `DB` to env.production's D1 database `{PROD_DB}`: deploying env.staging reads and writes production data"),
                "7:35 warning [staging] env.staging binds `jobs` to env.production's queue `jobs`: deploying env.staging reads and writes production data".to_owned(),
            ]
        );
    }

    #[test]
    fn without_a_production_environment_the_top_level_is_production() {
        let text = format!(
            "{BASE}kv_namespaces = [{{ binding = \"KV\", id = \"0123456789abcdef0123456789abcdef\" }}]\n[env.preview]\nkv_namespaces = [{{ binding = \"KV\", id = \"0123456789abcdef0123456789abcdef\" }}]\n"
        );
        assert_eq!(
            toml("ENV002", &text),
            [
                "6:41 warning [preview] env.preview binds `KV` to top level's KV namespace `0123456789abcdef0123456789abcdef`: deploying env.preview reads and writes production data"
            ]
        );
    }
}
