use crate::checks::code::code_of;
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::code::Gap;
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::syntax::Node;

/// A Durable Object class the worker hosts but does not export.
pub const RULE: Rule = Rule {
    code: "COD004",
    name: "durable-object-not-exported",
    service: Service::Code,
    severity: Severity::Error,
    fixable: false,
    summary: "A Durable Object binding names a class the entry module does not export",
    docs: r"## What it checks
Each Durable Object binding without `script_name` is hosted by this worker, so the entry module
(`main`) must export its `class_name`, directly or by re-exporting it from a local module.

## Why it matters
The upload is rejected: the runtime cannot find the class to instantiate.

## Example
```ts
class Room extends DurableObject {}          // bad: not exported
export class Room extends DurableObject {}   // good
```

## Known limitations
Re-exports from packages are not followed; when the entry module has one, this check says
nothing.

## See also
https://developers.cloudflare.com/durable-objects/get-started/
",
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(model) = code_of(context, env) else { return };
    let parse_failed = model.gaps.iter().any(|gap| matches!(gap, Gap::ParseError { .. }));
    if parse_failed || !model.exports_complete {
        return;
    }
    let Some(durable_objects) = env.get("durable_objects") else { return };
    for binding in durable_objects.node.get("bindings").map(Node::items).unwrap_or_default() {
        if binding.get("script_name").is_some() {
            continue;
        }
        let Some(class_node) = binding.get("class_name") else { continue };
        let Some(class) = class_node.as_str() else { continue };
        if model.exported_classes.iter().any(|exported| exported.name == class) {
            continue;
        }
        let entry = &model.files[0].display;
        sink.report(Some(env), class_node.span, format!("Durable Object class `{class}` is bound, but {entry} does not export it; the upload is rejected"))
            .help(format!("export it from {entry}: `export {{ {class} }} from \"./...\"`, or `export class {class} extends DurableObject`"));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::findings;

    const CONFIG: &str = "name = \"a\"\nmain = \"src/index.ts\"\ncompatibility_date = \"2025-01-15\"\n[[durable_objects.bindings]]\nname = \"ROOM\"\nclass_name = \"Room\"\n[[migrations]]\ntag = \"v1\"\nnew_sqlite_classes = [\"Room\"]\n";

    #[test]
    fn exported_and_re_exported_classes_pass() {
        let direct = "import { DurableObject } from \"cloudflare:workers\";\nexport class Room extends DurableObject {}\nexport default { fetch() { return new Response(); } };\n";
        assert_eq!(
            findings("COD004", &[("wrangler.toml", CONFIG), ("src/index.ts", direct)]),
            Vec::<String>::new()
        );
        let entry = "export { Room } from \"./room\";\nexport default { fetch() { return new Response(); } };\n";
        let room = "import { DurableObject } from \"cloudflare:workers\";\nexport class Room extends DurableObject {}\n";
        assert_eq!(
            findings(
                "COD004",
                &[("wrangler.toml", CONFIG), ("src/index.ts", entry), ("src/room.ts", room)]
            ),
            Vec::<String>::new()
        );
        let imported = "import { Room } from \"./room\";\nexport { Room };\nexport default { fetch() { return new Response(); } };\n";
        assert_eq!(
            findings(
                "COD004",
                &[("wrangler.toml", CONFIG), ("src/index.ts", imported), ("src/room.ts", room)]
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn classes_not_exported_are_errors() {
        let code = "import { DurableObject } from \"cloudflare:workers\";\nclass Room extends DurableObject {}\nexport default { fetch() { return new Response(); } };\n";
        assert_eq!(
            findings("COD004", &[("wrangler.toml", CONFIG), ("src/index.ts", code)]),
            [
                "6:14 error [top] Durable Object class `Room` is bound, but src/index.ts does not export it; the upload is rejected"
            ]
        );
    }
}
