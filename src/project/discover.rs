use std::path::{Path, PathBuf};

/// The config file names wrangler 4 looks for, in the order it tries them.
pub const CONFIG_NAMES: [&str; 3] = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"];

/// Finds the config as wrangler 4 does: each name in turn is searched for from `start` upward
/// through its parents before the next name is tried.
#[must_use]
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).unwrap_or_else(|_| start.to_owned());
    CONFIG_NAMES.iter().find_map(|name| {
        start
            .ancestors()
            .map(|directory| directory.join(name))
            .find(|candidate| candidate.is_file())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_is_searched_upward_before_the_next() {
        let root = tempfile::tempdir().unwrap();
        let nested = root.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(nested.join("wrangler.toml"), "").unwrap();
        std::fs::write(root.path().join("wrangler.jsonc"), "{}").unwrap();
        // A wrangler.jsonc two levels up wins over a wrangler.toml right here.
        assert_eq!(find_config(&nested).unwrap(), root.path().join("wrangler.jsonc"));
        std::fs::write(nested.join("wrangler.json"), "{}").unwrap();
        assert_eq!(find_config(&nested).unwrap(), nested.join("wrangler.json"));
    }
}
