use crate::checks::{Check, Rule, Run, Sink};
use crate::diagnostic::{Service, Severity};
use crate::project::Project;
use crate::settings::ProblemKind;

/// A mistake in `.atom-sage/cloudflare-config.yaml`.
pub const RULE: Rule = Rule {
    code: "SET001",
    name: "invalid-settings",
    service: Service::Settings,
    severity: Severity::Error,
    fixable: false,
    summary: "The atom-sage settings file has a syntax error, an unknown key or a wrong value",
    docs: r"## What it checks
`.atom-sage/cloudflare-config.yaml`: valid YAML, only the keys `services`, `severity` and
`suppress`, known service names, known check codes or names, and severities `error`,
`warning` or `info`.

## Why it matters
A misspelt setting is otherwise ignored in silence: a suppression that never applies, a
severity override that does nothing.

## Example
```yaml
severty:          # bad: unknown key
  KV001: warning
severity:         # good
  KV001: warning
```

## Known limitations
None known.

## See also
The settings section of the README.
",
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::File(check) };

fn check(project: &Project, sink: &mut Sink<'_>) {
    super::report(project, ProblemKind::Invalid, sink);
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, findings};

    #[test]
    fn valid_settings_pass() {
        let files =
            [("wrangler.toml", BASE), (".atom-sage/cloudflare-config.yaml", "services: [kv]\n")];
        assert_eq!(findings("SET001", &files), Vec::<String>::new());
    }

    #[test]
    fn mistakes_point_into_the_settings_file() {
        let files = [
            ("wrangler.toml", BASE),
            (".atom-sage/cloudflare-config.yaml", "services: [kv]\nseverty:\n  KV001: warning\n"),
        ];
        assert_eq!(
            findings("SET001", &files),
            ["2:1 error [top] unknown key `severty` in the settings file"]
        );
        let broken =
            [("wrangler.toml", "name = ["), (".atom-sage/cloudflare-config.yaml", "a: [1,\n")];
        assert_eq!(findings("SET001", &broken).len(), 1);
    }
}
