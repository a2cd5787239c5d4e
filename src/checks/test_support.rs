//! Running one check over a small project written to a temporary directory.

use crate::diagnostic::Severity;
use crate::{Options, check};

/// Writes `files` into a fresh directory, checks every environment, and returns the findings of
/// the check `code` as `LINE:COLUMN severity [env] message` lines.
pub fn findings(code: &str, files: &[(&str, &str)]) -> Vec<String> {
    findings_with(code, files, &Options::default())
}

/// As [`findings`], with options.
pub fn findings_with(code: &str, files: &[(&str, &str)], options: &Options) -> Vec<String> {
    let directory = tempfile::tempdir().expect("a temporary directory");
    for (path, text) in files {
        let path = directory.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
        std::fs::write(path, text).expect("a written file");
    }
    let report = check(directory.path(), options).expect("the project loads");
    // Files outside the working directory are shown with their full path; the cases are
    // easier to read relative to the project.
    let prefixes = [
        format!("{}/", crate::project::display_path(directory.path())),
        format!("{}/", directory.path().display()),
    ];
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let range = d.range.expect("a location");
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            let env = d.env.as_deref().unwrap_or("top");
            format!(
                "{}:{} {severity} [{env}] {}",
                range.line,
                range.column,
                prefixes.iter().fold(d.message.clone(), |m, p| m.replace(p.as_str(), ""))
            )
        })
        .collect()
}

/// The findings of `code` for a `wrangler.toml` alone.
pub fn toml(code: &str, text: &str) -> Vec<String> {
    findings(code, &[("wrangler.toml", text)])
}

/// A minimal valid config to build cases on.
pub const BASE: &str =
    "name = \"app\"\nmain = \"src/index.ts\"\ncompatibility_date = \"2025-01-15\"\n";
