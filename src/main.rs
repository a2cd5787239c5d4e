//! The `atom-sage` command. Everything it does lives in the library's `cli` module, which the
//! npm package's bin calls too.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(atom_sage::cli::main(std::env::args_os()))
}
