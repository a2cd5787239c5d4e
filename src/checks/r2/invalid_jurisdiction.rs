use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::syntax::Node;

/// An R2 jurisdiction that does not exist.
pub const RULE: Rule = Rule {
    code: "R2002",
    name: "invalid-jurisdiction",
    service: Service::R2,
    severity: Severity::Error,
    fixable: false,
    summary: "An R2 binding's jurisdiction is not one Cloudflare offers",
    docs: r#"## What it checks
The `jurisdiction` of every R2 binding against the jurisdictions R2 offers (`eu`, `fedramp`).

## Why it matters
wrangler passes any string through; the bucket is then looked up in a jurisdiction that does
not exist and the deploy fails.

## Example
```toml
[[r2_buckets]]
binding = "FILES"
bucket_name = "files"
jurisdiction = "EU"   # bad: jurisdictions are lowercase
jurisdiction = "eu"   # good
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/r2/reference/data-location/#jurisdictional-restrictions
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let allowed = crate::platform::limits::R2_JURISDICTIONS;
    for bucket in env.items("r2_buckets") {
        let binding = bucket.get("binding").and_then(Node::as_str).unwrap_or("?");
        let Some(node) = bucket.get("jurisdiction") else { continue };
        let Some(jurisdiction) = node.as_str() else { continue };
        if allowed.contains(&jurisdiction) {
            continue;
        }
        let list: Vec<String> = allowed.iter().map(|j| format!("`{j}`")).collect();
        sink.report(
            Some(env),
            node.span,
            format!(
                "R2 bucket `{binding}` has jurisdiction `{jurisdiction}`, which does not exist"
            ),
        )
        .binding(binding)
        .help(format!(
            "use one of {}, or remove `jurisdiction` for the default location",
            list.join(", ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn known_jurisdictions_pass() {
        let text = format!(
            "{BASE}[[r2_buckets]]\nbinding = \"F\"\nbucket_name = \"f-1\"\njurisdiction = \"eu\"\n"
        );
        assert_eq!(toml("R2002", &text), Vec::<String>::new());
    }

    #[test]
    fn unknown_jurisdictions_are_errors() {
        let text = format!(
            "{BASE}[[r2_buckets]]\nbinding = \"F\"\nbucket_name = \"f-1\"\njurisdiction = \"EU\"\n"
        );
        assert_eq!(
            toml("R2002", &text),
            ["7:16 error [top] R2 bucket `F` has jurisdiction `EU`, which does not exist"]
        );
    }
}
