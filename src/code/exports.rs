//! The classes an entry module exports, followed through re-exports and barrels.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::walker::ModuleSummary;
use super::{CodeSpan, ExportedClass, PathAliases, resolve_import};

/// The classes the entry module (the first summary) exports, following re-exports, and whether
/// every export could be followed.
pub fn exported_classes(
    summaries: &[(PathBuf, ModuleSummary)],
    directory: &Path,
    aliases: &PathAliases,
) -> (Vec<ExportedClass>, bool) {
    let Some((entry, _)) = summaries.first() else { return (Vec::new(), false) };
    let mut exports = Exports {
        summaries,
        index: summaries.iter().enumerate().map(|(i, (path, _))| (path.clone(), i)).collect(),
        directory,
        aliases,
        complete: true,
        cache: HashMap::new(),
        visiting: BTreeSet::new(),
    };
    let classes = exports.of(entry, 0);
    (classes, exports.complete)
}

/// Follows exports through the modules read.
struct Exports<'a> {
    summaries: &'a [(PathBuf, ModuleSummary)],
    /// Each module's position in `summaries`.
    index: HashMap<PathBuf, usize>,
    directory: &'a Path,
    aliases: &'a PathAliases,
    complete: bool,
    /// What each module exports, once worked out: barrels re-export each other many times over.
    cache: HashMap<PathBuf, Vec<ExportedClass>>,
    /// Modules being worked out, to stop at import cycles.
    visiting: BTreeSet<PathBuf>,
}

impl Exports<'_> {
    /// The classes `module` exports, under the names it exports them.
    fn of(&mut self, module: &Path, depth: usize) -> Vec<ExportedClass> {
        if let Some(classes) = self.cache.get(module) {
            return classes.clone();
        }
        let found = self.index.get(module).copied();
        let (Some(index), true) = (found, depth <= 8 && !self.visiting.contains(module)) else {
            self.complete = false;
            return Vec::new();
        };
        let summary = &self.summaries[index].1;
        self.visiting.insert(module.to_owned());
        let mut out = Vec::new();
        for export in &summary.exports {
            let origin = match (&export.local, &export.from) {
                (Some(local), _) => {
                    let is_class = summary.classes.iter().any(|(name, _, _)| name == local);
                    if let Some((_, at)) = summary.variables.iter().find(|(name, _)| name == local)
                        && !is_class
                    {
                        let at = CodeSpan { file: index, span: *at };
                        out.push(ExportedClass {
                            name: export.exported.clone(),
                            extends: None,
                            at,
                        });
                        continue;
                    }
                    if let Some((_, extends, at)) =
                        summary.classes.iter().find(|(name, _, _)| name == local)
                    {
                        let at = CodeSpan { file: index, span: *at };
                        out.push(ExportedClass {
                            name: export.exported.clone(),
                            extends: extends.clone(),
                            at,
                        });
                        continue;
                    }
                    // `import { Room } from "./room"; export { Room };`
                    summary.imported.get(local)
                }
                (None, Some(from)) => Some(from),
                (None, None) => None,
            };
            let Some((specifier, imported)) = origin else { continue };
            for class in
                self.follow(module, specifier, depth).into_iter().filter(|c| &c.name == imported)
            {
                out.push(ExportedClass { name: export.exported.clone(), ..class });
            }
        }
        for specifier in &summary.star_exports {
            out.extend(self.follow(module, specifier, depth));
        }
        self.visiting.remove(module);
        self.cache.insert(module.to_owned(), out.clone());
        out
    }

    /// The classes of the module `specifier` names, imported from `module`.
    fn follow(&mut self, module: &Path, specifier: &str, depth: usize) -> Vec<ExportedClass> {
        if let Some(target) = resolve_import(module, specifier, self.directory, self.aliases) {
            self.of(&target, depth + 1)
        } else {
            self.complete = false;
            Vec::new()
        }
    }
}
