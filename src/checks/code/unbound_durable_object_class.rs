use crate::checks::code::code_of;
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::diagnostic::{Service, Severity};
use crate::syntax::Node;

/// An exported Durable Object class that nothing binds.
pub const RULE: Rule = Rule {
    code: "COD005",
    name: "unbound-durable-object-class",
    service: Service::Code,
    severity: Severity::Info,
    fixable: false,
    summary: "The entry module exports a Durable Object class that no environment binds",
    docs: r#"## What it checks
Classes the entry module exports that extend `DurableObject` (or an agent class built on it)
and that no Durable Object binding of any environment names.

## Why it matters
Nothing can reach such an object; often a binding was forgotten or renamed. It may also be
bound by another worker through `script_name`, which is why this is only info.

## Example
```ts
export class Leaderboard extends DurableObject {}   // info: no binding has class_name = "Leaderboard"
```

## Known limitations
Bindings in other workers' configs are not known.

## See also
https://developers.cloudflare.com/durable-objects/get-started/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

/// Base classes of Durable Objects.
const DURABLE_OBJECT_BASES: &[&str] = &["DurableObject", "Agent", "AIChatAgent", "McpAgent"];

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    let bound: Vec<&str> = std::iter::once(context.root)
        .chain(
            context.root.get("env").map(Node::entries).unwrap_or_default().iter().map(|e| &e.value),
        )
        .filter_map(|table| table.get("durable_objects"))
        .flat_map(|d| d.get("bindings").map(Node::items).unwrap_or_default())
        .filter_map(|binding| binding.get("class_name").and_then(Node::as_str))
        .collect();
    let mut seen = Vec::new();
    for env in context.environments {
        let Some(model) = code_of(context, env) else { continue };
        for class in &model.exported_classes {
            let is_durable_object =
                class.extends.as_deref().is_some_and(|base| DURABLE_OBJECT_BASES.contains(&base));
            if !is_durable_object
                || bound.contains(&class.name.as_str())
                || seen.contains(&class.name)
            {
                continue;
            }
            seen.push(class.name.clone());
            let file = &model.files[class.at.file];
            sink.report_in(file, None, class.at.span, format!("Durable Object class `{}` is exported, but no environment binds it", class.name))
                .help(format!("bind it with [[durable_objects.bindings]] class_name = \"{}\", or stop exporting it", class.name));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::findings;

    const CODE: &str = "import { DurableObject } from \"cloudflare:workers\";\nexport class Room extends DurableObject {}\nexport class Board extends DurableObject {}\nexport default { fetch() { return new Response(); } };\n";

    #[test]
    fn bound_classes_pass() {
        let config = "name = \"a\"\nmain = \"src/index.ts\"\n[[durable_objects.bindings]]\nname = \"ROOM\"\nclass_name = \"Room\"\n[env.x.durable_objects]\nbindings = [{ name = \"B\", class_name = \"Board\" }]\n";
        assert_eq!(
            findings("COD005", &[("wrangler.toml", config), ("src/index.ts", CODE)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn unbound_classes_are_info() {
        let config = "name = \"a\"\nmain = \"src/index.ts\"\n[[durable_objects.bindings]]\nname = \"ROOM\"\nclass_name = \"Room\"\n";
        assert_eq!(
            findings("COD005", &[("wrangler.toml", config), ("src/index.ts", CODE)]),
            [
                "3:14 info [top] Durable Object class `Board` is exported, but no environment binds it"
            ]
        );
    }
}
