use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};

/// A worker without a compatibility date.
pub const RULE: Rule = Rule {
    code: "CMP001",
    name: "missing-compatibility-date",
    service: Service::Compat,
    severity: Severity::Error,
    fixable: true,
    summary: "No compatibility_date is set; wrangler refuses to deploy",
    docs: r#"## What it checks
That every deployed environment has a `compatibility_date`, its own or the top level's.

## Why it matters
The date pins the runtime's behaviour; `wrangler deploy` refuses to publish without one.

## Example
```toml
name = "app"
main = "src/index.ts"
compatibility_date = "2025-01-15"   # good: add it
```

## Known limitations
A date passed with `--compatibility-date` is seen only in the `scripts` of a `package.json`
beside the config.

## See also
https://developers.cloudflare.com/workers/configuration/compatibility-dates/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    if env.get("compatibility_date").is_some()
        || context.root.get("pages_build_output_dir").is_some()
    {
        return;
    }
    if env.is_top_level() && context.has_named_environments() {
        return;
    }
    let scripts = context.project.package_scripts.as_deref().unwrap_or_default();
    if scripts.iter().any(|script| script.contains("--compatibility-date")) {
        return;
    }
    let span = env.name_span.unwrap_or_default();
    sink.report(
        Some(env),
        span,
        format!(
            "{} has no `compatibility_date`; `wrangler deploy` refuses to publish without one",
            env.label()
        ),
    )
    .help(format!("add `compatibility_date = \"{}\"` at the top level", context.today));
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, findings, toml};

    #[test]
    fn dated_workers_pass() {
        assert_eq!(toml("CMP001", &format!("{BASE}[env.staging]\n")), Vec::<String>::new());
        let package =
            "{\"scripts\": {\"deploy\": \"wrangler deploy --compatibility-date 2025-01-01\"}}";
        let files =
            [("wrangler.toml", "name = \"a\"\nmain = \"a.ts\"\n"), ("package.json", package)];
        assert_eq!(findings("CMP001", &files), Vec::<String>::new());
    }

    #[test]
    fn undated_workers_are_errors() {
        assert_eq!(
            toml("CMP001", "name = \"a\"\nmain = \"a.ts\"\n"),
            [
                "1:1 error [top] top level has no `compatibility_date`; `wrangler deploy` refuses to publish without one"
            ]
        );
    }
}
