//! Resolving an import specifier to a file of the project.

use std::path::{Path, PathBuf};

use crate::syntax::{Node, parse_jsonc};

/// The extensions tried for an import written without one, in the order bundlers try them.
const EXTENSIONS: [&str; 8] = ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];

/// `compilerOptions.paths` of the project's `tsconfig.json`, in their simple form: one `*` at
/// the end of the pattern and of each target.
#[derive(Debug, Default, Clone)]
pub struct PathAliases {
    /// Pattern prefix (before `*`) and target prefixes, absolute.
    entries: Vec<(String, bool, Vec<PathBuf>)>,
}

impl PathAliases {
    /// Reads `tsconfig.json` in `directory`; no aliases when there is none or it has no paths.
    #[must_use]
    pub fn load(directory: &Path) -> Self {
        let Ok(text) = std::fs::read_to_string(directory.join("tsconfig.json")) else {
            return Self::default();
        };
        let Ok(tsconfig) = parse_jsonc(&text) else { return Self::default() };
        let options = tsconfig.get("compilerOptions");
        let base = options
            .and_then(|o| o.get("baseUrl"))
            .and_then(Node::as_str)
            .map_or_else(|| directory.to_owned(), |b| directory.join(b));
        let mut entries = Vec::new();
        for entry in options.and_then(|o| o.get("paths")).map(Node::entries).unwrap_or_default() {
            let wildcard = entry.key.ends_with('*');
            let prefix = entry.key.trim_end_matches('*').to_owned();
            let targets = entry
                .value
                .items()
                .iter()
                .filter_map(Node::as_str)
                .map(|t| base.join(t.trim_end_matches('*')))
                .collect();
            entries.push((prefix, wildcard, targets));
        }
        Self { entries }
    }
}

/// Extensions of modules wrangler bundles as data (text, HTML, SQL, WebAssembly, JSON), not
/// code: they are not read as JavaScript.
const DATA_EXTENSIONS: [&str; 8] = ["html", "txt", "sql", "wasm", "bin", "json", "md", "css"];

/// The file an import in `from` refers to, when it is one of the project's own code modules:
/// relative specifiers and tsconfig path aliases. Package imports and data modules are not
/// followed.
#[must_use]
pub fn resolve_import(
    from: &Path,
    specifier: &str,
    _project: &Path,
    aliases: &PathAliases,
) -> Option<PathBuf> {
    let extension = Path::new(specifier).extension().and_then(|e| e.to_str());
    if extension.is_some_and(|e| DATA_EXTENSIONS.contains(&e)) {
        return None;
    }
    if specifier.starts_with("./") || specifier.starts_with("../") {
        return resolve_file(&normalize(&from.parent()?.join(specifier)));
    }
    for (prefix, wildcard, targets) in &aliases.entries {
        let rest = if *wildcard {
            specifier.strip_prefix(prefix.as_str())
        } else if specifier == prefix {
            Some("")
        } else {
            None
        };
        let Some(rest) = rest else { continue };
        for target in targets {
            if let Some(found) = resolve_file(&normalize(&target.join(rest))) {
                return Some(found);
            }
        }
    }
    None
}

/// The path with `.` and `..` folded away, without touching the file system: each module has one
/// spelling, so an import cycle across folders is one cycle, not a path that grows without end.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn resolve_file(base: &Path) -> Option<PathBuf> {
    if base.is_file() {
        return Some(base.to_owned());
    }
    // TypeScript projects import `./x.js` for a file that is `./x.ts`.
    if let Some(extension) = base.extension().and_then(|e| e.to_str())
        && matches!(extension, "js" | "jsx" | "mjs" | "cjs")
    {
        let stem = base.with_extension("");
        for candidate in ["ts", "tsx", "mts", "cts"] {
            let path = stem.with_extension(candidate);
            if path.is_file() {
                return Some(path);
            }
        }
    }
    let name = base.file_name()?.to_string_lossy().into_owned();
    for extension in EXTENSIONS {
        let path = base.with_file_name(format!("{name}.{extension}"));
        if path.is_file() {
            return Some(path);
        }
    }
    for extension in EXTENSIONS {
        let path = base.join(format!("index.{extension}"));
        if path.is_file() {
            return Some(path);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_imports_and_aliases() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        for file in
            ["src/index.ts", "src/db.ts", "src/lib/index.ts", "src/util.ts", "src/shared/x.js"]
        {
            std::fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
            std::fs::write(dir.join(file), "").unwrap();
        }
        let tsconfig = r##"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"], "#util": ["./src/util"] } } }"##;
        std::fs::write(dir.join("tsconfig.json"), tsconfig).unwrap();
        let aliases = PathAliases::load(dir);
        let from = dir.join("src/index.ts");
        assert_eq!(resolve_import(&from, "./db", dir, &aliases), Some(dir.join("src/db.ts")));
        assert_eq!(resolve_import(&from, "./db.js", dir, &aliases), Some(dir.join("src/db.ts")));
        assert_eq!(
            resolve_import(&from, "./lib", dir, &aliases),
            Some(dir.join("src/lib/index.ts"))
        );
        assert_eq!(
            resolve_import(&from, "./shared/x.js", dir, &aliases),
            Some(dir.join("src/shared/x.js"))
        );
        assert_eq!(resolve_import(&from, "@/db", dir, &aliases), Some(dir.join("src/db.ts")));
        assert_eq!(resolve_import(&from, "#util", dir, &aliases), Some(dir.join("src/util.ts")));
        assert_eq!(resolve_import(&from, "hono", dir, &aliases), None);
        assert_eq!(resolve_import(&from, "./missing", dir, &aliases), None);
        assert_eq!(
            resolve_import(&from, "./../src/./lib/../db", dir, &aliases),
            Some(dir.join("src/db.ts"))
        );
        assert_eq!(resolve_import(&from, "./page.html", dir, &aliases), None);
    }
}
