//! The `atom` command: an intent in the user's words (`atom CHECK "Check api in staging"`),
//! parsed, run with the same code as `atom-sage`, and recorded in the trail.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main("atom")
}
