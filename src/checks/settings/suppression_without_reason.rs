use crate::checks::{Check, Rule, Run, Sink};
use crate::diagnostic::{Service, Severity};
use crate::project::Project;
use crate::settings::ProblemKind;

/// A suppression that does not say why.
pub const RULE: Rule = Rule {
    code: "SET002",
    name: "suppression-without-reason",
    service: Service::Settings,
    severity: Severity::Error,
    fixable: false,
    summary: "A suppression in the settings file gives no reason, so it is not applied",
    docs: r#"## What it checks
Every entry of `suppress` in `.atom-sage/cloudflare-config.yaml` has a non-empty `reason`.

## Why it matters
A silenced finding without a reason cannot be reviewed: nobody can tell later whether it
still applies. Such a suppression is not applied.

## Example
```yaml
suppress:
  - code: VAR001               # bad: no reason
  - code: VAR001
    binding: MAPS_KEY
    reason: "browser key, restricted by referrer"   # good
```

## Known limitations
None known.

## See also
The settings section of the README.
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::File(check) };

fn check(project: &Project, sink: &mut Sink<'_>) {
    super::report(project, ProblemKind::MissingReason, sink);
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, findings};

    #[test]
    fn suppressions_with_reasons_pass() {
        let settings = "suppress:\n  - code: CFG010\n    reason: new project\n";
        let files = [("wrangler.toml", BASE), (".atom-sage/cloudflare-config.yaml", settings)];
        assert_eq!(findings("SET002", &files), Vec::<String>::new());
    }

    #[test]
    fn suppressions_without_reasons_are_errors_and_not_applied() {
        let config = format!("{BASE}[[kv_namespaces]]\nbinding = \"KV\"\n");
        let settings = "suppress:\n  - code: CFG010\n";
        let files =
            [("wrangler.toml", config.as_str()), (".atom-sage/cloudflare-config.yaml", settings)];
        assert_eq!(
            findings("SET002", &files),
            ["2:5 error [top] the suppression of CFG010 gives no reason"]
        );
        assert_eq!(findings("CFG010", &files).len(), 1);
    }
}
