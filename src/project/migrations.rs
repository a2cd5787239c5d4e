//! D1 migrations folders, read from disk for the checks that look at them.

use std::path::Path;

use crate::syntax::Node;

/// What a D1 `migrations_dir` holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationsDirectory {
    /// The path as written in the config, or `migrations` when the binding names none.
    pub written: String,
    /// Whether the folder exists.
    pub exists: bool,
    /// Whether the path exists but is not a folder.
    pub not_a_folder: bool,
    /// The `.sql` files directly inside it, sorted by name; wrangler applies only these.
    pub files: Vec<String>,
    /// `.sql` files in subfolders, as paths relative to the folder; wrangler ignores them.
    pub nested: Vec<String>,
    /// Files that end in `.sql` in another case (`0004_x.SQL`); wrangler ignores them.
    pub miscased: Vec<String>,
}

/// The folder wrangler reads when a D1 binding names no `migrations_dir`.
pub const DEFAULT_MIGRATIONS_DIR: &str = "migrations";

/// Reads every migrations folder that any D1 binding in any environment names.
pub(super) fn read_all(directory: &Path, root: &Node) -> Vec<MigrationsDirectory> {
    let mut written: Vec<String> = Vec::new();
    let mut collect = |table: &Node| {
        for database in table.get("d1_databases").map(Node::items).unwrap_or_default() {
            let dir = database
                .get("migrations_dir")
                .and_then(Node::as_str)
                .unwrap_or(DEFAULT_MIGRATIONS_DIR)
                .to_owned();
            if !written.contains(&dir) {
                written.push(dir);
            }
        }
    };
    collect(root);
    for entry in root.get("env").map(Node::entries).unwrap_or_default() {
        collect(&entry.value);
    }
    written.into_iter().map(|dir| read_migrations_directory(directory, dir)).collect()
}

/// Reads one migrations folder, `written` being relative to the project directory.
#[must_use]
pub fn read_migrations_directory(project: &Path, written: String) -> MigrationsDirectory {
    let path = project.join(&written);
    let mut files = Vec::new();
    let mut nested = Vec::new();
    let mut miscased = Vec::new();
    let Ok(entries) = std::fs::read_dir(&path) else {
        let not_a_folder = path.exists();
        return MigrationsDirectory {
            written,
            exists: false,
            not_a_folder,
            files,
            nested,
            miscased,
        };
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let file_type = entry.file_type().ok();
        if file_type.is_some_and(|t| t.is_dir()) {
            collect_nested(&entry.path(), &name, &mut nested, 0);
        } else if is_sql(&name) {
            files.push(name);
        } else if name.to_ascii_lowercase().ends_with(".sql") {
            miscased.push(name);
        }
    }
    files.sort();
    nested.sort();
    miscased.sort();
    MigrationsDirectory {
        written,
        exists: path.is_dir(),
        not_a_folder: false,
        files,
        nested,
        miscased,
    }
}

fn collect_nested(path: &Path, prefix: &str, out: &mut Vec<String>, depth: usize) {
    // Migration tools nest one or two levels; deeper trees are not migrations.
    if depth > 3 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = format!("{prefix}/{name}");
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            collect_nested(&entry.path(), &relative, out, depth + 1);
        } else if is_sql(&name) {
            out.push(relative);
        }
    }
}

/// wrangler applies files ending in `.sql`, matched case-sensitively.
#[expect(clippy::case_sensitive_file_extension_comparisons, reason = "as wrangler does")]
fn is_sql(name: &str) -> bool {
    name.ends_with(".sql")
}
