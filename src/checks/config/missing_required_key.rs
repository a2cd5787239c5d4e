use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::schema::{SchemaIssue, validate};
use crate::diagnostic::{Service, Severity};

/// A required key that is absent.
pub const RULE: Rule = Rule {
    code: "CFG003",
    name: "missing-required-key",
    service: Service::Config,
    severity: Severity::Error,
    fixable: false,
    summary: "A table lacks a key wrangler requires, such as a binding's name",
    docs: r#"## What it checks
That every table has the keys wrangler 4.86's schema requires: a KV namespace's `binding`, a
Durable Object binding's `name` and `class_name`, an R2 bucket's `bucket_name`, and so on.

## Why it matters
wrangler refuses to deploy a binding it cannot name or resolve.

## Example
```toml
[[r2_buckets]]
binding = "FILES"            # bad: no bucket_name
[[r2_buckets]]
binding = "FILES"
bucket_name = "app-files"    # good
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/workers/wrangler/configuration/#bindings
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for issue in validate(context.root) {
        if let SchemaIssue::MissingKey { table, path, key } = issue {
            let scope = super::Scope::of(context, &path);
            if scope.is_skipped() {
                continue;
            }
            let env = scope.environment();
            let place =
                if path.is_empty() { "the top level".to_owned() } else { format!("`{path}`") };
            sink.report(
                env.as_ref(),
                table.span,
                format!("{place} has no `{key}`, which is required"),
            )
            .help(format!("add `{key}`"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn complete_tables_pass() {
        let text = format!("{BASE}[[r2_buckets]]\nbinding = \"F\"\nbucket_name = \"f\"\n");
        assert_eq!(toml("CFG003", &text), Vec::<String>::new());
    }

    #[test]
    fn missing_keys_are_errors() {
        let text = format!(
            "{BASE}[[services]]\nbinding = \"F\"\n[env.staging]\nkv_namespaces = [{{ id = \"0123456789abcdef0123456789abcdef\" }}]\n"
        );
        assert_eq!(
            toml("CFG003", &text),
            [
                "4:1 error [top] `services[0]` has no `service`, which is required",
                "7:18 error [staging] `env.staging.kv_namespaces[0]` has no `binding`, which is required",
            ]
        );
    }
}
