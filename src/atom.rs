//! The `atom` command: an intent in the user's words (`atom CHECK "Check api in staging"`),
//! parsed, run with the same code as `atom-sage`, and recorded in the trail. It lives in the
//! library's `cli` module, which the npm package's `atom` bin calls too.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(atom_sage::cli::atom_main(std::env::args_os()))
}
