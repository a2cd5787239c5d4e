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
Whether the `main` file exists is not checked here: build steps often create it.

## See also
https://developers.cloudflare.com/workers/wrangler/configuration/#inheritable-keys
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    if context.root.get("pages_build_output_dir").is_some()
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
    let span = env.name_span.unwrap_or_default();
    sink.report(
        Some(env),
        span,
        format!(
            "{} has no `main` module and no `assets`; `wrangler deploy` has nothing to upload",
            env.label()
        ),
    )
    .help(
        "set `main = \"src/index.ts\"` (or the built file), or `[assets] directory = \"./public\"`",
    );
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn workers_with_code_or_assets_pass() {
        assert_eq!(toml("CFG009", BASE), Vec::<String>::new());
        assert_eq!(
            toml("CFG009", "name = \"a\"\n[assets]\ndirectory = \"./public\"\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn workers_without_either_are_errors() {
        assert_eq!(
            toml("CFG009", "name = \"a\"\n"),
            [
                "1:1 error [top] top level has no `main` module and no `assets`; `wrangler deploy` has nothing to upload"
            ]
        );
        assert_eq!(
            toml("CFG009", "name = \"a\"\n[env.production]\n"),
            [
                "2:6 error [production] env.production has no `main` module and no `assets`; `wrangler deploy` has nothing to upload"
            ]
        );
    }
}
