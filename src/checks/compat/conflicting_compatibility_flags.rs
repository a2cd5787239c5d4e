use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::platform::compat_flags;

/// A flag set together with its opposite.
pub const RULE: Rule = Rule {
    code: "CMP004",
    name: "conflicting-compatibility-flags",
    service: Service::Compat,
    severity: Severity::Error,
    fixable: false,
    summary: "A compatibility flag is set together with the flag that undoes it",
    docs: r#"## What it checks
That `compatibility_flags` does not hold both a flag and its opposite, such as
`streams_enable_constructors` and `streams_disable_constructors`.

## Why it matters
The runtime rejects the combination and the upload fails.

## Example
```toml
compatibility_flags = ["url_standard", "url_original"]   # bad
compatibility_flags = ["url_standard"]                   # good
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/workers/configuration/compatibility-flags/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(field) = env.own("compatibility_flags") else { return };
    let items = field.node.items();
    for (index, item) in items.iter().enumerate() {
        let Some(flag) = item.as_str().and_then(compat_flags::find) else { continue };
        let Some(opposite) = flag.opposite else { continue };
        let earlier = items[..index].iter().any(|other| other.as_str() == Some(opposite));
        if earlier {
            sink.report(
                Some(env),
                item.span,
                format!("`{}` undoes `{opposite}`, which is also set", flag.name),
            )
            .help("keep one of the two");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::toml;

    #[test]
    fn consistent_flags_pass() {
        assert_eq!(
            toml("CMP004", "name = \"a\"\ncompatibility_flags = [\"url_standard\"]\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn opposites_are_errors() {
        assert_eq!(
            toml(
                "CMP004",
                "name = \"a\"\ncompatibility_flags = [\"url_standard\", \"url_original\"]\n"
            ),
            ["2:40 error [top] `url_original` undoes `url_standard`, which is also set"]
        );
    }
}
