//! What the worker's code uses: read from its entry module and every local module it imports,
//! with a real JavaScript and TypeScript parser (oxc).
//!
//! The result, a [`CodeModel`], lists every binding the code reads from `env` (and how: which
//! methods it calls), the SQL it hands to D1, the Node built-ins it imports and the classes the
//! entry module exports. It is built while loading the project, so the checks that compare it
//! with the config stay pure.

mod exports;
mod resolve;
#[cfg(test)]
mod tests;
mod walker;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::project::SourceFile;
use crate::syntax::Span;

pub use resolve::{PathAliases, resolve_import};

/// A file among the ones the model read, by index into [`CodeModel::files`].
pub type FileIndex = usize;

/// Where something is in the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CodeSpan {
    /// The file.
    pub file: FileIndex,
    /// The bytes.
    pub span: Span,
}

/// One read of a binding from `env`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindingUse {
    /// The binding name: `DB` in `env.DB`.
    pub name: String,
    /// Where it is read.
    pub at: CodeSpan,
}

/// A method called on a binding: `prepare` in `env.DB.prepare(...)`, directly or through an
/// alias (`const db = env.DB; db.prepare(...)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodCall {
    /// The binding.
    pub binding: String,
    /// The method.
    pub method: String,
    /// Where the method is named.
    pub at: CodeSpan,
}

/// A SQL string handed to a D1 binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The D1 binding it runs on.
    pub binding: String,
    /// `prepare` or `exec`.
    pub method: String,
    /// The SQL, with template placeholders replaced by `?`; `None` when it is built from parts
    /// the analysis cannot follow.
    pub sql: Option<String>,
    /// How many `${...}` placeholders of a template literal were replaced by `?`.
    pub placeholders: usize,
    /// Where the SQL is written.
    pub at: CodeSpan,
}

/// An import of a Node.js built-in module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeImport {
    /// The specifier as written: `node:buffer` or `buffer`.
    pub specifier: String,
    /// Where.
    pub at: CodeSpan,
}

/// A class the entry module exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedClass {
    /// The exported name.
    pub name: String,
    /// The class it extends, as written (`DurableObject`, `WorkerEntrypoint`, ...).
    pub extends: Option<String>,
    /// Where the class is declared.
    pub at: CodeSpan,
}

/// Why the code could not be read, or only partly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// The worker is written in Python, which is not analysed.
    Python,
    /// A Pages project's `functions/` folder, which is not analysed.
    PagesFunctions,
    /// The entry module does not exist (a build step may create it).
    EntryNotFound(String),
    /// A module did not parse; what it uses is not known.
    ParseError {
        /// The module.
        file: FileIndex,
        /// The first syntax error.
        message: String,
        /// Where.
        span: Span,
    },
}

/// What one entry module and the modules it reaches use.
#[derive(Debug, Default)]
pub struct CodeModel {
    /// `main` as written in the config.
    pub main: String,
    /// The modules read, the entry first.
    pub files: Vec<SourceFile>,
    /// Every read of a binding.
    pub uses: Vec<BindingUse>,
    /// Every method called on a binding.
    pub method_calls: Vec<MethodCall>,
    /// Reads such as `env[name]`, whose binding is not known.
    pub dynamic_uses: Vec<CodeSpan>,
    /// SQL handed to D1.
    pub queries: Vec<Query>,
    /// Imports of Node built-ins.
    pub node_imports: Vec<NodeImport>,
    /// Classes the entry module exports.
    pub exported_classes: Vec<ExportedClass>,
    /// What could not be read.
    pub gaps: Vec<Gap>,
    /// Whether `env` is handed to code the analysis does not read (a package, or a method of an
    /// object), so bindings may be used where it cannot see.
    pub env_escapes: bool,
    /// Whether every export of the entry module could be followed to its declaration.
    pub exports_complete: bool,
    /// Used names: the name, the index of its first use, the number of uses.
    names: Vec<(String, usize, usize)>,
    /// Methods called on each binding.
    methods: BTreeMap<String, BTreeSet<String>>,
}

impl CodeModel {
    /// A model of code that was not read, and why.
    #[must_use]
    pub fn not_read(main: &str, gap: Gap) -> Self {
        CodeModel { main: main.to_owned(), gaps: vec![gap], ..CodeModel::default() }
    }

    /// Whether any code was read.
    #[must_use]
    pub fn analysed(&self) -> bool {
        !self.files.is_empty()
    }

    /// The binding names the code reads, each with its first use and how many uses it has, in
    /// the order of first use.
    #[must_use]
    pub fn names(&self) -> &[(String, usize, usize)] {
        &self.names
    }

    /// The binding names the code reads.
    #[must_use]
    pub fn used_names(&self) -> BTreeSet<&str> {
        self.names.iter().map(|(name, _, _)| name.as_str()).collect()
    }

    /// Every method called on a binding.
    #[must_use]
    pub fn methods_of(&self, name: &str) -> BTreeSet<&str> {
        self.methods
            .get(name)
            .map(|methods| methods.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The first use of a binding.
    #[must_use]
    pub fn first_use(&self, name: &str) -> Option<&BindingUse> {
        self.names.iter().find(|(n, _, _)| n == name).map(|(_, first, _)| &self.uses[*first])
    }

    /// How many places use a binding.
    #[must_use]
    pub fn use_count(&self, name: &str) -> usize {
        self.names.iter().find(|(n, _, _)| n == name).map_or(0, |(_, _, count)| *count)
    }

    /// Indexes the uses and method calls once, so checks ask by name without rescanning.
    fn index(&mut self) {
        let mut positions: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::new();
        let mut names: Vec<(String, usize, usize)> = Vec::new();
        for (index, use_) in self.uses.iter().enumerate() {
            if let Some(&at) = positions.get(use_.name.as_str()) {
                names[at].2 += 1;
            } else {
                positions.insert(&use_.name, names.len());
                names.push((use_.name.clone(), index, 1));
            }
        }
        self.names = names;
        let mut methods: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for call in &self.method_calls {
            methods.entry(call.binding.clone()).or_default().insert(call.method.clone());
        }
        self.methods = methods;
    }
}

/// Reads the entry module `main` (relative to `directory`) and every local module it imports.
///
/// Parsing and walking recurse with the nesting of the code; they run on a thread with a large
/// stack, so generated code nested thousands of levels deep is read rather than overflowing.
#[must_use]
pub fn analyse(directory: &Path, main: &str, aliases: &PathAliases) -> CodeModel {
    let (directory_owned, main_owned, aliases_owned) =
        (directory.to_owned(), main.to_owned(), aliases.clone());
    let worker = std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn(move || analyse_here(&directory_owned, &main_owned, &aliases_owned));
    match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(model)) => model,
        // No thread could be started: read on this one.
        _ => analyse_here(directory, main, aliases),
    }
}

/// The stack for reading code: deep enough for expressions nested tens of thousands deep.
const STACK_SIZE: usize = 512 << 20;

fn analyse_here(directory: &Path, main: &str, aliases: &PathAliases) -> CodeModel {
    let mut model = CodeModel { main: main.to_owned(), ..CodeModel::default() };
    let is_python = Path::new(main).extension().is_some_and(|e| e.eq_ignore_ascii_case("py"));
    if is_python {
        model.gaps.push(Gap::Python);
        return model;
    }
    let entry = directory.join(main);
    if !entry.is_file() {
        model.gaps.push(Gap::EntryNotFound(main.to_owned()));
        return model;
    }

    // Which parameters of which functions receive `env`, learnt from call sites; the modules are
    // read again until that stops growing (a helper in one module called from another).
    let mut env_parameters: BTreeMap<(PathBuf, String), BTreeSet<usize>> = BTreeMap::new();
    for _ in 0..MAX_PASSES {
        let before = env_parameters.clone();
        model = read_all(directory, &entry, main, aliases, &mut env_parameters);
        if env_parameters == before {
            break;
        }
    }
    model
}

fn read_all(
    directory: &Path,
    entry: &Path,
    main: &str,
    aliases: &PathAliases,
    env_parameters: &mut BTreeMap<(PathBuf, String), BTreeSet<usize>>,
) -> CodeModel {
    let mut model = CodeModel { main: main.to_owned(), ..CodeModel::default() };
    let mut queue: Vec<PathBuf> = vec![entry.to_owned()];
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    let mut summaries = Vec::new();
    while let Some(path) = queue.pop() {
        if !seen.insert(path.clone()) || model.files.len() >= MAX_MODULES {
            continue;
        }
        let Ok(file) = SourceFile::read(&path) else { continue };
        let index = model.files.len();
        let summary = walker::walk_module(&file, index, &path, env_parameters);
        for (specifier, _) in &summary.imports {
            if let Some(resolved) = resolve_import(&path, specifier, directory, aliases) {
                queue.push(resolved);
            }
        }
        model.files.push(file);
        summaries.push((path, summary));
    }
    // Calls that pass `env` to a function imported from another module teach that module's
    // function which parameter is `env`.
    for (path, summary) in &summaries {
        for call in &summary.env_calls {
            let target = match &call.imported_from {
                Some((specifier, imported)) => resolve_import(path, specifier, directory, aliases)
                    .map(|p| (p, imported.clone())),
                None => Some((path.clone(), call.function.clone())),
            };
            if let Some(key) = target {
                env_parameters.entry(key).or_default().insert(call.argument);
            }
        }
    }
    for (_, summary) in &mut summaries {
        model.uses.append(&mut summary.uses);
        model.method_calls.append(&mut summary.method_calls);
        model.dynamic_uses.append(&mut summary.dynamic_uses);
        model.queries.append(&mut summary.queries);
        model.node_imports.append(&mut summary.node_imports);
        if let Some(gap) = summary.gap.take() {
            model.gaps.push(gap);
        }
    }
    model.index();
    let (classes, complete) = exports::exported_classes(&summaries, directory, aliases);
    model.exported_classes = classes;
    model.exports_complete = complete;
    model.env_escapes = summaries.iter().any(|(path, summary)| {
        summary.env_escapes
            || summary.env_calls.iter().any(|call| {
                call.imported_from.as_ref().is_some_and(|(specifier, _)| {
                    resolve_import(path, specifier, directory, aliases).is_none()
                })
            })
    });
    model
}

/// How many times the modules are read while `env` keeps reaching new helper functions: each
/// pass follows `env` one call deeper.
const MAX_PASSES: usize = 32;

/// How many modules one worker may pull in before the analysis stops following imports; a
/// worker's own code is far below this, a vendored dependency tree is not worth reading.
const MAX_MODULES: usize = 2000;
