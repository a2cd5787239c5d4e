use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::code::Gap;
use crate::diagnostic::{Service, Severity};
use crate::syntax::Node;

/// Code the analysis could not read.
pub const RULE: Rule = Rule {
    code: "COD007",
    name: "code-not-analysed",
    service: Service::Code,
    severity: Severity::Info,
    fixable: false,
    summary: "The worker's code could not be read, so the code checks say nothing about it",
    docs: r#"## What it checks
Whether the code checks could run: a Python worker is not analysed, an entry module that does
not exist (yet: a build step may create it) cannot be read, and a module that does not parse
hides what it uses.

## Why it matters
A check that could not run must not look like a check that passed.

## Example
```toml
main = "dist/index.js"   # info until the build has created it
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/workers/wrangler/configuration/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for model in &context.project.code {
        let main_span =
            find_main(context.root, &model.main).map_or_else(Default::default, |n| n.span);
        for gap in &model.gaps {
            match gap {
                Gap::PagesFunctions => {
                    let span = context
                        .root
                        .entry("pages_build_output_dir")
                        .map_or_else(Default::default, |e| e.key_span);
                    sink.report(None, span, "the Pages Functions in functions/ are not analysed; the code checks do not cover them")
                        .help("the binding checks of the code cover workers with a `main` module");
                }
                Gap::Python => {
                    sink.report(
                        None,
                        main_span,
                        format!("{} is a Python worker; its code is not analysed", model.main),
                    )
                    .help("the binding checks of the code do not cover Python workers");
                }
                Gap::EntryNotFound(main) => {
                    sink.report(None, main_span, format!("the entry module {main} does not exist, so the code was not analysed"))
                        .help("build the worker first (its build step may create the file), or fix `main`");
                }
                Gap::ParseError { file, message, span } => {
                    let source = &model.files[*file];
                    sink.report_in(
                        source,
                        None,
                        *span,
                        format!(
                            "{} could not be parsed ({message}); what it uses is not known",
                            source.display
                        ),
                    )
                    .help("fix the syntax error; wrangler's build would fail on it too");
                }
            }
        }
    }
}

fn find_main<'a>(root: &'a Node, main: &str) -> Option<&'a Node> {
    std::iter::once(root)
        .chain(root.get("env").map(Node::entries).unwrap_or_default().iter().map(|e| &e.value))
        .filter_map(|table| table.get("main"))
        .find(|node| node.as_str() == Some(main))
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::findings;

    #[test]
    fn readable_code_passes() {
        let files = [
            ("wrangler.toml", "name = \"a\"\nmain = \"src/index.js\"\n"),
            ("src/index.js", "export default {};\n"),
        ];
        assert_eq!(findings("COD007", &files), Vec::<String>::new());
    }

    #[test]
    fn unreadable_code_is_said_so() {
        assert_eq!(
            findings("COD007", &[("wrangler.toml", "name = \"a\"\nmain = \"src/entry.py\"\n")]),
            ["2:8 info [top] src/entry.py is a Python worker; its code is not analysed"]
        );
        assert_eq!(
            findings("COD007", &[("wrangler.toml", "name = \"a\"\nmain = \"dist/index.js\"\n")]),
            [
                "2:8 info [top] the entry module dist/index.js does not exist, so the code was not analysed"
            ]
        );
        let broken = [
            ("wrangler.toml", "name = \"a\"\nmain = \"src/index.js\"\n"),
            ("src/index.js", "export default {\n"),
        ];
        let found = findings("COD007", &broken);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("src/index.js could not be parsed"), "{found:?}");
        let pages = [
            ("wrangler.toml", "name = \"site\"\npages_build_output_dir = \"dist\"\n"),
            ("functions/index.ts", "export const onRequest = () => new Response();\n"),
        ];
        assert_eq!(
            findings("COD007", &pages),
            [
                "2:1 info [top] the Pages Functions in functions/ are not analysed; the code checks do not cover them"
            ]
        );
    }
}
