//! Key and type validation of a config tree against wrangler's own schema.
//!
//! The schema lives in [`super::schema_table`], generated from the JSON schema that wrangler
//! ships. Walking the tree once yields every unknown key, every value of the wrong type and
//! every missing required key, each with the key path wrangler would name.

use crate::syntax::{Entry, Node, Value};

use super::schema_table::{ENVIRONMENT, ROOT, SHAPES};

/// What a value must look like.
#[derive(Debug)]
pub enum Shape {
    /// Anything goes.
    Any,
    /// Only `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// Only this boolean.
    BoolConst(bool),
    /// Any number.
    Number,
    /// A whole number.
    Integer,
    /// Any string.
    String,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// An array whose items all have the shape at this index.
    Array(u16),
    /// An array with one shape per position.
    Tuple(&'static [u16]),
    /// A table.
    Object(ObjectShape),
    /// Any one of the shapes at these indexes.
    AnyOf(&'static [u16]),
}

/// What a table may contain.
#[derive(Debug)]
pub struct ObjectShape {
    /// The keys the schema names.
    pub properties: &'static [Property],
    /// Keys that must be present.
    pub required: &'static [&'static str],
    /// What other keys may hold.
    pub additional: Additional,
}

/// One key the schema names.
#[derive(Debug)]
pub struct Property {
    /// The key.
    pub key: &'static str,
    /// The index of its value's shape.
    pub shape: u16,
    /// Whether an environment inherits it from the top level when it does not set it.
    pub inherited: bool,
}

/// What the keys a schema does not name may hold.
#[derive(Debug)]
pub enum Additional {
    /// No other key is allowed.
    Forbidden,
    /// Any other key, with any value.
    Any,
    /// Any other key, with a value of the shape at this index.
    Shape(u16),
}

/// One way a config departs from the schema.
#[derive(Debug)]
pub enum SchemaIssue<'a> {
    /// A key the schema does not allow there.
    UnknownKey {
        /// The entry with the unknown key.
        entry: &'a Entry,
        /// Where the key is, as `kv_namespaces[0].bindng`.
        path: String,
        /// A known key that is spelled alike.
        suggestion: Option<&'static str>,
    },
    /// A value of the wrong type, or a string that is not one of the allowed values.
    WrongType {
        /// The value.
        node: &'a Node,
        /// Where the value is.
        path: String,
        /// What the schema wants, in words.
        expected: String,
    },
    /// A required key that is absent.
    MissingKey {
        /// The table that lacks it.
        table: &'a Node,
        /// Where the table is.
        path: String,
        /// The missing key.
        key: &'static str,
    },
}

impl SchemaIssue<'_> {
    /// The key path of the issue.
    #[must_use]
    pub fn path(&self) -> &str {
        match self {
            SchemaIssue::UnknownKey { path, .. }
            | SchemaIssue::WrongType { path, .. }
            | SchemaIssue::MissingKey { path, .. } => path,
        }
    }
}

/// Validates a whole config file.
#[must_use]
pub fn validate(root: &Node) -> Vec<SchemaIssue<'_>> {
    let mut issues = Vec::new();
    walk(root, ROOT, String::new(), &mut issues);
    issues
}

/// The property list of the environment shape: every key an `[env.NAME]` table may hold.
#[must_use]
pub fn environment_properties() -> &'static [Property] {
    object_properties(ENVIRONMENT)
}

/// The property list of the top-level shape.
#[must_use]
pub fn top_level_properties() -> &'static [Property] {
    object_properties(ROOT)
}

fn object_properties(index: u16) -> &'static [Property] {
    match &SHAPES[usize::from(index)] {
        Shape::Object(object) => object.properties,
        Shape::AnyOf([inner]) => object_properties(*inner),
        _ => &[],
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// Whether a node has the right type at this level, without looking inside it.
fn shallow_match(index: u16, node: &Node) -> bool {
    match (&SHAPES[usize::from(index)], &node.value) {
        (Shape::Any, _)
        | (Shape::Null, Value::Null)
        | (Shape::Boolean, Value::Bool(_))
        | (Shape::Number, Value::Integer(_) | Value::Float(_))
        | (Shape::Integer, Value::Integer(_))
        | (Shape::String, Value::String(_))
        | (Shape::Array(_) | Shape::Tuple(_), Value::Array(_))
        | (Shape::Object(_), Value::Table(_)) => true,
        (Shape::BoolConst(want), Value::Bool(have)) => want == have,
        (Shape::Enum(values), Value::String(text)) => values.contains(&text.as_str()),
        (Shape::AnyOf(alternatives), _) => alternatives.iter().any(|&alt| shallow_match(alt, node)),
        _ => false,
    }
}

fn describe(index: u16) -> String {
    match &SHAPES[usize::from(index)] {
        Shape::Any => "any value".to_owned(),
        Shape::Null => "null".to_owned(),
        Shape::Boolean => "a boolean".to_owned(),
        Shape::BoolConst(value) => format!("{value}"),
        Shape::Number => "a number".to_owned(),
        Shape::Integer => "a whole number".to_owned(),
        Shape::String => "a string".to_owned(),
        Shape::Enum(values) => {
            let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
            if quoted.len() == 1 {
                quoted[0].clone()
            } else {
                format!("one of {}", quoted.join(", "))
            }
        }
        Shape::Array(_) | Shape::Tuple(_) => "an array".to_owned(),
        Shape::Object(_) => "a table".to_owned(),
        Shape::AnyOf(alternatives) => {
            let mut words: Vec<String> = Vec::new();
            for &alt in *alternatives {
                let word = describe(alt);
                if !words.contains(&word) {
                    words.push(word);
                }
            }
            match words.len() {
                0 => "nothing".to_owned(),
                1 => words.remove(0),
                _ => {
                    let last = words.pop().unwrap_or_default();
                    format!("{} or {last}", words.join(", "))
                }
            }
        }
    }
}

fn walk<'a>(node: &'a Node, index: u16, path: String, issues: &mut Vec<SchemaIssue<'a>>) {
    match &SHAPES[usize::from(index)] {
        Shape::AnyOf(alternatives) => walk_any_of(node, alternatives, index, path, issues),
        _ if !shallow_match(index, node) => {
            issues.push(SchemaIssue::WrongType { node, path, expected: describe(index) });
        }
        Shape::Array(items) => {
            for (position, item) in node.items().iter().enumerate() {
                walk(item, *items, format!("{path}[{position}]"), issues);
            }
        }
        Shape::Tuple(items) => {
            for (position, (item, &shape)) in node.items().iter().zip(items.iter()).enumerate() {
                walk(item, shape, format!("{path}[{position}]"), issues);
            }
        }
        Shape::Object(object) => walk_object(node, object, &path, issues),
        _ => {}
    }
}

fn walk_any_of<'a>(
    node: &'a Node,
    alternatives: &[u16],
    index: u16,
    path: String,
    issues: &mut Vec<SchemaIssue<'a>>,
) {
    let candidates: Vec<u16> =
        alternatives.iter().copied().filter(|&alt| shallow_match(alt, node)).collect();
    let Some(&first) = candidates.first() else {
        issues.push(SchemaIssue::WrongType { node, path, expected: describe(index) });
        return;
    };
    if candidates.len() == 1 {
        walk(node, first, path, issues);
        return;
    }
    // Several shapes fit at this level (a route given as one of three table forms): keep the
    // reading that finds the fewest problems, which is the one the user meant.
    let mut best: Option<Vec<SchemaIssue<'a>>> = None;
    for alt in candidates {
        let mut found = Vec::new();
        walk(node, alt, path.clone(), &mut found);
        if best.as_ref().is_none_or(|b| found.len() < b.len()) {
            let done = found.is_empty();
            best = Some(found);
            if done {
                break;
            }
        }
    }
    issues.extend(best.unwrap_or_default());
}

fn walk_object<'a>(
    node: &'a Node,
    object: &ObjectShape,
    path: &str,
    issues: &mut Vec<SchemaIssue<'a>>,
) {
    for entry in node.entries() {
        let child_path = join(path, &entry.key);
        if let Some(property) = object.properties.iter().find(|p| p.key == entry.key) {
            walk(&entry.value, property.shape, child_path, issues);
            continue;
        }
        match object.additional {
            Additional::Any => {}
            Additional::Shape(shape) => walk(&entry.value, shape, child_path, issues),
            Additional::Forbidden => {
                let known = object.properties.iter().map(|p| p.key);
                let suggestion = crate::suggest::closest(&entry.key, known);
                issues.push(SchemaIssue::UnknownKey { entry, path: child_path, suggestion });
            }
        }
    }
    for &key in object.required {
        if node.entry(key).is_none() {
            issues.push(SchemaIssue::MissingKey { table: node, path: path.to_owned(), key });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_toml;

    fn issues(text: &str) -> Vec<String> {
        let root = parse_toml(text).unwrap();
        validate(&root)
            .iter()
            .map(|issue| match issue {
                SchemaIssue::UnknownKey { path, suggestion, .. } => {
                    format!("unknown {path} ({})", suggestion.unwrap_or("-"))
                }
                SchemaIssue::WrongType { path, expected, .. } => format!("type {path}: {expected}"),
                SchemaIssue::MissingKey { path, key, .. } => format!("missing {path}.{key}"),
            })
            .collect()
    }

    #[test]
    fn accepts_a_valid_config() {
        let text = r#"
name = "w"
main = "src/index.ts"
compatibility_date = "2025-01-01"
routes = [{ pattern = "a.example.com/*", zone_name = "example.com" }, "b.example.com/*"]
[vars]
A = "b"
N = { nested = [1, 2] }
[[kv_namespaces]]
binding = "KV"
id = "0123456789abcdef0123456789abcdef"
[env.staging]
name = "w-staging"
[[env.staging.d1_databases]]
binding = "DB"
database_name = "db"
"#;
        assert_eq!(issues(text), Vec::<String>::new());
    }

    #[test]
    fn finds_unknown_keys_wrong_types_and_missing_keys() {
        let text = r#"
name = 3
kv_namespace = []
[[kv_namespaces]]
id = "x"
[placement]
mode = "fast"
[limits]
cpu_msec = 10
[env.prod]
workers_dev = "yes"
"#;
        assert_eq!(
            issues(text),
            [
                "type name: a string",
                "unknown kv_namespace (kv_namespaces)",
                "missing kv_namespaces[0].binding",
                "type placement.mode: one of \"off\", \"smart\"",
                "unknown limits.cpu_msec (cpu_ms)",
                "type env.prod.workers_dev: a boolean",
            ]
        );
    }
}
