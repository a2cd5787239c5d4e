//! Environments, resolved with wrangler's inheritance rules.
//!
//! An `[env.NAME]` table inherits most settings from the top level when it does not set them,
//! but never bindings: those must be declared again in every environment, and a top-level binding
//! an environment forgets simply does not exist when that environment is deployed.

use crate::syntax::{Entry, Node, Span};

/// How an environment treats a top-level key it does not set itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inheritance {
    /// The environment takes the top-level value.
    Inherited,
    /// The environment has no value: bindings, vars and define.
    NotInherited,
    /// Only the top level may set it; every environment uses the top-level value.
    TopLevelOnly,
}

/// Keys that only the top level may set.
const TOP_LEVEL_ONLY: &[&str] = &[
    "$schema",
    "env",
    "legacy_env",
    "send_metrics",
    "dev",
    "site",
    "alias",
    "wasm_modules",
    "text_blobs",
    "data_blobs",
    "keep_vars",
    "pages_build_output_dir",
];

/// Keys an environment does not inherit: every binding, plus vars and define.
const NOT_INHERITED: &[&str] = &[
    "define",
    "vars",
    "secrets",
    "durable_objects",
    "workflows",
    "cloudchamber",
    "containers",
    "kv_namespaces",
    "send_email",
    "queues",
    "r2_buckets",
    "d1_databases",
    "vectorize",
    "ai_search_namespaces",
    "ai_search",
    "hyperdrive",
    "services",
    "analytics_engine_datasets",
    "browser",
    "ai",
    "images",
    "media",
    "stream",
    "version_metadata",
    "unsafe",
    "mtls_certificates",
    "tail_consumers",
    "streaming_tail_consumers",
    "dispatch_namespaces",
    "pipelines",
    "secrets_store_secrets",
    "artifacts",
    "unsafe_hello_world",
    "flagship",
    "ratelimits",
    "worker_loaders",
    "vpc_services",
    "vpc_networks",
];

/// How environments treat `key`.
#[must_use]
pub fn inheritance(key: &str) -> Inheritance {
    if TOP_LEVEL_ONLY.contains(&key) {
        Inheritance::TopLevelOnly
    } else if NOT_INHERITED.contains(&key) {
        Inheritance::NotInherited
    } else {
        Inheritance::Inherited
    }
}

/// The array-valued binding keys, each with the key that names the binding in its entries.
/// Durable Objects, queues, vars and the single-binding tables are enumerated by
/// [`crate::config::bindings`], which uses this list for the rest.
#[must_use]
pub fn binding_kinds() -> &'static [(&'static str, &'static str)] {
    &[
        ("kv_namespaces", "binding"),
        ("d1_databases", "binding"),
        ("r2_buckets", "binding"),
        ("services", "binding"),
        ("hyperdrive", "binding"),
        ("vectorize", "binding"),
        ("analytics_engine_datasets", "binding"),
        ("workflows", "binding"),
        ("send_email", "name"),
        ("mtls_certificates", "binding"),
        ("dispatch_namespaces", "binding"),
        ("pipelines", "binding"),
        ("secrets_store_secrets", "binding"),
        ("ratelimits", "name"),
        ("worker_loaders", "binding"),
        ("vpc_services", "binding"),
        ("vpc_networks", "binding"),
        ("ai_search_namespaces", "binding"),
        ("ai_search", "binding"),
        ("artifacts", "binding"),
        ("flagship", "binding"),
        ("unsafe_hello_world", "binding"),
    ]
}

/// A value as one environment sees it.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    /// The value.
    pub node: &'a Node,
    /// The entry that holds it, for its key span.
    pub entry: &'a Entry,
    /// Whether the value comes from the top level rather than the environment's own table.
    pub inherited: bool,
}

impl Field<'_> {
    /// The span of the key, where a finding about the whole value points.
    #[must_use]
    pub fn key_span(&self) -> Span {
        self.entry.key_span
    }
}

/// The top level or one named environment of a config.
#[derive(Debug, Clone, Copy)]
pub struct Environment<'a> {
    /// The environment's name; `None` for the top level.
    pub name: Option<&'a str>,
    /// The whole config.
    pub root: &'a Node,
    /// The `[env.NAME]` table; `None` for the top level.
    pub table: Option<&'a Node>,
    /// The span of the environment's name in `[env.NAME]`.
    pub name_span: Option<Span>,
}

impl<'a> Environment<'a> {
    /// The top level.
    #[must_use]
    pub fn top_level(root: &'a Node) -> Self {
        Self { name: None, root, table: None, name_span: None }
    }

    /// Whether this is the top level.
    #[must_use]
    pub fn is_top_level(&self) -> bool {
        self.name.is_none()
    }

    /// The table this environment writes its own keys in.
    #[must_use]
    pub fn own_table(&self) -> &'a Node {
        self.table.unwrap_or(self.root)
    }

    /// The value of `key` as this environment sees it, after inheritance.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<Field<'a>> {
        let Some(table) = self.table else {
            return self.root.entry(key).map(|entry| Field {
                node: &entry.value,
                entry,
                inherited: false,
            });
        };
        if inheritance(key) != Inheritance::TopLevelOnly
            && let Some(entry) = table.entry(key)
        {
            return Some(Field { node: &entry.value, entry, inherited: false });
        }
        match inheritance(key) {
            Inheritance::NotInherited => None,
            Inheritance::Inherited | Inheritance::TopLevelOnly => self
                .root
                .entry(key)
                .map(|entry| Field { node: &entry.value, entry, inherited: true }),
        }
    }

    /// The value of `key` only when this environment writes it itself.
    #[must_use]
    pub fn own(&self, key: &str) -> Option<Field<'a>> {
        self.get(key).filter(|field| !field.inherited)
    }

    /// The items of an array-valued key after inheritance; none when absent.
    #[must_use]
    pub fn items(&self, key: &str) -> &'a [Node] {
        self.get(key).map(|field| field.node.items()).unwrap_or_default()
    }

    /// The worker name this environment deploys as: its own `name`, or the top-level name
    /// suffixed with `-NAME`, as wrangler names environment workers.
    #[must_use]
    pub fn worker_name(&self) -> Option<String> {
        let top = self.root.get("name").and_then(Node::as_str);
        match (self.name, self.table.and_then(|t| t.get("name")).and_then(Node::as_str)) {
            (None, _) => top.map(str::to_owned),
            (Some(_), Some(own)) => Some(own.to_owned()),
            (Some(env), None) => top.map(|top| format!("{top}-{env}")),
        }
    }

    /// The environment's name as reports show it: `top level` or `env.NAME`.
    #[must_use]
    pub fn label(&self) -> String {
        self.name.map_or_else(|| "top level".to_owned(), |name| format!("env.{name}"))
    }

    /// The key path prefix for keys this environment writes: empty or `env.NAME.`.
    #[must_use]
    pub fn path_prefix(&self) -> String {
        self.name.map_or_else(String::new, |name| format!("env.{name}."))
    }

    /// Whether the name says production: `prod`, `production` or `live`, alone or as a word
    /// of a longer name such as `prod-eu`.
    #[must_use]
    pub fn is_named_production(&self) -> bool {
        self.name.is_some_and(is_production_name)
    }
}

/// Whether an environment name reads as production: `prod`, `production` or `live` as a word,
/// and no word that qualifies it away (`pre-production`, `non-prod`, `live-test`).
#[must_use]
pub fn is_production_name(name: &str) -> bool {
    let words: Vec<String> = name.split(['-', '_', '.']).map(str::to_ascii_lowercase).collect();
    let production =
        words.iter().any(|w| matches!(w.as_str(), "prod" | "production" | "live" | "prd"));
    let qualified = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "pre"
                | "non"
                | "not"
                | "test"
                | "testing"
                | "staging"
                | "stage"
                | "dev"
                | "qa"
                | "preview"
                | "sandbox"
                | "demo"
        )
    });
    production && !qualified
}

/// The environments to check: the top level first, then each `[env.NAME]` in file order, or only
/// the one named by `only`.
#[must_use]
pub fn resolve_environments<'a>(root: &'a Node, only: Option<&str>) -> Vec<Environment<'a>> {
    let mut environments = vec![Environment::top_level(root)];
    for entry in root.get("env").map(Node::entries).unwrap_or_default() {
        // An environment that is not a table (`[env] kv_namespaces = [...]`) is still one to
        // wrangler; it inherits everything and is reported by the type check.
        if only.is_some_and(|name| name != entry.key) {
            continue;
        }
        environments.push(Environment {
            name: Some(&entry.key),
            root,
            table: Some(&entry.value),
            name_span: Some(entry.key_span),
        });
    }
    environments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_toml;

    #[test]
    fn environments_inherit_settings_but_not_bindings() {
        let root = parse_toml(
            r#"
name = "api"
main = "src/index.ts"
compatibility_date = "2025-01-01"
routes = ["api.example.com/*"]
[vars]
MODE = "dev"
[[kv_namespaces]]
binding = "KV"
[env.production]
compatibility_date = "2025-02-01"
[env.staging]
name = "api-stage"
"#,
        )
        .unwrap();
        let envs = resolve_environments(&root, None);
        assert_eq!(envs.len(), 3);
        let production = envs[1];
        assert_eq!(production.worker_name().as_deref(), Some("api-production"));
        assert_eq!(envs[2].worker_name().as_deref(), Some("api-stage"));
        let date = production.get("compatibility_date").unwrap();
        assert_eq!((date.node.as_str(), date.inherited), (Some("2025-02-01"), false));
        assert!(production.get("main").unwrap().inherited);
        assert!(production.get("routes").unwrap().inherited);
        assert!(production.get("vars").is_none());
        assert!(production.get("kv_namespaces").is_none());
        assert!(production.is_named_production() && !envs[2].is_named_production());
        assert_eq!(resolve_environments(&root, Some("staging")).len(), 2);
    }

    #[test]
    fn production_names() {
        for name in ["prod", "production", "Live", "prod-eu", "eu_production"] {
            assert!(is_production_name(name), "{name}");
        }
        for name in [
            "staging",
            "preview",
            "product",
            "dev",
            "delivery",
            "pre-production",
            "non-prod",
            "pre-prod",
            "live-test",
        ] {
            assert!(!is_production_name(name), "{name}");
        }
    }
}
