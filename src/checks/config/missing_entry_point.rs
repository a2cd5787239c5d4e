use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};

/// A worker with neither code nor assets.
pub const RULE: Rule = Rule {
    code: "CFG009",
    name: "missing-entry-point",
    service: Service::Config,
    severity: Severity::Error,
    fixable: false,
    summary: "Neither main nor assets is set, so there is nothing to deploy",
    docs: r#"## What it checks
That each environment deploys something: a `main` module, or `assets` for an assets-only
worker.

## Why it matters
`wrangler deploy` stops with "Missing entry-point" when it has neither.

## Example
```toml
name = "app"                 # bad: nothing to deploy
main = "src/index.ts"        # good
```

## Known limitations
Projects built with the Cloudflare Vite plugin (a `vite.config.*` beside the config) are not
reported: the plugin writes the deploy config, with `main`, at build time. An entry module
passed on the command line is seen only in the `scripts` of a `package.json`
beside the config; without a `package.json` the finding is a warning. Whether the `main` file
exists is not checked here: build steps often create it.

## See also
https://developers.cloudflare.com/workers/wrangler/configuration/#inheritable-keys
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    if context.project.uses_vite_plugin
        || context.root.get("pages_build_output_dir").is_some()
        || context.root.get("site").is_some()
        || env.get("main").is_some()
        || env.get("assets").is_some()
    {
        return;
    }
    // With named environments the top level alone is rarely what gets deployed; say it once,
    // for the environments, each of which inherits the gap.
    if env.is_top_level() && context.has_named_environments() {
        return;
    }
    let scripts = context.project.package_scripts.as_deref();
    if scripts.is_some_and(|scripts| scripts.iter().any(|s| passes_entry_point(s))) {
        return;
    }
    let span = env.name_span.unwrap_or_default();
    let message = format!(
        "{} has no `main` module and no `assets`; `wrangler deploy` has nothing to upload",
        env.label()
    );
    let diagnostic = sink.report(Some(env), span, message);
    diagnostic.help(
        "set `main = \"src/index.ts\"` (or the built file), or `[assets] directory = \"./public\"`",
    );
    if context.root.get("type").is_some() {
        diagnostic.note(
            "`type` marks a wrangler 1 config; wrangler 4 needs `main` instead of a build type",
        );
    } else if scripts.is_none() {
        // Without a package.json there is no telling whether the entry point is passed on the
        // command line (`wrangler deploy src/index.ts`).
        diagnostic.severity(Severity::Warning).note(
            "no package.json beside the config shows the entry point passed on the command line",
        );
    }
}

/// Whether a package script runs `wrangler deploy` (or `dev`, `publish`) with an entry module.
fn passes_entry_point(script: &str) -> bool {
    const MODULE_ENDINGS: [&str; 8] = [".ts", ".js", ".mjs", ".cjs", ".tsx", ".jsx", ".mts", ".py"];
    script.split("&&").any(|command| {
        let words: Vec<&str> = command.split_whitespace().collect();
        let Some(at) = words.windows(2).position(|w| {
            w[0].ends_with("wrangler") && matches!(w[1], "deploy" | "dev" | "publish" | "versions")
        }) else {
            return false;
        };
        words[at + 2..].iter().any(|word| {
            !word.starts_with('-') && MODULE_ENDINGS.iter().any(|end| word.ends_with(end))
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, findings, toml};

    #[test]
    fn workers_with_code_or_assets_pass() {
        assert_eq!(toml("CFG009", BASE), Vec::<String>::new());
        assert_eq!(
            toml("CFG009", "name = \"a\"\n[assets]\ndirectory = \"./public\"\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn vite_plugin_projects_pass() {
        let files =
            [("wrangler.jsonc", "{ \"name\": \"a\" }"), ("vite.config.ts", "export default {};\n")];
        assert_eq!(findings("CFG009", &files), Vec::<String>::new());
    }

    #[test]
    fn entry_points_on_the_command_line_pass() {
        let package = "{\"scripts\": {\"deploy\": \"wrangler deploy --minify src/index.ts\"}}";
        assert_eq!(
            findings("CFG009", &[("wrangler.toml", "name = \"a\"\n"), ("package.json", package)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn workers_without_either_are_errors() {
        let package = "{\"scripts\": {\"deploy\": \"wrangler deploy\"}}";
        assert_eq!(
            findings("CFG009", &[("wrangler.toml", "name = \"a\"\n"), ("package.json", package)]),
            [
                "1:1 error [top] top level has no `main` module and no `assets`; `wrangler deploy` has nothing to upload"
            ]
        );
        assert_eq!(
            toml("CFG009", "name = \"a\"\ntype = \"webpack\"\n"),
            [
                "1:1 error [top] top level has no `main` module and no `assets`; `wrangler deploy` has nothing to upload"
            ]
        );
        assert_eq!(
            toml("CFG009", "name = \"a\"\n[env.production]\n"),
            [
                "2:6 warning [production] env.production has no `main` module and no `assets`; `wrangler deploy` has nothing to upload"
            ]
        );
    }
}
