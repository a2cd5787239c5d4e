//! Every binding an environment gives its worker, whatever its kind.

use crate::syntax::{Node, Span};

use super::{Environment, binding_kinds};

/// One binding: a name the worker's code reads from `env`.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    /// The name the code uses, as written.
    pub name: &'a str,
    /// Where the name is written (the whole entry when it has no name).
    pub name_span: Span,
    /// The config key that declares it, e.g. `kv_namespaces` or `durable_objects.bindings`.
    pub kind: &'static str,
    /// The entry that declares it: a table, or the value of a var.
    pub node: &'a Node,
}

/// Single-binding tables: `[ai] binding = "AI"` and the like.
const SINGLE_BINDINGS: &[&str] =
    &["ai", "browser", "images", "media", "stream", "version_metadata", "assets"];

/// Every binding of an environment, in the order of the config.
#[must_use]
pub fn bindings<'a>(env: &Environment<'a>) -> Vec<Binding<'a>> {
    let mut out = Vec::new();
    let mut named = |kind: &'static str, entries: &'a [Node], name_key: &str| {
        for entry in entries {
            let name = entry.entry(name_key);
            out.push(Binding {
                name: name.and_then(|n| n.value.as_str()).unwrap_or(""),
                name_span: name.map_or(entry.span, |n| n.value.span),
                kind,
                node: entry,
            });
        }
    };
    for &(kind, name_key) in binding_kinds() {
        named(kind, env.items(kind), name_key);
    }
    if let Some(durable_objects) = env.get("durable_objects") {
        named(
            "durable_objects.bindings",
            durable_objects.node.get("bindings").map(Node::items).unwrap_or_default(),
            "name",
        );
    }
    if let Some(queues) = env.get("queues") {
        named(
            "queues.producers",
            queues.node.get("producers").map(Node::items).unwrap_or_default(),
            "binding",
        );
    }
    if let Some(unsafe_table) = env.get("unsafe") {
        named(
            "unsafe.bindings",
            unsafe_table.node.get("bindings").map(Node::items).unwrap_or_default(),
            "name",
        );
    }
    for &kind in SINGLE_BINDINGS {
        if let Some(field) = env.get(kind).filter(|f| f.node.is_table()) {
            named(kind, std::slice::from_ref(field.node), "binding");
        }
    }
    let mut keyed = |kind: &'static str, table: Option<&'a Node>| {
        for entry in table.map(Node::entries).unwrap_or_default() {
            out.push(Binding {
                name: &entry.key,
                name_span: entry.key_span,
                kind,
                node: &entry.value,
            });
        }
    };
    keyed("vars", env.get("vars").map(|f| f.node));
    for kind in ["wasm_modules", "text_blobs", "data_blobs"] {
        keyed(kind, env.get(kind).map(|f| f.node));
    }
    if let Some(secrets) = env.get("secrets") {
        for name in secrets.node.get("required").map(Node::items).unwrap_or_default() {
            if let Some(text) = name.as_str() {
                out.push(Binding {
                    name: text,
                    name_span: name.span,
                    kind: "secrets.required",
                    node: name,
                });
            }
        }
    }
    out
}

/// A readable name for a binding kind, as in "KV namespace binding".
#[must_use]
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "kv_namespaces" => "KV namespace",
        "d1_databases" => "D1 database",
        "r2_buckets" => "R2 bucket",
        "services" => "service",
        "hyperdrive" => "Hyperdrive",
        "vectorize" => "Vectorize index",
        "analytics_engine_datasets" => "Analytics Engine dataset",
        "workflows" => "Workflow",
        "durable_objects.bindings" | "durable_objects" => "Durable Object namespace",
        "queues.producers" | "queues" => "queue producer",
        "vars" => "variable",
        "secrets.required" | "secrets" => "secret",
        "ai" => "Workers AI",
        "browser" => "Browser Rendering",
        "send_email" => "send_email",
        "dispatch_namespaces" => "dispatch namespace",
        "mtls_certificates" => "mTLS certificate",
        "assets" => "static assets",
        _ => "binding",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::resolve_environments;
    use crate::syntax::parse_toml;

    #[test]
    fn lists_every_kind() {
        let root = parse_toml(
            r#"
name = "w"
[vars]
MODE = "x"
[ai]
binding = "AI"
[[kv_namespaces]]
binding = "KV"
[[durable_objects.bindings]]
name = "ROOM"
class_name = "Room"
[[queues.producers]]
binding = "JOBS"
queue = "jobs"
[secrets]
required = ["TOKEN"]
[env.staging]
[[env.staging.kv_namespaces]]
binding = "KV"
"#,
        )
        .unwrap();
        let envs = resolve_environments(&root, None);
        let names: Vec<(&str, &str)> =
            bindings(&envs[0]).iter().map(|b| (b.kind, b.name)).collect();
        assert_eq!(
            names,
            [
                ("kv_namespaces", "KV"),
                ("durable_objects.bindings", "ROOM"),
                ("queues.producers", "JOBS"),
                ("ai", "AI"),
                ("vars", "MODE"),
                ("secrets.required", "TOKEN"),
            ]
        );
        assert_eq!(bindings(&envs[1]).len(), 1);
    }
}
