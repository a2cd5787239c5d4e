use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};

/// Keys wrangler 4 no longer accepts.
pub const RULE: Rule = Rule {
    code: "CFG011",
    name: "removed-key",
    service: Service::Config,
    severity: Severity::Error,
    fixable: true,
    summary: "A key that wrangler 4 removed, such as node_compat",
    docs: r#"## What it checks
Keys wrangler 4 refuses because they were removed: `node_compat`, replaced by the
`nodejs_compat` compatibility flag.

## Why it matters
wrangler 4 stops before building when it finds one; projects upgraded from wrangler 3 often
still carry it.

## Example
```toml
node_compat = true                        # bad
compatibility_flags = ["nodejs_compat"]   # good
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/workers/runtime-apis/nodejs/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(entry) = env.own_table().entry("node_compat") else { return };
    sink.report(
        Some(env),
        entry.key_span,
        format!(
            "`{}node_compat` was removed in wrangler 4; wrangler refuses the config",
            env.path_prefix()
        ),
    )
    .help("delete it and add \"nodejs_compat\" to compatibility_flags");
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn current_keys_pass() {
        assert_eq!(
            toml("CFG011", &format!("{BASE}compatibility_flags = [\"nodejs_compat\"]\n")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn node_compat_is_an_error() {
        let text = format!("{BASE}node_compat = true\n[env.staging]\nnode_compat = true\n");
        assert_eq!(
            toml("CFG011", &text),
            [
                "4:1 error [top] `node_compat` was removed in wrangler 4; wrangler refuses the config",
                "6:1 error [staging] `env.staging.node_compat` was removed in wrangler 4; wrangler refuses the config",
            ]
        );
    }
}
