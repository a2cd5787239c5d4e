//! The worker templates of create-cloudflare (pinned in package.json), which is where most
//! Workers projects start: each, as shipped, gets no error and no warning.

use std::path::{Path, PathBuf};

use atom_sage::{Options, Severity, check};

/// Worker templates: the ones create-cloudflare copies as they are. Framework templates are
/// left out: their framework's own CLI writes the project around them, over the network.
fn worker_templates(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).expect("the templates folder") {
        let template = entry.expect("an entry").path();
        if !template.is_dir() || mentions_framework(&template) {
            continue;
        }
        collect_configs(&template, &mut out);
    }
    out.sort();
    out
}

fn mentions_framework(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.flatten().any(|entry| {
        let path = entry.path();
        if path.is_dir() {
            mentions_framework(&path)
        } else {
            path.file_name().is_some_and(|n| n == "c3.ts")
                && std::fs::read_to_string(&path).is_ok_and(|text| text.contains("frameworkCli"))
        }
    })
}

fn collect_configs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && path.file_name().is_some_and(|n| n != "node_modules") {
            collect_configs(&path, out);
        } else if path
            .file_name()
            .is_some_and(|n| n == "wrangler.jsonc" || n == "wrangler.json" || n == "wrangler.toml")
        {
            out.push(dir.to_owned());
        }
    }
}

/// Copies a template as create-cloudflare lays it out: `__dot__x` becomes `.x`, and the name
/// and compatibility date placeholders get values.
fn lay_out(template: &Path, target: &Path) {
    for entry in std::fs::read_dir(template).expect("a template") {
        let path = entry.expect("an entry").path();
        let name = path.file_name().expect("a name").to_string_lossy().replace("__dot__", ".");
        let destination = target.join(name);
        if path.is_dir() {
            std::fs::create_dir_all(&destination).expect("a directory");
            lay_out(&path, &destination);
        } else {
            let bytes = std::fs::read(&path).expect("a file");
            let bytes = match String::from_utf8(bytes) {
                Ok(text) => text
                    .replace("<WORKER_NAME>", "my-worker")
                    .replace("<COMPATIBILITY_DATE>", "2026-04-26")
                    .into_bytes(),
                Err(error) => error.into_bytes(),
            };
            std::fs::write(destination, bytes).expect("written");
        }
    }
}

#[test]
fn worker_templates_as_shipped_are_clean() {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/create-cloudflare/templates");
    assert!(
        root.is_dir(),
        "create-cloudflare is not installed: run `npm ci` (scripts/test.sh does)"
    );
    let templates = worker_templates(&root);
    assert!(templates.len() >= 20, "only {} worker templates found", templates.len());
    let mut failures = Vec::new();
    for template in &templates {
        let directory = tempfile::tempdir().expect("a temporary directory");
        lay_out(template, directory.path());
        let report = check(directory.path(), &Options::default()).expect("the template checks");
        let label = template.strip_prefix(&root).unwrap_or(template).display().to_string();
        for d in report.diagnostics.iter().filter(|d| d.severity != Severity::Info) {
            failures.push(format!("{label}: {} {}", d.code, d.message));
        }
        // The code of the JavaScript and TypeScript templates is read, not skipped.
        let python = label.ends_with("py");
        let unread = report.diagnostics.iter().any(|d| d.code == "COD007");
        assert!(
            python || label.contains("assets-only") || !unread,
            "{label}: the code was not analysed"
        );
    }
    assert!(
        failures.is_empty(),
        "{} findings on templates:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
