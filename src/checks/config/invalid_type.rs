use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::schema::{SchemaIssue, validate};
use crate::diagnostic::{Service, Severity};

/// A value of the wrong type, or not one of the allowed values.
pub const RULE: Rule = Rule {
    code: "CFG002",
    name: "invalid-type",
    service: Service::Config,
    severity: Severity::Error,
    fixable: false,
    summary: "A config value has the wrong type or is not one of the allowed values",
    docs: r#"## What it checks
Every value against the schema wrangler 4.86 ships: strings where strings are expected, tables
where tables are, and only the allowed words in fields such as `placement.mode`.

## Why it matters
wrangler refuses to deploy a config with a value of the wrong type.

## Example
```toml
workers_dev = "true"   # bad: a string
workers_dev = true     # good
```

## Known limitations
Where several shapes are allowed (a route as a string or a table), the finding names the closest.

## See also
https://developers.cloudflare.com/workers/wrangler/configuration/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for issue in validate(context.root) {
        if let SchemaIssue::WrongType { node, path, expected } = issue {
            let scope = super::Scope::of(context, &path);
            if scope.is_skipped() {
                continue;
            }
            let env = scope.environment();
            sink.report(
                env.as_ref(),
                node.span,
                format!("`{path}` must be {expected}, not {}", article(node.type_name())),
            );
        }
    }
}

fn article(type_name: &str) -> String {
    match type_name {
        "array" => "an array".to_owned(),
        "null" => "null".to_owned(),
        other => format!("a {other}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, findings, toml};

    #[test]
    fn right_types_pass() {
        let text = format!("{BASE}workers_dev = true\n[placement]\nmode = \"smart\"\n");
        assert_eq!(toml("CFG002", &text), Vec::<String>::new());
    }

    #[test]
    fn wrong_types_are_errors() {
        let text = format!(
            "{BASE}workers_dev = \"true\"\n[placement]\nmode = \"fast\"\n[env.staging]\nroutes = 5\n"
        );
        assert_eq!(
            toml("CFG002", &text),
            [
                "4:15 error [top] `workers_dev` must be a boolean, not a string",
                "6:8 error [top] `placement.mode` must be one of \"off\", \"smart\", not a string",
                "8:10 error [staging] `env.staging.routes` must be an array, not a number",
            ]
        );
        let json = "{\"name\": \"a\", \"compatibility_flags\": \"nodejs_compat\"}";
        assert_eq!(
            findings("CFG002", &[("wrangler.json", json)]),
            ["1:38 error [top] `compatibility_flags` must be an array, not a string"]
        );
    }
}
