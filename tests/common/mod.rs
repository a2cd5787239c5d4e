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
