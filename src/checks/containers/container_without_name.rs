use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};

/// A container that cannot be named.
pub const RULE: Rule = Rule {
    code: "CNT002",
    name: "container-without-name",
    service: Service::Containers,
    severity: Severity::Error,
    fixable: false,
    summary: "A container has no name, and its environment has no name of its own to derive one from",
    docs: r#"## What it checks
A container without `name` is named after its worker and class. In `[env.NAME]`, wrangler
derives it from the environment's own `name` only; without one the container needs `name`.

## Why it matters
wrangler refuses the config.

## Example
```toml
[env.staging]
name = "app-staging"   # good: or give each container a name
[[env.staging.containers]]
class_name = "Sandbox"
image = "docker.io/library/node:22"
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/containers/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let own_name = env.own_table().get("name").is_some();
    for container in
        env.own_table().get("containers").map(crate::syntax::Node::items).unwrap_or_default()
    {
        if container.get("name").is_some() || (own_name && container.get("class_name").is_some()) {
            continue;
        }
        let span = container.get("class_name").map_or(container.span, |c| c.span);
        sink.report(
            Some(env),
            span,
            format!(
                "a container in {} has no `name`, and {} sets no `name` to derive one from",
                env.label(),
                env.label()
            ),
        )
        .help(format!("add `name` to the container, or set `name` in {}", env.label()));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn named_containers_pass() {
        let text = format!(
            "{BASE}[[containers]]\nclass_name = \"S\"\nimage = \"node:22\"\n[env.staging]\nname = \"app-staging\"\n[[env.staging.containers]]\nclass_name = \"S\"\nimage = \"node:22\"\n"
        );
        assert_eq!(toml("CNT002", &text), Vec::<String>::new());
    }

    #[test]
    fn unnamed_containers_in_unnamed_environments_are_errors() {
        let text = format!(
            "{BASE}[env.staging]\n[[env.staging.containers]]\nclass_name = \"S\"\nimage = \"node:22\"\n"
        );
        assert_eq!(
            toml("CNT002", &text),
            [
                "6:14 error [staging] a container in env.staging has no `name`, and env.staging sets no `name` to derive one from"
            ]
        );
    }
}
