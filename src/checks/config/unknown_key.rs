use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::schema::{SchemaIssue, validate};
use crate::diagnostic::{Service, Severity};

/// A key wrangler does not know.
pub const RULE: Rule = Rule {
    code: "CFG004",
    name: "unknown-key",
    service: Service::Config,
    severity: Severity::Warning,
    fixable: false,
    summary: "A key wrangler does not know, usually a typo; it is ignored",
    docs: r"## What it checks
Every key, at every depth, against the keys wrangler 4.86 knows, with a suggestion for the
closest known key.

## Why it matters
wrangler only warns about unknown keys and then ignores them, so a misspelt binding section
deploys a worker without those bindings.

## Example
```toml
[[kv_namespace]]    # bad: ignored, the worker gets no KV binding
[[kv_namespaces]]   # good
```

## Known limitations
Keys newer than wrangler 4.86 are reported as unknown.

## See also
https://developers.cloudflare.com/workers/wrangler/configuration/
",
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for issue in validate(context.root) {
        let SchemaIssue::UnknownKey { entry, path, suggestion } = issue else { continue };
        if explained_elsewhere(&path) {
            continue;
        }
        let scope = super::Scope::of(context, &path);
        if scope.is_skipped() {
            continue;
        }
        let env = scope.environment();
        let top_level_only = env.is_some()
            && path.matches('.').count() == 2
            && crate::config::inheritance(&entry.key) == crate::config::Inheritance::TopLevelOnly;
        let diagnostic = sink.report(
            env.as_ref(),
            entry.key_span,
            format!("unknown key `{path}`; wrangler ignores it"),
        );
        if top_level_only {
            diagnostic
                .help(format!("`{}` can only be set at the top level; move it there", entry.key));
        } else if let Some(suggestion) = suggestion {
            diagnostic.help(format!("did you mean `{suggestion}`?"));
        }
    }
}

/// Keys a dedicated check explains better than "unknown key" would.
fn explained_elsewhere(path: &str) -> bool {
    // service-binding-environment says what `environment` on a service binding does wrong, and
    // removed-key what became of `node_compat`.
    let key = path.rsplit('.').next().unwrap_or(path);
    let in_service = path.rsplit_once('.').is_some_and(|(parent, _)| parent.contains("services["));
    (key == "environment" && in_service) || key == "node_compat"
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn known_keys_pass() {
        let text = format!("{BASE}[limits]\ncpu_ms = 100\n[observability]\nenabled = true\n");
        assert_eq!(toml("CFG004", &text), Vec::<String>::new());
        let migrated = format!(
            "{BASE}[[migrations]]\ntag = \"v3\"\ntransferred_classes = [{{ from = \"Foo\", from_script = \"old\", to = \"Bar\" }}]\n[cache]\nenabled = true\n"
        );
        assert_eq!(toml("CFG004", &migrated), Vec::<String>::new());
    }

    #[test]
    fn unknown_keys_are_warnings() {
        let text = format!(
            "{BASE}[[kv_namespace]]\nbinding = \"KV\"\n[limits]\ncpu = 5\n[env.staging]\nsite = {{ bucket = \"./public\" }}\n[[env.staging.services]]\nbinding = \"A\"\nservice = \"a\"\nentry_point = \"x\"\n"
        );
        assert_eq!(
            toml("CFG004", &text),
            [
                "4:3 warning [top] unknown key `kv_namespace`; wrangler ignores it",
                "7:1 warning [top] unknown key `limits.cpu`; wrangler ignores it",
                "9:1 warning [staging] unknown key `env.staging.site`; wrangler ignores it",
                "13:1 warning [staging] unknown key `env.staging.services[0].entry_point`; wrangler ignores it",
            ]
        );
    }
}
