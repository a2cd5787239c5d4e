//! What one environment has, item by item, for the comparison.

use std::collections::{BTreeMap, HashSet};

use super::Section;
use crate::checks::vars::secret_in_vars::name_marks_secret;
use crate::config::Environment;
use crate::config::bindings::bindings;
use crate::project::{LocalVariable, Project};
use crate::secrets::must_not_print;
use crate::syntax::{Node, Value};

/// One thing one side has: section, config key, name, the value as shown, the value compared.
pub(super) struct Item {
    pub section: Section,
    pub kind: String,
    pub name: String,
    pub shown: String,
    pub compared: String,
}

impl Item {
    fn new(section: Section, kind: &str, name: &str, value: String) -> Self {
        Self {
            section,
            kind: kind.to_owned(),
            name: name.to_owned(),
            shown: value.clone(),
            compared: value,
        }
    }
}

/// Everything an environment has, in config order.
pub(super) fn describe(project: &Project, env: &Environment<'_>) -> Vec<Item> {
    let mut items = vec![Item::new(
        Section::Worker,
        "name",
        "worker",
        env.worker_name().unwrap_or_else(|| "(no name)".to_owned()),
    )];
    let mut secrets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for binding in bindings(env) {
        match binding.kind {
            "vars" => {
                let value = text(binding.node);
                let secret = must_not_print(&value) || name_marks_secret(binding.name);
                let shown = if secret { "<redacted>".to_owned() } else { value.clone() };
                items.push(Item {
                    section: Section::Var,
                    kind: "vars".to_owned(),
                    name: binding.name.to_owned(),
                    shown,
                    compared: value,
                });
            }
            "secrets.required" => {
                secrets.entry(binding.name.to_owned()).or_default().push("secrets.required".into());
            }
            kind => {
                items.push(Item::new(Section::Binding, kind, binding.name, resource(binding.node)));
            }
        }
    }
    for variable in local_variables(project, env.name) {
        secrets.entry(variable.name.clone()).or_default().push(variable.file.clone());
    }
    for (name, sources) in secrets {
        items.push(Item::new(Section::Secret, "secret", &name, sources.join(", ")));
    }
    if let Some(route) = env.get("route").and_then(|f| f.node.as_str()) {
        items.push(Item::new(Section::Route, "route", route, "route".to_owned()));
    }
    for route in env.items("routes") {
        let pattern = route.as_str().or_else(|| route.get("pattern").and_then(Node::as_str));
        let Some(pattern) = pattern else { continue };
        let custom = route.get("custom_domain").and_then(Node::as_bool) == Some(true);
        let zone = route.get("zone_name").or_else(|| route.get("zone_id")).and_then(Node::as_str);
        let value = match (custom, zone) {
            (true, _) => "custom domain".to_owned(),
            (false, Some(zone)) => format!("route in zone {zone}"),
            (false, None) => "route".to_owned(),
        };
        let kind = if custom { "custom_domain" } else { "routes" };
        items.push(Item::new(Section::Route, kind, pattern, value));
    }
    if let Some(field) = env.get("workers_dev") {
        items.push(Item::new(Section::Route, "workers_dev", "workers_dev", text(field.node)));
    }
    if let Some(field) = env.get("compatibility_date") {
        items.push(Item::new(
            Section::Compatibility,
            "compatibility_date",
            "compatibility_date",
            text(field.node),
        ));
    }
    let mut flags: Vec<&str> =
        env.items("compatibility_flags").iter().filter_map(Node::as_str).collect();
    flags.sort_unstable();
    if !flags.is_empty() {
        items.push(Item::new(
            Section::Compatibility,
            "compatibility_flags",
            "compatibility_flags",
            flags.join(", "),
        ));
    }
    if let Some(triggers) = env.get("triggers") {
        for cron in triggers.node.get("crons").map(Node::items).unwrap_or_default() {
            if let Some(cron) = cron.as_str() {
                items.push(Item::new(Section::Trigger, "crons", cron, "scheduled".to_owned()));
            }
        }
    }
    items
}

/// The local variable files that apply to an environment, as wrangler picks them.
fn local_variables<'p>(project: &'p Project, env: Option<&str>) -> Vec<&'p LocalVariable> {
    let files: HashSet<&str> =
        project.local_variables.iter().map(|variable| variable.file.as_str()).collect();
    let own_dev_vars = env.map(|name| format!(".dev.vars.{name}"));
    let chosen: Vec<String> = match &own_dev_vars {
        Some(own) if files.contains(own.as_str()) => vec![own.clone()],
        _ if files.contains(".dev.vars") => vec![".dev.vars".to_owned()],
        _ => {
            let mut dotenv = vec![".env".to_owned()];
            dotenv.extend(env.map(|name| format!(".env.{name}")));
            dotenv
        }
    };
    project.local_variables.iter().filter(|variable| chosen.contains(&variable.file)).collect()
}

/// What a binding points at: its resource's id or name, with what qualifies it.
fn resource(node: &Node) -> String {
    const KEYS: &[&str] = &[
        "id",
        "database_id",
        "bucket_name",
        "queue",
        "service",
        "class_name",
        "index_name",
        "dataset",
        "namespace",
        "certificate_id",
        "pipeline",
        "secret_name",
        "name",
    ];
    let field = |key: &str| node.get(key).and_then(Node::as_str);
    let Some(main) = KEYS.iter().find_map(|key| field(key)) else {
        return "bound".to_owned();
    };
    let qualifiers = [
        field("database_name")
            .filter(|_| field("database_id").is_some())
            .map(|n| format!("name {n}")),
        field("jurisdiction").map(|j| format!("jurisdiction {j}")),
        field("environment").map(|e| format!("environment {e}")),
        field("script_name").map(|s| format!("script {s}")),
        field("store_id").map(|s| format!("store {s}")),
    ];
    let qualifiers: Vec<String> = qualifiers.into_iter().flatten().collect();
    if qualifiers.is_empty() {
        main.to_owned()
    } else {
        format!("{main} ({})", qualifiers.join(", "))
    }
}

/// A config value as text: strings as they are, other scalars as written, tables and arrays
/// in short.
fn text(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Integer(number) => number.to_string(),
        Value::Float(number) => number.to_string(),
        Value::String(text) => text.clone(),
        Value::Array(items) => {
            format!("[{}]", items.iter().map(text).collect::<Vec<_>>().join(", "))
        }
        Value::Table(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|entry| format!("{} = {}", entry.key, text(&entry.value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
