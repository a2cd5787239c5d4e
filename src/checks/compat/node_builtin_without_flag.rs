use crate::checks::code::code_of;
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::date::Date;
use crate::diagnostic::{Service, Severity};
use crate::platform::compat_flags::{NODEJS_COMPAT_DEFAULT_FROM, NODEJS_COMPAT_IMPLIES_V2_FROM};

/// A Node.js import the compatibility settings do not provide.
pub const RULE: Rule = Rule {
    code: "CMP006",
    name: "node-builtin-without-flag",
    service: Service::Compat,
    severity: Severity::Error,
    fixable: true,
    summary: "The code imports a Node.js built-in that the compatibility flags and date do not provide",
    docs: r#"## What it checks
Imports of Node.js built-ins in the worker's code against the environment's compatibility
settings: `node:*` modules need `nodejs_compat` (`node:async_hooks` alone also works with
`nodejs_als`); bare names such as `crypto` or `buffer` resolve only with `nodejs_compat_v2`,
which `nodejs_compat` implies from compatibility date 2024-09-23.

## Why it matters
The build fails to resolve the module, or the upload fails with "No such module" (code 10021).

## Example
```toml
compatibility_flags = ["nodejs_als"]      # bad: src/index.ts imports node:buffer
compatibility_flags = ["nodejs_compat"]   # good
```

## Known limitations
Imports inside packages are not followed.

## See also
https://developers.cloudflare.com/workers/runtime-apis/nodejs/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(model) = code_of(context, env) else { return };
    if model.node_imports.is_empty() {
        return;
    }
    let flags: Vec<&str> =
        env.items("compatibility_flags").iter().filter_map(|n| n.as_str()).collect();
    let date = env
        .get("compatibility_date")
        .and_then(|f| f.node.as_str())
        .and_then(|d| Date::parse(d).ok());
    let on_or_after =
        |day: &str| date.is_some_and(|d| Date::parse(day).is_ok_and(|threshold| d >= threshold));
    // nodejs_compat_v2 on its own turns the whole of Node.js compatibility on.
    let compat = (flags.contains(&"nodejs_compat")
        || flags.contains(&"nodejs_compat_v2")
        || on_or_after(NODEJS_COMPAT_DEFAULT_FROM))
        && !flags.contains(&"no_nodejs_compat");
    let compat_v2 = (flags.contains(&"nodejs_compat_v2")
        || (compat && on_or_after(NODEJS_COMPAT_IMPLIES_V2_FROM)))
        && !flags.contains(&"no_nodejs_compat_v2");
    let als = flags.contains(&"nodejs_als");
    let listed = if flags.is_empty() {
        "compatibility_flags is empty".to_owned()
    } else {
        format!("compatibility_flags has only {}", flags.join(", "))
    };
    let dependencies = &context.project.package_dependencies;
    for import in &model.node_imports {
        let specifier = import.specifier.as_str();
        // `buffer/` (by convention) or a bare name the project installs from npm is the npm
        // polyfill, which the bundler resolves like any package.
        let bare = specifier.split('/').next().unwrap_or(specifier);
        if !specifier.starts_with("node:")
            && (specifier.ends_with('/') || dependencies.iter().any(|d| d == bare))
        {
            continue;
        }
        let provided = match specifier.strip_prefix("node:") {
            Some("async_hooks") => compat || als,
            Some(_) => compat,
            None => compat_v2,
        };
        if provided {
            continue;
        }
        let file = &model.files[import.at.file];
        let (message, help) = if specifier.starts_with("node:") {
            (
                format!(
                    "{} imports {specifier}, but {listed}; the upload fails with \"No such module\" (code 10021)",
                    file.display
                ),
                "add \"nodejs_compat\" to compatibility_flags".to_owned(),
            )
        } else {
            (
                format!(
                    "{} imports `{specifier}` without `node:`, which resolves only with nodejs_compat and a compatibility date from {NODEJS_COMPAT_IMPLIES_V2_FROM} (or nodejs_compat_v2)",
                    file.display
                ),
                format!(
                    "import \"node:{specifier}\" with nodejs_compat, or set nodejs_compat and a compatibility_date of {NODEJS_COMPAT_IMPLIES_V2_FROM} or later"
                ),
            )
        };
        sink.report_in(file, env.name, import.at.span, message).help(help);
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::findings;

    const CODE: &str = "import { Buffer } from \"node:buffer\";\nimport crypto from \"crypto\";\nexport default { fetch() { return new Response(Buffer.from(crypto.randomUUID())); } };\n";

    #[test]
    fn provided_modules_pass() {
        let config = "name = \"a\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\ncompatibility_flags = [\"nodejs_compat\"]\n";
        assert_eq!(
            findings("CMP006", &[("wrangler.toml", config), ("src/index.js", CODE)]),
            Vec::<String>::new()
        );
        let v2 = "name = \"a\"\nmain = \"src/index.js\"\ncompatibility_date = \"2024-01-15\"\ncompatibility_flags = [\"nodejs_compat_v2\"]\n";
        assert_eq!(
            findings("CMP006", &[("wrangler.toml", v2), ("src/index.js", CODE)]),
            Vec::<String>::new()
        );
        let polyfills = "import { Buffer } from \"buffer/\";\nimport { EventEmitter } from \"events\";\nexport default { fetch() { return new Response(String(Buffer && EventEmitter)); } };\n";
        let plain = "name = \"a\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n";
        let package = "{ \"dependencies\": { \"events\": \"^3.3.0\", \"buffer\": \"^6.0.3\" } }";
        assert_eq!(
            findings(
                "CMP006",
                &[("wrangler.toml", plain), ("src/index.js", polyfills), ("package.json", package)]
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn missing_flags_are_errors() {
        let config = "name = \"a\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\ncompatibility_flags = [\"nodejs_als\"]\n";
        assert_eq!(
            findings("CMP006", &[("wrangler.toml", config), ("src/index.js", CODE)]),
            [
                "1:24 error [top] src/index.js imports node:buffer, but compatibility_flags has only nodejs_als; the upload fails with \"No such module\" (code 10021)",
                "2:20 error [top] src/index.js imports `crypto` without `node:`, which resolves only with nodejs_compat and a compatibility date from 2024-09-23 (or nodejs_compat_v2)",
            ]
        );
        let old = "name = \"a\"\nmain = \"src/index.js\"\ncompatibility_date = \"2024-01-15\"\ncompatibility_flags = [\"nodejs_compat\"]\n";
        assert_eq!(findings("CMP006", &[("wrangler.toml", old), ("src/index.js", CODE)]).len(), 1);
    }
}
