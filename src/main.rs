//! The `atom-sage` command: parse arguments, start logging, call the library, map the outcome to
//! an exit code (0 clean, 1 findings, 2 the tool could not do its job).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main("atom-sage")
}
