use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::project::PathKind;

/// A container image that is neither a Dockerfile nor a tagged registry image.
pub const RULE: Rule = Rule {
    code: "CNT001",
    name: "invalid-container-image",
    service: Service::Containers,
    severity: Severity::Error,
    fixable: false,
    summary: "A container image is neither an existing Dockerfile nor a registry image with a tag",
    docs: r#"## What it checks
Each `containers[].image`: either a path, relative to the config, to a Dockerfile that exists,
or a registry reference with a tag or digest (`docker.io/library/node:22`).

## Why it matters
wrangler refuses the config: a moved Dockerfile, or an image without a tag, stops every deploy.

## Example
```toml
[[containers]]
class_name = "Sandbox"
image = "docker.io/library/node"      # bad: no tag
image = "docker.io/library/node:22"   # good
image = "./Dockerfile"                # good, when the file exists
```

## Known limitations
Whether the registry has the image is not checked.

## See also
https://developers.cloudflare.com/containers/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    for container in env.items("containers") {
        let Some(node) = container.get("image") else { continue };
        let Some(image) = node.as_str() else { continue };
        match context.project.path_kind(image) {
            Some(PathKind::File) => {}
            Some(PathKind::Directory) => {
                sink.report(
                    Some(env),
                    node.span,
                    format!(
                        "container image `{image}` is a directory; name the Dockerfile inside it"
                    ),
                )
                .help(format!("write `{}/Dockerfile`", image.trim_end_matches('/')));
            }
            _ if has_tag(image) => {}
            _ => {
                let looks_like_path = image.starts_with('.')
                    || image.ends_with("Dockerfile")
                    || image.contains("Dockerfile");
                let message = if looks_like_path {
                    format!(
                        "container image `{image}` names a Dockerfile that does not exist next to the config"
                    )
                } else {
                    format!(
                        "container image `{image}` has no tag; a registry image needs one (e.g. `:1.0`)"
                    )
                };
                sink.report(Some(env), node.span, message)
                    .help("point at an existing Dockerfile (relative to the config), or add a tag to the image");
            }
        }
    }
}

/// Whether a registry reference has a tag or a digest in its last path segment.
fn has_tag(image: &str) -> bool {
    let last = image.rsplit('/').next().unwrap_or(image);
    image.contains('@') || last.contains(':')
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, findings, toml};

    #[test]
    fn tagged_images_and_dockerfiles_pass() {
        let text = format!(
            "{BASE}[[containers]]\nclass_name = \"S\"\nimage = \"docker.io/library/node:22\"\n[[containers]]\nclass_name = \"T\"\nimage = \"./Dockerfile\"\n"
        );
        assert_eq!(
            findings("CNT001", &[("wrangler.toml", &text), ("Dockerfile", "FROM node:22\n")]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn missing_dockerfiles_and_untagged_images_are_errors() {
        let text = format!(
            "{BASE}[[containers]]\nclass_name = \"S\"\nimage = \"docker.io/library/node\"\n[[containers]]\nclass_name = \"T\"\nimage = \"./app/Dockerfile\"\n"
        );
        assert_eq!(
            toml("CNT001", &text),
            [
                "6:9 error [top] container image `docker.io/library/node` has no tag; a registry image needs one (e.g. `:1.0`)",
                "9:9 error [top] container image `./app/Dockerfile` names a Dockerfile that does not exist next to the config",
            ]
        );
    }
}
