use crate::checks::{Check, Rule, Run, Sink};
use crate::diagnostic::{Service, Severity};
use crate::project::{ConfigFormat, Project};

/// A config that does not parse.
pub const RULE: Rule = Rule {
    code: "CFG001",
    name: "invalid-syntax",
    service: Service::Config,
    severity: Severity::Error,
    fixable: false,
    summary: "The config file is not valid TOML or JSON",
    docs: r#"## What it checks
That the config file parses as TOML 1.0 (`wrangler.toml`) or as JSON with comments and trailing
commas (`wrangler.json`, `wrangler.jsonc`), the way wrangler 4 reads it.

## Why it matters
wrangler stops at the first syntax error, so nothing else about the project can be checked or
deployed until it is fixed.

## Example
```toml
# bad: TOML 1.0 inline tables must stay on one line
routes = [{ pattern = "api.example.com/*",
            zone_name = "example.com" }]
# good
routes = [{ pattern = "api.example.com/*", zone_name = "example.com" }]
```

## Known limitations
Only the first syntax error is reported.

## See also
https://developers.cloudflare.com/workers/wrangler/configuration/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::File(check) };

fn check(project: &Project, sink: &mut Sink<'_>) {
    let Err(error) = &project.tree else { return };
    let language = match project.format {
        ConfigFormat::Toml => "TOML",
        ConfigFormat::Json | ConfigFormat::Jsonc => "JSON",
    };
    sink.report(None, error.span, format!("invalid {language}: {}", error.message))
        .help("fix the syntax; wrangler refuses to read the file until then");
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, findings, toml};

    #[test]
    fn valid_files_pass() {
        assert_eq!(toml("CFG001", BASE), Vec::<String>::new());
        let json = "{\n  // comment\n  \"name\": \"app\",\n}\n";
        assert_eq!(findings("CFG001", &[("wrangler.json", json)]), Vec::<String>::new());
    }

    #[test]
    fn syntax_errors_point_at_the_place() {
        let text =
            "name = \"app\"\nroutes = [{ pattern = \"a.com/*\",\n  zone_name = \"a.com\" }]\n";
        assert_eq!(
            toml("CFG001", text),
            [
                "2:33 error [top] invalid TOML: an inline table must stay on one line (TOML 1.0); use a [table] section instead"
            ]
        );
        assert_eq!(
            findings(
                "CFG001",
                &[("wrangler.jsonc", "{\n  \"name\": \"app\"\n  \"main\": \"x\"\n}")]
            ),
            ["3:3 error [top] invalid JSON: expected ',' or '}' in object"]
        );
        assert_eq!(
            toml("CFG001", "name = \"a\"\nname = \"b\"\n"),
            ["2:1 error [top] invalid TOML: duplicate key: `name`"]
        );
        assert_eq!(
            findings("CFG001", &[("wrangler.json", "[1, 2]")]),
            [
                "1:1 error [top] invalid JSON: the config must be an object of keys at the top, not array"
            ]
        );
    }
}
