use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::platform::compat_flags::{self, COMPATIBILITY_FLAGS};

/// A compatibility flag the runtime does not know.
pub const RULE: Rule = Rule {
    code: "CMP003",
    name: "unknown-compatibility-flag",
    service: Service::Compat,
    severity: Severity::Error,
    fixable: false,
    summary: "A compatibility flag does not exist (flags are case-sensitive)",
    docs: r#"## What it checks
Every entry of `compatibility_flags` against the flags the Workers runtime defines. Flags are
case-sensitive: `nodejs_compat` exists, `NodeJS_Compat` does not.

## Why it matters
wrangler passes flags through unchecked; the upload then fails with "No such compatibility
flag", after the build.

## Example
```toml
compatibility_flags = ["nodejs-compat"]   # bad
compatibility_flags = ["nodejs_compat"]   # good
```

## Known limitations
Flags added to the runtime after this release of atom-sage are reported as unknown.

## See also
https://developers.cloudflare.com/workers/configuration/compatibility-flags/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(field) = env.own("compatibility_flags") else { return };
    for item in field.node.items() {
        let Some(flag) = item.as_str() else { continue };
        if compat_flags::find(flag).is_some() {
            continue;
        }
        let exact_case =
            COMPATIBILITY_FLAGS.iter().find(|known| known.name.eq_ignore_ascii_case(flag));
        let normalized = flag.replace('-', "_");
        let suggestion = exact_case
            .map(|known| known.name)
            .or_else(|| compat_flags::find(&normalized).map(|known| known.name))
            .or_else(|| {
                crate::suggest::closest(flag, COMPATIBILITY_FLAGS.iter().map(|known| known.name))
            });
        let diagnostic = sink.report(
            Some(env),
            item.span,
            format!("`{flag}` is not a compatibility flag of the Workers runtime"),
        );
        diagnostic.note("the upload fails with \"No such compatibility flag\"");
        match suggestion {
            Some(known) => {
                diagnostic.help(format!("did you mean `{known}`? (flags are case-sensitive)"))
            }
            None => diagnostic.help("remove it, or check the list of compatibility flags"),
        };
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::toml;

    #[test]
    fn known_flags_pass() {
        let text = "name = \"a\"\ncompatibility_flags = [\"nodejs_compat\", \"nodejs_als\", \"no_nodejs_compat_v2\"]\n";
        assert_eq!(toml("CMP003", text), Vec::<String>::new());
    }

    #[test]
    fn unknown_flags_are_errors() {
        let text = "name = \"a\"\ncompatibility_flags = [\"NodeJS_Compat\", \"nodejs-compat\", \"made_up_flag_zzz\"]\n";
        assert_eq!(
            toml("CMP003", text),
            [
                "2:24 error [top] `NodeJS_Compat` is not a compatibility flag of the Workers runtime",
                "2:41 error [top] `nodejs-compat` is not a compatibility flag of the Workers runtime",
                "2:58 error [top] `made_up_flag_zzz` is not a compatibility flag of the Workers runtime",
            ]
        );
    }
}
