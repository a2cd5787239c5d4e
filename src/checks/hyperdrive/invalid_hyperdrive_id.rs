use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::resource_ids::{is_hex_id, is_placeholder};
use crate::syntax::Node;

/// A Hyperdrive id that is not one.
pub const RULE: Rule = Rule {
    code: "HYP001",
    name: "invalid-hyperdrive-id",
    service: Service::Hyperdrive,
    severity: Severity::Error,
    fixable: false,
    summary: "A Hyperdrive config id is a placeholder or not 32 hexadecimal digits",
    docs: r#"## What it checks
The `id` of every Hyperdrive binding: a Hyperdrive config id is 32 hexadecimal digits.

## Why it matters
The upload is rejected when the id does not name a Hyperdrive config.

## Example
```toml
[[hyperdrive]]
binding = "DB"
id = "<HYPERDRIVE_ID>"                     # bad
id = "0123456789abcdef0123456789abcdef"    # good
```

## Known limitations
Whether the config exists is only known with `--remote`.

## See also
https://developers.cloudflare.com/hyperdrive/configuration/connect-to-postgres/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    for config in env.items("hyperdrive") {
        let binding = config.get("binding").and_then(Node::as_str).unwrap_or("?");
        let Some(node) = config.get("id") else { continue };
        let Some(id) = node.as_str() else { continue };
        if is_hex_id(id) {
            continue;
        }
        let what = if id.contains("://") {
            "is a connection string, not the id of a Hyperdrive config"
        } else if is_placeholder(id) {
            "is a placeholder"
        } else {
            "is not 32 hexadecimal digits"
        };
        let diagnostic =
            sink.report(Some(env), node.span, format!("Hyperdrive `{binding}` id `{id}` {what}"));
        diagnostic.binding(binding).help("use the id printed by `wrangler hyperdrive list`; the connection string belongs in the Hyperdrive config");
        if crate::secrets::must_not_print(id) {
            diagnostic.sensitive().note("it holds a credential, now in the repository: rotate it");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn real_ids_pass() {
        let text = format!(
            "{BASE}[[hyperdrive]]\nbinding = \"DB\"\nid = \"0123456789abcdef0123456789abcdef\"\n"
        );
        assert_eq!(toml("HYP001", &text), Vec::<String>::new());
    }

    #[test]
    fn bad_ids_are_errors() {
        let text = format!("{BASE}[[hyperdrive]]\nbinding = \"DB\"\nid = \"<HYPERDRIVE_ID>\"\n");
        assert_eq!(
            toml("HYP001", &text),
            ["6:6 error [top] Hyperdrive `DB` id `<HYPERDRIVE_ID>` is a placeholder"]
        );
        let url = format!(
            "{BASE}[[hyperdrive]]\nbinding = \"DB\"\nid = \"postgres://app:N7qLx2VbR9mTz4Kc@db.example.net/app\"\n"
        );
        assert_eq!(
            toml("HYP001", &url),
            [
                "6:6 error [top] Hyperdrive `DB` id `<redacted>` is a connection string, not the id of a Hyperdrive config"
            ]
        );
    }
}
