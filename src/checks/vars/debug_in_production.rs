use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::syntax::Value;

/// Debug switches left on in production.
pub const RULE: Rule = Rule {
    code: "VAR002",
    name: "debug-in-production",
    service: Service::Vars,
    severity: Severity::Warning,
    fixable: false,
    summary: "A production environment has a debug switch on or says it is development",
    docs: r#"## What it checks
The `vars` of a production environment (named like `prod`, `production` or `live`, or the top
level of a config with no environments): `DEBUG` (or a name containing it) set to true, or
`LOG_LEVEL` set to `debug` or `trace`; and in an environment named like production,
`NODE_ENV`/`ENVIRONMENT`/`APP_ENV` set to `development`.

## Why it matters
Debug output in production leaks request data into logs, slows every request and often
switches off checks meant only for local work.

## Example
```toml
[env.production.vars]
DEBUG = "true"       # bad
LOG_LEVEL = "info"   # good
```

## Known limitations
Only conventional names are recognised.

## See also
https://developers.cloudflare.com/workers/configuration/environment-variables/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    // Only where production is certain: an environment named like production, or the top
    // level of a file that has no environments at all.
    let production =
        env.is_named_production() || (env.is_top_level() && !context.has_named_environments());
    if !production {
        return;
    }
    let Some(vars) = env.get("vars") else { return };
    for entry in vars.node.entries() {
        let problem = debug_switch(&entry.key, &entry.value.value, env.is_named_production());
        let Some(problem) = problem else { continue };
        sink.report(
            Some(env),
            entry.value.span,
            format!("vars.{} {problem} in {}, a production environment", entry.key, env.label()),
        )
        .binding(entry.key.as_str())
        .help("set it for local development in .dev.vars, or in a non-production environment");
    }
}

/// What a var says that has no place in production: debugging on (`DEBUG` in its name and a
/// true value), debug logging (`LOG_LEVEL=debug`), or, when `named_production`, that the
/// environment is development (`NODE_ENV=development`). The environment diff asks the same.
pub(crate) fn debug_switch(
    name: &str,
    value: &Value,
    named_production: bool,
) -> Option<&'static str> {
    let name = name.to_ascii_uppercase();
    let text = match value {
        Value::Bool(flag) => flag.to_string(),
        Value::Integer(number) => number.to_string(),
        Value::String(text) => text.trim().to_ascii_lowercase(),
        _ => return None,
    };
    if name.contains("DEBUG") && matches!(text.as_str(), "true" | "1" | "yes" | "on" | "*") {
        Some("turns debugging on")
    } else if matches!(name.as_str(), "LOG_LEVEL" | "LOGLEVEL")
        && matches!(text.as_str(), "debug" | "trace" | "verbose" | "all")
    {
        Some("logs at debug level")
    } else if named_production
        && matches!(name.as_str(), "NODE_ENV" | "ENVIRONMENT" | "APP_ENV" | "ENV")
        && matches!(text.as_str(), "development" | "dev" | "local")
    {
        Some("says this is development")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn quiet_production_and_debug_staging_pass() {
        let text = format!(
            "{BASE}[env.production.vars]\nLOG_LEVEL = \"info\"\nDEBUG = \"false\"\n[env.staging.vars]\nDEBUG = \"true\"\n"
        );
        assert_eq!(toml("VAR002", &text), Vec::<String>::new());
        // A config without environments may label its one worker as it likes.
        let single = format!("{BASE}[vars]\nENVIRONMENT = \"development\"\n");
        assert_eq!(toml("VAR002", &single), Vec::<String>::new());
    }

    #[test]
    fn debug_switches_in_production_are_warnings() {
        let text = format!(
            "{BASE}[env.production.vars]\nDEBUG = true\nLOG_LEVEL = \"debug\"\nNODE_ENV = \"development\"\n[env.staging.vars]\nDEBUG = \"true\"\n"
        );
        assert_eq!(
            toml("VAR002", &text),
            [
                "5:9 warning [production] vars.DEBUG turns debugging on in env.production, a production environment",
                "6:13 warning [production] vars.LOG_LEVEL logs at debug level in env.production, a production environment",
                "7:12 warning [production] vars.NODE_ENV says this is development in env.production, a production environment",
            ]
        );
    }
}
