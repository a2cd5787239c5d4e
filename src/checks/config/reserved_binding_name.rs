use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::config::bindings::{bindings, kind_label};
use crate::diagnostic::{Service, Severity};

/// Binding names the platform keeps for itself.
pub const RULE: Rule = Rule {
    code: "CFG014",
    name: "reserved-binding-name",
    service: Service::Config,
    severity: Severity::Error,
    fixable: false,
    summary: "A binding in a Pages project is named ASSETS, which Pages reserves",
    docs: r#"## What it checks
Bindings of a Pages project (a config with `pages_build_output_dir`) named `ASSETS`: Pages
binds the project's static assets under that name.

## Why it matters
wrangler refuses the config.

## Example
```toml
pages_build_output_dir = "dist"
[[kv_namespaces]]
binding = "ASSETS"   # bad
binding = "CONTENT"  # good
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/pages/functions/wrangler-configuration/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    if context.root.get("pages_build_output_dir").is_none() {
        return;
    }
    for binding in bindings(env).iter().filter(|b| b.name == "ASSETS") {
        sink.report(Some(env), binding.name_span, format!("the {} binding is named ASSETS, which Pages reserves for the project's static assets", kind_label(binding.kind)))
            .binding(binding.name)
            .help("rename the binding");
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::toml;

    #[test]
    fn workers_may_use_the_name() {
        assert_eq!(
            toml(
                "CFG014",
                "name = \"a\"\nmain = \"a.ts\"\n[assets]\ndirectory = \"d\"\nbinding = \"ASSETS\"\n"
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn pages_projects_may_not() {
        let text = "name = \"a\"\npages_build_output_dir = \"dist\"\n[[kv_namespaces]]\nbinding = \"ASSETS\"\n";
        assert_eq!(
            toml("CFG014", text),
            [
                "4:11 error [top] the KV namespace binding is named ASSETS, which Pages reserves for the project's static assets"
            ]
        );
    }
}
