use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::config::bindings::{bindings, kind_label};
use crate::diagnostic::{Service, Severity};
use crate::syntax::Node;

/// A binding whose name is empty.
pub const RULE: Rule = Rule {
    code: "CFG007",
    name: "empty-binding-name",
    service: Service::Config,
    severity: Severity::Error,
    fixable: false,
    summary: "A binding or variable has an empty name",
    docs: r#"## What it checks
That every binding (and every `vars` key) has a non-empty name.

## Why it matters
The code cannot reach a binding without a name, and the upload is rejected.

## Example
```toml
[[kv_namespaces]]
binding = ""       # bad
binding = "CACHE"  # good
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/workers/runtime-apis/bindings/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    for binding in bindings(env) {
        // A missing name is reported by missing-required-key; only a written, blank one here.
        let written = binding.kind == "vars"
            || binding.node.get(name_key(binding.kind)).and_then(Node::as_str).is_some();
        if written && binding.name.trim().is_empty() {
            let message = format!("a {} binding has an empty name", kind_label(binding.kind));
            sink.report(Some(env), binding.name_span, message)
                .help("name the binding as the code reads it, e.g. `env.CACHE`");
        }
    }
}

fn name_key(kind: &str) -> &'static str {
    match kind {
        "durable_objects.bindings" | "unsafe.bindings" | "send_email" | "ratelimits" => "name",
        _ => "binding",
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn named_bindings_pass() {
        let text = format!("{BASE}[[kv_namespaces]]\nbinding = \"KV\"\n");
        assert_eq!(toml("CFG007", &text), Vec::<String>::new());
    }

    #[test]
    fn empty_names_are_errors() {
        let text = format!(
            "{BASE}[[kv_namespaces]]\nbinding = \"\"\n[vars]\n\"\" = \"x\"\n[[durable_objects.bindings]]\nname = \" \"\nclass_name = \"A\"\n"
        );
        assert_eq!(
            toml("CFG007", &text),
            [
                "5:11 error [top] a KV namespace binding has an empty name",
                "7:1 error [top] a variable binding has an empty name",
                "9:8 error [top] a Durable Object namespace binding has an empty name",
            ]
        );
    }
}
