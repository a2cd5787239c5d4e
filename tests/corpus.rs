//! Every config of the real-world corpus: no crash, never "could not run", valid JSON out.

mod common;

use std::process::Command;

#[test]
fn every_corpus_config_is_checked_without_failure() {
    let projects = common::corpus_projects();
    assert!(projects.len() >= 250, "the corpus has only {} configs", projects.len());
    let mut failures = Vec::new();
    for project in &projects {
        let output = Command::new(env!("CARGO_BIN_EXE_atom-sage"))
            .args(["check", "--format", "json", "--config"])
            .arg(&project.config)
            .output()
            .expect("atom-sage runs");
        let code = output.status.code();
        let json: Result<serde_json::Value, _> = serde_json::from_slice(&output.stdout);
        match (code, json) {
            (Some(0 | 1), Ok(report)) if report["schema"] == 1 => {
                let errors = report["summary"]["errors"].as_u64().unwrap_or(0);
                assert_eq!(
                    code == Some(1),
                    errors > 0,
                    "{}: exit code and error count disagree",
                    project.name
                );
            }
            (code, json) => failures.push(format!(
                "{}: exit {code:?}, json {:?}, stderr {}",
                project.name,
                json.err(),
                String::from_utf8_lossy(&output.stderr)
            )),
        }
    }
    assert!(failures.is_empty(), "{} configs failed:\n{}", failures.len(), failures.join("\n"));
}
