use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};

/// An `account_id` that is not an account id.
pub const RULE: Rule = Rule {
    code: "CFG006",
    name: "invalid-account-id",
    service: Service::Config,
    severity: Severity::Error,
    fixable: false,
    summary: "account_id is not 32 hexadecimal digits",
    docs: r#"## What it checks
That `account_id`, where set, is 32 hexadecimal digits, as every Cloudflare account id is.

## Why it matters
A placeholder or truncated id sends every API call to an account that does not exist; the
deploy fails with an authentication or "could not route" error far from the cause.

## Example
```toml
account_id = "<YOUR_ACCOUNT_ID>"                # bad
account_id = "0123456789abcdef0123456789abcdef"  # good
```

## Known limitations
Whether the account exists and the token can reach it is only known with `--remote`.

## See also
https://developers.cloudflare.com/fundamentals/setup/find-account-and-zone-ids/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(field) = env.own("account_id") else { return };
    let Some(id) = field.node.as_str() else { return };
    // wrangler treats an empty string as unset and falls back to CLOUDFLARE_ACCOUNT_ID.
    if !id.is_empty() && !crate::resource_ids::is_hex_id(id) {
        sink.report(Some(env), field.node.span, format!("account_id `{id}` is not 32 hexadecimal digits"))
            .help("copy the account id from the Cloudflare dashboard, or remove it and set CLOUDFLARE_ACCOUNT_ID");
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn real_ids_pass() {
        let text = format!("{BASE}account_id = \"0123456789abcdef0123456789ABCDEF\"\n");
        assert_eq!(toml("CFG006", &text), Vec::<String>::new());
        assert_eq!(toml("CFG006", &format!("{BASE}account_id = \"\"\n")), Vec::<String>::new());
    }

    #[test]
    fn placeholders_are_errors() {
        let text = format!(
            "{BASE}account_id = \"<YOUR_ACCOUNT_ID>\"\n[env.staging]\naccount_id = \"abc\"\n"
        );
        assert_eq!(
            toml("CFG006", &text),
            [
                "4:14 error [top] account_id `<YOUR_ACCOUNT_ID>` is not 32 hexadecimal digits",
                "6:14 error [staging] account_id `abc` is not 32 hexadecimal digits",
            ]
        );
    }
}
