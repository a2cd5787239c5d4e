use crate::checks::code::{bound_names, code_of};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::code::Gap;
use crate::config::Environment;
use crate::config::bindings::kind_label;
use crate::diagnostic::{Service, Severity};

/// A binding the code never uses.
pub const RULE: Rule = Rule {
    code: "COD006",
    name: "binding-unused",
    service: Service::Code,
    severity: Severity::Info,
    fixable: false,
    summary: "A resource binding that the worker's code never reads",
    docs: r#"## What it checks
KV, D1, R2, Durable Object, queue, service and other resource bindings of an environment that
the code never reads from `env`. Variables and secrets are not reported.

## Why it matters
An unused binding is often a leftover, or a sign that the code reads the resource under
another name.

## Example
```toml
[[kv_namespaces]]
binding = "OLD_CACHE"   # info: nothing reads env.OLD_CACHE
```

## Known limitations
When the code hands `env` to a package (a framework adapter), or reads `env[name]`, bindings
may be used where the analysis cannot see, and nothing is reported.

## See also
https://developers.cloudflare.com/workers/runtime-apis/bindings/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

/// Binding kinds that are values rather than resources.
const VALUES: &[&str] =
    &["vars", "secrets.required", "wasm_modules", "text_blobs", "data_blobs", "version_metadata"];

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(model) = code_of(context, env) else { return };
    let incomplete = model.env_escapes
        || !model.dynamic_uses.is_empty()
        || model.gaps.iter().any(|g| matches!(g, Gap::ParseError { .. }));
    if incomplete {
        return;
    }
    let used = model.used_names();
    for binding in bound_names(env) {
        if VALUES.contains(&binding.kind) || binding.name.is_empty() || used.contains(binding.name)
        {
            continue;
        }
        sink.report(
            Some(env),
            binding.name_span,
            format!(
                "the {} binding {} is never read by the code of {}",
                kind_label(binding.kind),
                binding.name,
                env.label()
            ),
        )
        .binding(binding.name)
        .help("remove the binding if it is a leftover, or check the name the code uses");
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::findings;

    #[test]
    fn used_bindings_pass() {
        let config = "name = \"a\"\nmain = \"src/index.js\"\n[[kv_namespaces]]\nbinding = \"CACHE\"\n[vars]\nUNUSED_VAR = \"x\"\n";
        let code = "export default { fetch(r, env) { return env.CACHE.get(\"k\"); } };\n";
        assert_eq!(
            findings("COD006", &[("wrangler.toml", config), ("src/index.js", code)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn unused_bindings_are_info_unless_env_escapes() {
        let config = "name = \"a\"\nmain = \"src/index.js\"\n[[kv_namespaces]]\nbinding = \"CACHE\"\n[[kv_namespaces]]\nbinding = \"OLD\"\n";
        let code = "export default { fetch(r, env) { return env.CACHE.get(\"k\"); } };\n";
        assert_eq!(
            findings("COD006", &[("wrangler.toml", config), ("src/index.js", code)]),
            ["6:11 info [top] the KV namespace binding OLD is never read by the code of top level"]
        );
        let escaping = "import { handle } from \"framework\";\nexport default { fetch(r, env) { return handle(r, env); } };\n";
        assert_eq!(
            findings("COD006", &[("wrangler.toml", config), ("src/index.js", escaping)]),
            Vec::<String>::new()
        );
    }
}
