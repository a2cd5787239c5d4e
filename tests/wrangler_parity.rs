//! The differential test: wrangler 4.86.0's own config reader is the oracle. Over the parity
//! fixtures and the real corpus, for every environment, every config wrangler refuses must get an
//! error from atom-sage too; for the fixtures, at the key wrangler names.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use atom_sage::syntax::{Node, Span};
use atom_sage::{CheckError, Options, Project, Severity, check_project};
use serde_json::Value;

struct Item {
    label: String,
    config: PathBuf,
    /// For fixtures: the key path wrangler names, and the environment it was captured for.
    expected_path: Option<String>,
}

fn fixtures() -> Vec<Item> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wrangler-parity");
    let mut items = Vec::new();
    for entry in std::fs::read_dir(&root).expect("the parity fixtures") {
        let dir = entry.expect("an entry").path();
        let Ok(expected) = std::fs::read_to_string(dir.join("expected.json")) else { continue };
        let expected: Value = serde_json::from_str(&expected).expect("expected.json parses");
        let config = ["wrangler.toml", "wrangler.json", "wrangler.jsonc"]
            .iter()
            .map(|name| dir.join(name))
            .find(|path| path.is_file())
            .expect("a config in the fixture");
        items.push(Item {
            label: dir.file_name().unwrap_or_default().to_string_lossy().into_owned(),
            config,
            expected_path: expected["path"].as_str().map(str::to_owned),
        });
    }
    items.sort_by(|a, b| a.label.cmp(&b.label));
    items
}

/// Runs wrangler's reader over every item and environment in one Node process.
fn oracle(configs: &[&Path]) -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        root.join("node_modules/wrangler/package.json").is_file(),
        "wrangler is not installed: run `npm ci` (scripts/test.sh does)"
    );
    let items: Vec<Value> =
        configs.iter().map(|c| serde_json::json!({ "config": c, "env": "*" })).collect();
    let input = tempfile::NamedTempFile::new().expect("a temporary file");
    std::fs::write(input.path(), serde_json::to_vec(&items).expect("items serialise"))
        .expect("written");
    let output = Command::new("node")
        .arg(root.join("tests/oracle/read-config.mjs"))
        .arg(input.path())
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "the oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the oracle prints JSON")
}

/// The node at a key path like `env.staging.kv_namespaces[0].id`, or its deepest ancestor that
/// exists, with the span of the key that holds it when there is one.
fn locate(root: &Node, path: &str) -> (Span, Option<Span>) {
    let mut node = root;
    let mut key_span = None;
    for part in path.split('.') {
        let (key, indexes) = part.split_once('[').map_or((part, ""), |(k, rest)| (k, rest));
        let Some(entry) = node.entry(key) else { break };
        node = &entry.value;
        key_span = Some(entry.key_span);
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let Ok(position) = index.trim_end_matches(']').parse::<usize>() else { break };
            let Some(item) = node.items().get(position) else { break };
            node = item;
        }
    }
    (node.span, key_span)
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start <= b.end && b.start <= a.end
}

#[test]
fn every_error_wrangler_raises_atom_sage_raises_too() {
    let fixtures = fixtures();
    let corpus = common::corpus_projects();
    let mut configs: Vec<&Path> = fixtures.iter().map(|f| f.config.as_path()).collect();
    configs.extend(corpus.iter().map(|p| p.config.as_path()));
    let results = oracle(&configs);

    let mut checked = 0;
    let mut refused = 0;
    let mut misses = Vec::new();
    for result in &results {
        let config = PathBuf::from(result["config"].as_str().expect("a config path"));
        let env = result["env"].as_str().map(str::to_owned);
        let fixture = fixtures.iter().find(|f| f.config == config);
        let label = fixture.map_or_else(|| config.display().to_string(), |f| f.label.clone());
        let errors: Vec<&str> = result["errors"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        // wrangler crashing on a malformed config is not a verdict to compare against.
        if result["error_kind"] == "internal" || result["error_kind"] == "read" {
            continue;
        }
        checked += 1;
        let project = Project::load(&config).expect("the config loads");
        let report =
            match check_project(&project, &Options { env: env.clone(), ..Options::default() }) {
                Ok(report) => report,
                Err(CheckError::UnknownEnvironment { .. }) if !errors.is_empty() => continue,
                Err(error) => panic!("{label} [{env:?}]: {error}"),
            };
        let ours: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && (d.env.is_none() || d.env == env))
            .collect();
        // Every key wrangler calls unexpected, atom-sage calls unknown.
        for warning in result["warnings"].as_array().into_iter().flatten().filter_map(Value::as_str)
        {
            let Some(fields) =
                warning.lines().next().and_then(|l| l.strip_prefix("Unexpected fields found in"))
            else {
                continue;
            };
            let fields = fields.split_once("field:").map_or("", |(_, f)| f);
            for field in
                fields.split(',').map(|f| f.trim().trim_matches('"')).filter(|f| !f.is_empty())
            {
                // wrangler walks into an environment that is an array and names its indexes;
                // atom-sage says the environment is not a table.
                let index = field.bytes().all(|b| b.is_ascii_digit());
                let named = report.diagnostics.iter().any(|d| {
                    (index && d.code == "CFG002" && d.env == env)
                        || d.code == "CFG004"
                            && (d.message.contains(&format!(".{field}`"))
                                || d.message.contains(&format!("`{field}`")))
                }) || (field == "node_compat"
                    && report.diagnostics.iter().any(|d| d.code == "CFG011"));
                if !named {
                    misses.push(format!(
                        "{label} [{}]: wrangler warns of unexpected `{field}`; atom-sage does not",
                        env.as_deref().unwrap_or("top")
                    ));
                }
            }
        }
        if errors.is_empty() {
            continue;
        }
        refused += 1;
        if ours.is_empty() {
            misses.push(format!(
                "{label} [{}]: wrangler says {errors:?}; atom-sage reports no error",
                env.as_deref().unwrap_or("top")
            ));
            continue;
        }
        // For a fixture, the error must point at the key wrangler names.
        let (Some(fixture), Ok(root)) = (fixture, &project.tree) else { continue };
        let Some(path) = &fixture.expected_path else { continue };
        let (node_span, key_span) = locate(root, path);
        let at_place = ours.iter().any(|d| {
            d.span.is_some_and(|span| {
                overlaps(span, node_span) || key_span.is_some_and(|k| overlaps(span, k))
            })
        });
        if !at_place {
            let found: Vec<String> =
                ours.iter().map(|d| format!("{} {} {:?}", d.code, d.message, d.range)).collect();
            misses.push(format!(
                "{label}: wrangler faults `{path}`; atom-sage's errors are elsewhere: {found:?}"
            ));
        }
    }
    assert!(checked > 300, "only {checked} environments were compared");
    assert!(
        refused > 90,
        "wrangler refused only {refused} environments; the oracle may not be running"
    );
    assert!(
        misses.is_empty(),
        "{} of {refused} refusals missed:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

#[test]
fn configs_wrangler_accepts_get_no_error() {
    for fixture in fixtures().iter().filter(|f| f.expected_path.is_none()) {
        let report = atom_sage::check(&fixture.config, &Options::default()).expect("checks");
        let errors: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| &d.message)
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", fixture.label);
    }
}
