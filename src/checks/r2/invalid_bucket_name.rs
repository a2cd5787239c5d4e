use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::syntax::Node;

/// An R2 bucket name Cloudflare does not allow.
pub const RULE: Rule = Rule {
    code: "R2001",
    name: "invalid-bucket-name",
    service: Service::R2,
    severity: Severity::Error,
    fixable: false,
    summary: "An R2 bucket name is not 3-63 lowercase letters, digits and hyphens",
    docs: r#"## What it checks
`bucket_name` and `preview_bucket_name` of every R2 binding: 3 to 63 characters, lowercase
letters, digits and `-`, beginning and ending with a letter or digit.

## Why it matters
wrangler refuses the config; no bucket can have such a name.

## Example
```toml
[[r2_buckets]]
binding = "UPLOADS"
bucket_name = "My_Uploads"   # bad
bucket_name = "my-uploads"   # good
```

## Known limitations
Whether the bucket exists is only known with `--remote`.

## See also
https://developers.cloudflare.com/r2/buckets/create-buckets/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    for bucket in env.items("r2_buckets") {
        let binding = bucket.get("binding").and_then(Node::as_str).unwrap_or("?");
        for key in ["bucket_name", "preview_bucket_name"] {
            let Some(node) = bucket.get(key) else { continue };
            let Some(name) = node.as_str() else { continue };
            if crate::platform::limits::is_valid_r2_bucket_name(name) {
                continue;
            }
            sink.report(Some(env), node.span, format!("R2 bucket `{binding}` {key} `{name}` is not a valid bucket name"))
                .binding(binding)
                .help("bucket names are 3-63 lowercase letters, digits and `-`, beginning and ending with a letter or digit");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn valid_names_pass() {
        let text =
            format!("{BASE}[[r2_buckets]]\nbinding = \"F\"\nbucket_name = \"my-uploads-2\"\n");
        assert_eq!(toml("R2001", &text), Vec::<String>::new());
    }

    #[test]
    fn invalid_names_are_errors() {
        let text = format!(
            "{BASE}[[r2_buckets]]\nbinding = \"F\"\nbucket_name = \"My_Uploads\"\npreview_bucket_name = \"ab\"\n"
        );
        assert_eq!(
            toml("R2001", &text),
            [
                "6:15 error [top] R2 bucket `F` bucket_name `My_Uploads` is not a valid bucket name",
                "7:23 error [top] R2 bucket `F` preview_bucket_name `ab` is not a valid bucket name",
            ]
        );
    }
}
