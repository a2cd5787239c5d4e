//! Checks of the atom-sage settings file itself.

pub mod invalid_settings;
pub mod suppression_without_reason;

use crate::checks::Sink;
use crate::project::Project;
use crate::settings::ProblemKind;

/// Reports the settings file's problems of one kind.
fn report(project: &Project, kind: ProblemKind, sink: &mut Sink<'_>) {
    let Some(file) = &project.settings.file else {
        // A file that could not even be read has no text to point into.
        for problem in project.settings.problems.iter().filter(|p| p.kind == kind) {
            let config = &project.config;
            sink.report_in(config, None, problem.span, problem.message.clone());
        }
        return;
    };
    for problem in project.settings.problems.iter().filter(|p| p.kind == kind) {
        let diagnostic = sink.report_in(file, None, problem.span, problem.message.clone());
        if let Some(help) = &problem.help {
            diagnostic.help(help.clone());
        }
        if problem.sensitive {
            diagnostic.sensitive();
        }
    }
}
