//! Shared by the integration tests: the real-config corpus, laid out as projects on disk.

#![allow(dead_code, reason = "each test binary uses its own part of this module")]

use std::path::{Path, PathBuf};

/// The shared folder beside the repository: the corpus, the field reports, the API examples.
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("ATOM_SAGE_SHARED")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"), PathBuf::from);
    assert!(
        dir.join("corpus/real-configs/INDEX.tsv").is_file(),
        "the shared corpus is not at {} (set ATOM_SAGE_SHARED)",
        dir.display()
    );
    dir
}

/// One corpus config, rebuilt as a project: the config at its path in its repository, with the
/// D1 migration files the repository had (names only, empty).
pub struct CorpusProject {
    /// The corpus file name, e.g. `owner__repo__wrangler.toml`.
    pub name: String,
    /// The repository it came from.
    pub repo: String,
    /// Keeps the project on disk while the test runs.
    pub root: tempfile::TempDir,
    /// The config file inside `root`.
    pub config: PathBuf,
}

/// Every config of the corpus, each in its own temporary project.
pub fn corpus_projects() -> Vec<CorpusProject> {
    let corpus = shared_dir().join("corpus/real-configs");
    let index = std::fs::read_to_string(corpus.join("INDEX.tsv")).expect("INDEX.tsv");
    let migrations =
        std::fs::read_to_string(corpus.join("MIGRATIONS.tsv")).expect("MIGRATIONS.tsv");
    let mut projects = Vec::new();
    for line in index.lines().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        let (name, repo, path) = (columns[0], columns[1], columns[2]);
        let root = tempfile::tempdir().expect("a temporary directory");
        let config = root.path().join(path);
        std::fs::create_dir_all(config.parent().expect("a parent")).expect("a directory");
        std::fs::copy(corpus.join(name), &config).expect("the corpus file");
        for row in migrations.lines().skip(1).map(|l| l.split('\t').collect::<Vec<_>>()) {
            if row[0] != name || row[6] != "yes" {
                continue;
            }
            let directory = root.path().join(row[5]);
            for file in row[8].split(',').filter(|f| !f.is_empty()) {
                let file = directory.join(file);
                std::fs::create_dir_all(file.parent().expect("a parent")).expect("a directory");
                std::fs::write(file, "").expect("a migration file");
            }
        }
        projects.push(CorpusProject { name: name.to_owned(), repo: repo.to_owned(), root, config });
    }
    projects
}

/// The token the local API accepts unless the state says otherwise.
pub const LOCAL_TOKEN: &str = "local-api-token-0123456789";

/// A project written to a temporary directory.
pub fn write_project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let directory = tempfile::tempdir().expect("a temporary directory");
    for (path, text) in files {
        let path = directory.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
        std::fs::write(path, text).expect("a written file");
    }
    directory
}

/// Client settings for tests: short timeouts and pauses so faults resolve quickly.
pub fn quick_client(base_url: &str) -> atom_sage::remote::ClientOptions {
    atom_sage::remote::ClientOptions {
        base_url: base_url.to_owned(),
        timeout: std::time::Duration::from_millis(800),
        retries: 2,
        backoff: std::time::Duration::from_millis(20),
        max_retry_after: std::time::Duration::from_secs(3),
        concurrency: 8,
    }
}

/// Checks the project in `directory` against a local API started with `state` (the JSON of an
/// account state): gathers the snapshot and runs every check. The server is returned so tests
/// can count its requests.
pub fn check_remote(
    directory: &Path,
    state: &str,
    token: &str,
    options: &atom_sage::Options,
) -> (Result<atom_sage::Report, atom_sage::remote::RemoteError>, cloudflare_api_local::Server) {
    let state = cloudflare_api_local::State::from_json(state).expect("the state parses");
    let server = cloudflare_api_local::Server::start(state).expect("the local API starts");
    let remote = atom_sage::remote::RemoteOptions {
        credentials: atom_sage::remote::Credentials::Token(token.to_owned()),
        account_id: Some(server.account_id()),
        client: quick_client(server.base_url()),
    };
    let project = atom_sage::Project::load(directory).expect("the project loads");
    let root = project.tree.as_ref().expect("the config parses");
    let environments = atom_sage::config::resolve_environments(root, options.env.as_deref());
    let snapshot = match atom_sage::remote::gather(&environments, &remote) {
        Ok(snapshot) => snapshot,
        Err(error) => return (Err(error), server),
    };
    let report = atom_sage::check_project_with(&project, options, Some(&snapshot))
        .expect("the project checks");
    (Ok(report), server)
}

/// A report's findings as `CODE severity message` lines, and its verifications as
/// `outcome subject detail` lines, for assertions that show everything when they fail.
pub fn lines(report: &atom_sage::Report) -> (Vec<String>, Vec<String>) {
    let findings = report
        .diagnostics
        .iter()
        .map(|d| format!("{} {} {}", d.code, d.severity.as_str(), d.message))
        .collect();
    let verifications = report
        .verifications
        .iter()
        .map(|v| format!("{:?} {} {}", v.outcome, v.subject, v.detail))
        .collect();
    (findings, verifications)
}

/// `atom-sage` run in a project with who is acting made the same on every machine: git knows
/// no name, so it is the OS user `tester`.
pub fn atom_sage_in(dir: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_atom-sage"));
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap())
        .env("USER", "tester")
        .env_remove("ATOM_SAGE_LOG");
    command
}
