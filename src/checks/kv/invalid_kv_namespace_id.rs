use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::resource_ids::{is_hex_id, is_placeholder};
use crate::syntax::Node;

/// A KV namespace id that is not one.
pub const RULE: Rule = Rule {
    code: "KV001",
    name: "invalid-kv-namespace-id",
    service: Service::Kv,
    severity: Severity::Error,
    fixable: false,
    summary: "A KV namespace id or preview_id is a placeholder or not 32 hexadecimal digits",
    docs: r#"## What it checks
`id` and `preview_id` of every KV namespace binding: a namespace id is 32 hexadecimal digits.
Placeholders left from a template (`<YOUR_KV_ID>`, `xxxx`, `TODO`, an empty string) are
named as such.

## Why it matters
wrangler uploads the id as written; the API rejects it (code 10042) and the deploy fails, or
with an empty string the binding points nowhere.

## Example
```toml
[[kv_namespaces]]
binding = "CACHE"
id = "placeholder-kv-id"                  # bad
id = "0123456789abcdef0123456789abcdef"   # good; or leave id out to have wrangler create one
```

## Known limitations
Whether the namespace exists in the account is only known with `--remote`.

## See also
https://developers.cloudflare.com/kv/concepts/kv-bindings/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    for namespace in env.items("kv_namespaces") {
        let binding = namespace.get("binding").and_then(Node::as_str).unwrap_or("?");
        for key in ["id", "preview_id"] {
            let Some(node) = namespace.get(key) else { continue };
            let Some(id) = node.as_str() else { continue };
            if is_hex_id(id) {
                continue;
            }
            let what = if is_placeholder(id) {
                "is a placeholder"
            } else {
                "is not 32 hexadecimal digits"
            };
            sink.report(Some(env), node.span, format!("KV namespace `{binding}` {key} `{id}` {what}; the upload is rejected (API code 10042)"))
                .binding(binding)
                .help(if key == "id" {
                    "use the namespace's id from `wrangler kv namespace list`, or remove `id` to have wrangler create the namespace"
                } else {
                    "use a namespace id from `wrangler kv namespace list`, or remove `preview_id`"
                });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn real_ids_pass() {
        let text = format!(
            "{BASE}[[kv_namespaces]]\nbinding = \"KV\"\nid = \"0123456789abcdef0123456789abcdef\"\n[[kv_namespaces]]\nbinding = \"NEW\"\n"
        );
        assert_eq!(toml("KV001", &text), Vec::<String>::new());
    }

    #[test]
    fn placeholders_and_malformed_ids_are_errors() {
        let text = format!(
            "{BASE}[[kv_namespaces]]\nbinding = \"CACHE\"\nid = \"placeholder-kv-id\"\n[[kv_namespaces]]\nbinding = \"B\"\nid = \"0123\"\npreview_id = \"\"\n"
        );
        assert_eq!(
            toml("KV001", &text),
            [
                "6:6 error [top] KV namespace `CACHE` id `placeholder-kv-id` is a placeholder; the upload is rejected (API code 10042)",
                "9:6 error [top] KV namespace `B` id `0123` is not 32 hexadecimal digits; the upload is rejected (API code 10042)",
                "10:14 error [top] KV namespace `B` preview_id `` is a placeholder; the upload is rejected (API code 10042)",
            ]
        );
    }
}
