use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use std::collections::HashMap;

use crate::config::bindings::{Binding, bindings, kind_label};
use crate::diagnostic::{Service, Severity};

/// Two bindings with one name.
pub const RULE: Rule = Rule {
    code: "CFG008",
    name: "duplicate-binding-name",
    service: Service::Config,
    severity: Severity::Error,
    fixable: false,
    summary: "Two bindings of an environment share a name",
    docs: r#"## What it checks
That no two bindings of one environment, of any kinds (KV, D1, R2, Durable Objects, queues,
services, vars, secrets, ...), have the same name.

## Why it matters
`env.NAME` can hold only one of them; the upload is rejected, or one silently shadows the other.

## Example
```toml
[vars]
CACHE = "on"
[[kv_namespaces]]
binding = "CACHE"   # bad: CACHE is already a variable
```

## Known limitations
Secrets set with `wrangler secret put` are only known with `--remote`.

## See also
https://developers.cloudflare.com/workers/runtime-apis/bindings/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let mut all = bindings(env);
    all.sort_by_key(|binding| binding.name_span.start);
    let mut first_seen: HashMap<&str, &Binding<'_>> = HashMap::new();
    for binding in &all {
        if binding.name.is_empty() {
            continue;
        }
        let Some(first) = first_seen.get(binding.name) else {
            first_seen.insert(binding.name, binding);
            continue;
        };
        let message = format!(
            "{} declares `{}` twice: as a {} binding and as a {} binding",
            env.label(),
            binding.name,
            kind_label(first.kind),
            kind_label(binding.kind)
        );
        sink.report(Some(env), binding.name_span, message)
            .binding(binding.name)
            .help("give each binding its own name");
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn distinct_names_pass() {
        let text = format!(
            "{BASE}[vars]\nA = \"1\"\n[[kv_namespaces]]\nbinding = \"B\"\n[env.staging.vars]\nA = \"2\"\n"
        );
        assert_eq!(toml("CFG008", &text), Vec::<String>::new());
    }

    #[test]
    fn shared_names_are_errors() {
        let text = format!(
            "{BASE}[vars]\nCACHE = \"on\"\n[[kv_namespaces]]\nbinding = \"CACHE\"\n[[env.staging.r2_buckets]]\nbinding = \"F\"\nbucket_name = \"f\"\n[[env.staging.d1_databases]]\nbinding = \"F\"\n"
        );
        assert_eq!(
            toml("CFG008", &text),
            [
                "7:11 error [top] top level declares `CACHE` twice: as a variable binding and as a KV namespace binding",
                "12:11 error [staging] env.staging declares `F` twice: as a R2 bucket binding and as a D1 database binding",
            ]
        );
    }
}
