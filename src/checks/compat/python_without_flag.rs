use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};

/// A Python worker without the flag that enables Python.
pub const RULE: Rule = Rule {
    code: "CMP005",
    name: "python-without-flag",
    service: Service::Compat,
    severity: Severity::Error,
    fixable: true,
    summary: "main is a Python module but compatibility_flags lacks python_workers",
    docs: r#"## What it checks
An environment whose `main` ends in `.py` has `python_workers` in its compatibility flags.

## Why it matters
wrangler refuses to build a Python worker without the flag.

## Example
```toml
main = "src/entry.py"
compatibility_flags = ["python_workers"]   # good: required for Python
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/workers/languages/python/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(main) = env.get("main") else { return };
    // wrangler itself matches the extension case-sensitively.
    #[expect(clippy::case_sensitive_file_extension_comparisons, reason = "as wrangler does")]
    let python = main.node.as_str().is_some_and(|m| m.ends_with(".py"));
    if !python {
        return;
    }
    let flags = env.get("compatibility_flags");
    let has_flag =
        flags.is_some_and(|f| f.node.items().iter().any(|i| i.as_str() == Some("python_workers")));
    if has_flag {
        return;
    }
    // Report once, where the gap is: the environment that sets the flags, or `main`.
    let field = match flags {
        Some(flags) if !flags.inherited || main.inherited => flags,
        _ => main,
    };
    if field.inherited && !env.is_top_level() {
        return;
    }
    sink.report(Some(env), field.key_span(), "main is a Python module but compatibility_flags has no `python_workers`; wrangler refuses to build it")
        .help("add \"python_workers\" to compatibility_flags");
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::toml;

    #[test]
    fn flagged_python_workers_pass() {
        let text =
            "name = \"a\"\nmain = \"src/entry.py\"\ncompatibility_flags = [\"python_workers\"]\n";
        assert_eq!(toml("CMP005", text), Vec::<String>::new());
    }

    #[test]
    fn python_without_the_flag_is_an_error() {
        assert_eq!(
            toml("CMP005", "name = \"a\"\nmain = \"src/entry.py\"\n"),
            [
                "2:1 error [top] main is a Python module but compatibility_flags has no `python_workers`; wrangler refuses to build it"
            ]
        );
    }
}
