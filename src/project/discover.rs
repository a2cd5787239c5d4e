use std::path::{Path, PathBuf};

/// The config file names wrangler 4 looks for, in the order it tries them.
pub const CONFIG_NAMES: [&str; 3] = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"];

/// Where a build tool (the Cloudflare Vite plugin, among others) leaves a pointer to the config
/// it generated; `wrangler deploy` follows it instead of the user's config.
pub const DEPLOY_REDIRECT: &str = ".wrangler/deploy/config.json";

/// A deploy redirect found from a directory, and the config it points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The redirect file.
    pub file: PathBuf,
    /// The config it names, resolved against the redirect file's folder.
    pub target: PathBuf,
}

/// Finds a deploy redirect from `start` upward, as wrangler does before it uses the user's
/// config.
///
/// # Errors
/// A message when the redirect file does not parse, names no config, or names one that does not
/// exist.
pub fn find_redirect(start: &Path) -> Result<Option<Redirect>, String> {
    let start = std::path::absolute(start).unwrap_or_else(|_| start.to_owned());
    let Some(file) = start.ancestors().map(|d| d.join(DEPLOY_REDIRECT)).find(|p| p.is_file())
    else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let node = crate::syntax::parse_jsonc(&text)
        .map_err(|e| format!("{} does not parse: {}", file.display(), e.message))?;
    let Some(config_path) = node.get("configPath").and_then(crate::syntax::Node::as_str) else {
        return Err(format!("{} has no \"configPath\"", file.display()));
    };
    let target = file.parent().unwrap_or(Path::new(".")).join(config_path);
    if !target.is_file() {
        return Err(format!(
            "{} points to {}, which does not exist",
            file.display(),
            target.display()
        ));
    }
    Ok(Some(Redirect { file, target }))
}

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
    fn a_deploy_redirect_names_the_generated_config() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join(".wrangler/deploy")).unwrap();
        std::fs::create_dir_all(root.path().join("dist/app")).unwrap();
        std::fs::write(root.path().join("dist/app/wrangler.json"), "{}").unwrap();
        std::fs::write(
            root.path().join(DEPLOY_REDIRECT),
            r#"{ "configPath": "../../dist/app/wrangler.json" }"#,
        )
        .unwrap();
        let redirect = find_redirect(root.path()).unwrap().unwrap();
        assert!(redirect.target.ends_with("dist/app/wrangler.json"));
        std::fs::write(root.path().join(DEPLOY_REDIRECT), r#"{ "configPath": "missing.json" }"#)
            .unwrap();
        assert!(find_redirect(root.path()).unwrap_err().contains("does not exist"));
    }

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
