//! Loading a project: files on disk become a [`Project`], with no network and no judgement.
//!
//! Everything a check needs from the file system is read here, once, so that checks stay pure
//! functions over the loaded project.

mod discover;
pub mod migrations;

use std::path::{Path, PathBuf};

pub use discover::{CONFIG_NAMES, DEPLOY_REDIRECT, Redirect, find_config, find_redirect};
pub use migrations::{MigrationsDirectory, read_migrations_directory};

use crate::code::{CodeModel, PathAliases};
use crate::settings::Settings;
use crate::syntax::{LineIndex, Node, ParseError, Span, parse_jsonc, parse_toml};

/// Why a project could not be loaded at all. A config that does not parse is not one of these:
/// that is a finding, reported with its line and column.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// No config file in the directory or any of its parents.
    #[error(
        "no wrangler.json, wrangler.jsonc or wrangler.toml found in {} or any parent directory",
        .0.display()
    )]
    NotFound(PathBuf),
    /// The path given does not exist.
    #[error("{} does not exist", .0.display())]
    Missing(PathBuf),
    /// A file could not be read.
    #[error("cannot read {}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A deploy redirect that wrangler would refuse.
    #[error("{0}")]
    Redirect(String),
    /// A config file name wrangler does not read.
    #[error("{} is not a wrangler config: the name must end in .toml, .json or .jsonc", .0.display())]
    UnknownFormat(PathBuf),
}

/// The syntax a config file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigFormat {
    /// `wrangler.toml`.
    Toml,
    /// `wrangler.json`, which wrangler also reads with comments and trailing commas.
    Json,
    /// `wrangler.jsonc`.
    Jsonc,
}

impl ConfigFormat {
    /// The format a file name implies.
    #[must_use]
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()? {
            "toml" => Some(ConfigFormat::Toml),
            "json" => Some(ConfigFormat::Json),
            "jsonc" => Some(ConfigFormat::Jsonc),
            _ => None,
        }
    }

    /// The format's name, as users write it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigFormat::Toml => "toml",
            ConfigFormat::Json => "json",
            ConfigFormat::Jsonc => "jsonc",
        }
    }

    /// Parses the format name.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "toml" => Some(ConfigFormat::Toml),
            "json" => Some(ConfigFormat::Json),
            "jsonc" => Some(ConfigFormat::Jsonc),
            _ => None,
        }
    }
}

/// A file the project read, kept for locating findings and showing source lines.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Where the file is.
    pub path: PathBuf,
    /// The path as findings show it.
    pub display: String,
    /// The text, without a byte-order mark.
    pub text: String,
    /// Line starts of `text`.
    pub lines: LineIndex,
}

impl SourceFile {
    /// A source file from text already read.
    #[must_use]
    pub fn new(path: PathBuf, display: String, text: String) -> Self {
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        };
        let lines = LineIndex::new(&text);
        Self { path, display, text, lines }
    }

    /// Reads a file from disk.
    ///
    /// # Errors
    /// When the file cannot be read or is not UTF-8.
    pub fn read(path: &Path) -> Result<Self, LoadError> {
        let bytes = std::fs::read(path)
            .map_err(|source| LoadError::Read { path: path.to_owned(), source })?;
        // Invalid UTF-8 is replaced, not refused: the parser then reports the place it breaks.
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
        Ok(Self::new(path.to_owned(), display_path(path), text))
    }

    /// The line and column range of a span.
    #[must_use]
    pub fn range(&self, span: Span) -> crate::diagnostic::Range {
        let (start, end) = self.lines.range(&self.text, span);
        crate::diagnostic::Range {
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

/// A path as findings show it: relative to the working directory when it is inside it or a
/// few levels above it (a config found by searching upward), absolute otherwise.
#[must_use]
pub fn display_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let relative = std::env::current_dir().ok().and_then(|cwd| relative_to(&absolute, &cwd));
    relative.as_deref().unwrap_or(path).to_string_lossy().replace('\\', "/")
}

fn relative_to(path: &Path, base: &Path) -> Option<PathBuf> {
    let mut up = 0;
    let mut ancestor = base;
    loop {
        // Sharing only the filesystem root is no relation worth showing.
        ancestor.parent()?;
        if let Ok(rest) = path.strip_prefix(ancestor) {
            if rest.as_os_str().is_empty() {
                return None;
            }
            let mut relative: PathBuf = std::iter::repeat_n("..", up).collect();
            relative.push(rest);
            return Some(relative);
        }
        up += 1;
        // Far above the working directory an absolute path reads better.
        if up > 3 {
            return None;
        }
        ancestor = ancestor.parent()?;
    }
}

/// A Workers project as read from disk.
#[derive(Debug)]
pub struct Project {
    /// The directory that holds the config; relative paths in the config start here.
    pub directory: PathBuf,
    /// The config file.
    pub config: SourceFile,
    /// Its syntax.
    pub format: ConfigFormat,
    /// The parsed config, or where parsing stopped.
    pub tree: Result<Node, ParseError>,
    /// The project's atom-sage settings.
    pub settings: Settings,
    /// Every D1 migrations folder the config names, as read from disk, by the path written in
    /// the config.
    pub migrations: Vec<MigrationsDirectory>,
    /// What is on disk at the other paths the config names (container images), by the path as
    /// written.
    pub paths: Vec<(String, PathKind)>,
    /// The `scripts` of the `package.json` beside the config; `None` when there is none.
    pub package_scripts: Option<Vec<String>>,
    /// The packages `package.json` depends on (dependencies and devDependencies).
    pub package_dependencies: Vec<String>,
    /// Whether the project builds with the Cloudflare Vite plugin, which writes the config that
    /// `wrangler deploy` reads (with `main`) at build time.
    pub uses_vite_plugin: bool,
    /// What the worker's code uses, for each distinct `main` the environments name.
    pub code: Vec<CodeModel>,
    /// Every migrations folder replayed into SQLite.
    pub d1_schemas: Vec<crate::d1::Schema>,
    /// Every D1 query of the code, prepared against its binding's schema.
    pub query_checks: Vec<crate::d1::QueryCheck>,
    /// Local D1 databases behind their migrations.
    pub local_pending: Vec<crate::d1::LocalPending>,
    /// Names defined in local-only variable files (`.dev.vars`, `.env` and their
    /// per-environment variants), which `wrangler deploy` never uploads. Values are not read.
    pub local_variables: Vec<LocalVariable>,
}

/// A name defined in a local-only variable file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalVariable {
    /// The variable's name.
    pub name: String,
    /// The file that defines it, e.g. `.dev.vars` or `.dev.vars.staging`.
    pub file: String,
}

/// What a path the config names points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// A file.
    File,
    /// A directory.
    Directory,
    /// Nothing.
    Missing,
}

impl Project {
    /// Loads the project whose config is found from `path`: a config file, or a directory to
    /// search upward from.
    ///
    /// # Errors
    /// When no config is found or it cannot be read.
    pub fn load(path: &Path) -> Result<Self, LoadError> {
        let config_path = if path.is_file() {
            path.to_owned()
        } else if path.is_dir() {
            // `wrangler deploy` follows a build tool's redirect before it reads the user's config.
            match find_redirect(path).map_err(LoadError::Redirect)? {
                Some(redirect) => {
                    tracing::info!(redirect = %redirect.file.display(), config = %redirect.target.display(), "following the deploy redirect");
                    redirect.target
                }
                None => find_config(path).ok_or_else(|| LoadError::NotFound(path.to_owned()))?,
            }
        } else {
            return Err(LoadError::Missing(path.to_owned()));
        };
        let format = ConfigFormat::from_path(&config_path)
            .ok_or_else(|| LoadError::UnknownFormat(config_path.clone()))?;
        let config = SourceFile::read(&config_path)?;
        let directory = config_path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(Self::from_source(directory, config, format))
    }

    /// Builds a project from a config already in memory; migrations and settings are read
    /// relative to `directory`.
    #[must_use]
    pub fn from_source(directory: PathBuf, config: SourceFile, format: ConfigFormat) -> Self {
        let tree = parse_config(&config.text, format);
        let settings = Settings::load(&directory);
        let (migrations, paths) = match &tree {
            Ok(root) => {
                (migrations::read_all(&directory, root), read_named_paths(&directory, root))
            }
            Err(_) => (Vec::new(), Vec::new()),
        };
        let package_json = std::fs::read_to_string(directory.join("package.json")).ok();
        let package = package_json.as_deref().map(parse_jsonc);
        let package_scripts = package.as_ref().map(package_scripts);
        let package_dependencies = package.as_ref().map(package_dependencies).unwrap_or_default();
        let uses_vite_plugin = uses_vite_plugin(&directory, package_json.as_deref());
        let code = match &tree {
            Ok(root) => read_code(&directory, root),
            Err(_) => Vec::new(),
        };
        let local_variables = read_local_variables(&directory);
        let d1_bindings = match &tree {
            Ok(root) => d1_bindings(root),
            Err(_) => Vec::new(),
        };
        let pairs: Vec<(String, String)> =
            d1_bindings.iter().map(|(b, d, _)| (b.clone(), d.clone())).collect();
        let (d1_schemas, query_checks) = crate::d1::analyse(&directory, &migrations, &code, &pairs);
        let local_pending =
            crate::d1::pending_local_migrations(&directory, &migrations, &d1_bindings);
        Self {
            directory,
            config,
            format,
            tree,
            settings,
            migrations,
            paths,
            package_scripts,
            package_dependencies,
            uses_vite_plugin,
            code,
            d1_schemas,
            query_checks,
            local_pending,
            local_variables,
        }
    }

    /// Builds a project from a config alone, with no files around it: the checks of the config
    /// run, and those that read the code, the migrations or other files have nothing to read.
    #[must_use]
    pub fn detached(config: SourceFile, format: ConfigFormat) -> Self {
        Self {
            directory: PathBuf::new(),
            tree: parse_config(&config.text, format),
            config,
            format,
            settings: Settings::default(),
            migrations: Vec::new(),
            paths: Vec::new(),
            package_scripts: None,
            package_dependencies: Vec::new(),
            uses_vite_plugin: false,
            code: Vec::new(),
            d1_schemas: Vec::new(),
            query_checks: Vec::new(),
            local_pending: Vec::new(),
            local_variables: Vec::new(),
        }
    }

    /// The names of the environments the config declares under `env`, in file order; `None`
    /// when the config does not parse.
    #[must_use]
    pub fn environment_names(&self) -> Option<Vec<String>> {
        let root = self.tree.as_ref().ok()?;
        let envs = root.get("env").map(Node::entries).unwrap_or_default();
        Some(envs.iter().map(|entry| entry.key.clone()).collect())
    }

    /// What is on disk at a path the config names, relative to the config's directory.
    #[must_use]
    pub fn path_kind(&self, written: &str) -> Option<PathKind> {
        self.paths.iter().find(|(path, _)| path == written).map(|(_, kind)| *kind)
    }

    /// What the code of an environment's `main` uses, when it was read.
    #[must_use]
    pub fn code_for(&self, main: &str) -> Option<&CodeModel> {
        self.code.iter().find(|model| model.main == main)
    }

    /// The migrations folder read for a `migrations_dir` as written in the config.
    #[must_use]
    pub fn migrations_directory(&self, written: &str) -> Option<&MigrationsDirectory> {
        self.migrations.iter().find(|directory| directory.written == written)
    }
}

/// Parses a config's text; a JSON document that is not an object parses but is no config.
fn parse_config(text: &str, format: ConfigFormat) -> Result<Node, ParseError> {
    match format {
        ConfigFormat::Toml => parse_toml(text),
        ConfigFormat::Json | ConfigFormat::Jsonc => parse_jsonc(text),
    }
    .and_then(|root| {
        if root.is_table() {
            Ok(root)
        } else {
            let message = format!(
                "the config must be an object of keys at the top, not {}",
                root.type_name()
            );
            Err(ParseError { message, span: root.span })
        }
    })
}

/// Looks up the container images of every environment that could be Dockerfile paths.
fn read_named_paths(directory: &Path, root: &Node) -> Vec<(String, PathKind)> {
    let mut paths: Vec<(String, PathKind)> = Vec::new();
    let tables = std::iter::once(root)
        .chain(root.get("env").map(Node::entries).unwrap_or_default().iter().map(|e| &e.value));
    for table in tables {
        for container in table.get("containers").map(Node::items).unwrap_or_default() {
            let Some(image) = container.get("image").and_then(Node::as_str) else { continue };
            if paths.iter().any(|(path, _)| path == image) {
                continue;
            }
            let full = directory.join(image);
            let kind = if full.is_file() {
                PathKind::File
            } else if full.is_dir() {
                PathKind::Directory
            } else {
                PathKind::Missing
            };
            paths.push((image.to_owned(), kind));
        }
    }
    paths
}

/// The commands of the `scripts` in `package.json`, which show how wrangler is really called.
fn package_scripts(package: &Result<Node, ParseError>) -> Vec<String> {
    let Ok(package) = package else { return Vec::new() };
    let scripts = package.get("scripts").map(Node::entries).unwrap_or_default();
    scripts.iter().filter_map(|entry| entry.value.as_str().map(str::to_owned)).collect()
}

/// Reads the code of every distinct `main` of the top level and the environments.
fn read_code(directory: &Path, root: &Node) -> Vec<CodeModel> {
    let mut mains: Vec<&str> = Vec::new();
    let tables = std::iter::once(root)
        .chain(root.get("env").map(Node::entries).unwrap_or_default().iter().map(|e| &e.value));
    for table in tables {
        if let Some(main) = table.get("main").and_then(Node::as_str)
            && !mains.contains(&main)
        {
            mains.push(main);
        }
    }
    if mains.is_empty() {
        // A Pages project's code is its functions/ folder, which the analysis does not read yet:
        // say so rather than stay silent.
        if root.get("pages_build_output_dir").is_some() && directory.join("functions").is_dir() {
            return vec![CodeModel::not_read("functions/", crate::code::Gap::PagesFunctions)];
        }
        return Vec::new();
    }
    let aliases = PathAliases::load(directory);
    mains.into_iter().map(|main| crate::code::analyse(directory, main, &aliases)).collect()
}

/// The names in `.dev.vars`, `.env` and their `.NAME` variants beside the config.
fn read_local_variables(directory: &Path) -> Vec<LocalVariable> {
    let Ok(entries) = std::fs::read_dir(directory) else { return Vec::new() };
    let mut files: Vec<String> = entries
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            name == ".dev.vars"
                || name.starts_with(".dev.vars.")
                || name == ".env"
                || name.starts_with(".env.")
        })
        .filter(|name| {
            !name.ends_with(".example")
                && !name.ends_with(".sample")
                && !name.ends_with(".template")
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(directory.join(&file)) else { continue };
        for line in text.lines() {
            let line = line.trim();
            let line = line.strip_prefix("export ").unwrap_or(line);
            if line.starts_with('#') {
                continue;
            }
            if let Some((name, _)) = line.split_once('=') {
                let name = name.trim();
                if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    out.push(LocalVariable { name: name.to_owned(), file: file.clone() });
                }
            }
        }
    }
    out
}

/// Every D1 binding of every environment with the migrations folder and table it uses.
fn d1_bindings(root: &Node) -> Vec<(String, String, String)> {
    let tables = std::iter::once(root)
        .chain(root.get("env").map(Node::entries).unwrap_or_default().iter().map(|e| &e.value));
    let mut out: Vec<(String, String, String)> = Vec::new();
    for table in tables {
        for database in table.get("d1_databases").map(Node::items).unwrap_or_default() {
            let Some(binding) = database.get("binding").and_then(Node::as_str) else { continue };
            let directory = database
                .get("migrations_dir")
                .and_then(Node::as_str)
                .unwrap_or(migrations::DEFAULT_MIGRATIONS_DIR);
            let table =
                database.get("migrations_table").and_then(Node::as_str).unwrap_or("d1_migrations");
            let entry = (binding.to_owned(), directory.to_owned(), table.to_owned());
            if !out.contains(&entry) {
                out.push(entry);
            }
        }
    }
    out
}

/// A `vite.config.*` beside the config, or `@cloudflare/vite-plugin` among the dependencies.
fn uses_vite_plugin(directory: &Path, package_json: Option<&str>) -> bool {
    let config = ["ts", "js", "mts", "mjs", "cts", "cjs"]
        .iter()
        .any(|e| directory.join(format!("vite.config.{e}")).is_file());
    config || package_json.is_some_and(|text| text.contains("\"@cloudflare/vite-plugin\""))
}

/// The names of the packages `package.json` depends on.
fn package_dependencies(package: &Result<Node, ParseError>) -> Vec<String> {
    let Ok(package) = package else { return Vec::new() };
    ["dependencies", "devDependencies"]
        .iter()
        .flat_map(|key| package.get(key).map(Node::entries).unwrap_or_default())
        .map(|entry| entry.key.clone())
        .collect()
}
