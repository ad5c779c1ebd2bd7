//! Render stage: Tera's errors as problems in the theme's real files. Tera names templates by
//! their name in the theme (`base.html`), reports some errors as text it has already laid out
//! (`error: …\n --> base.html:39:4`), and others (include or extend cycles) without a position;
//! this turns each into `themes/<theme>/templates/<file>:line:col` with one plain message.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A template problem, where in the template, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub template_path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// The text of the template, to quote the line.
    pub template_text: Option<String>,
}

impl RenderError {
    pub fn into_diagnostic(self, code: &'static str) -> crate::diagnostic::Diagnostic {
        let diagnostic =
            crate::diagnostic::Diagnostic::error(code, &self.template_path, self.message);
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                diagnostic.at_line_column(self.template_text.as_deref(), line, column)
            }
            _ => diagnostic,
        }
    }
}

/// The theme's templates, as Tera knows them, and where they are in the project.
pub struct TemplateFiles<'t> {
    /// `themes/<theme>/templates`.
    pub folder: &'t Path,
    /// Template name → its path in the project.
    pub paths: &'t BTreeMap<String, PathBuf>,
    /// Template name → its text.
    pub texts: &'t BTreeMap<String, String>,
}

impl TemplateFiles<'_> {
    fn path_of(&self, name: &str) -> PathBuf {
        self.paths
            .get(name)
            .cloned()
            .unwrap_or_else(|| self.folder.join(name))
    }

    /// An error at a byte offset of template `name` (or at no position when unknown).
    fn at_offset(&self, name: &str, offset: Option<usize>, message: String) -> RenderError {
        let text = self.texts.get(name);
        let position = offset.zip(text).map(|(offset, text)| {
            crate::diagnostic::LineIndex::new(text).position_in(text, offset)
        });
        RenderError {
            template_path: self.path_of(name),
            line: position.map(|p| p.line),
            column: position.map(|p| p.column),
            message,
            template_text: text.cloned(),
        }
    }

    /// An error about no template in particular: it names the templates folder.
    fn about_the_theme(&self, message: &str) -> RenderError {
        RenderError {
            template_path: self.folder.to_path_buf(),
            line: None,
            column: None,
            message: strip_error_prefix(message).to_string(),
            template_text: None,
        }
    }

    /// Where template `name` names `target` after one of `keywords` (`{% include "x" %}`).
    fn reference_offset(&self, name: &str, keywords: &[&str], target: &str) -> Option<usize> {
        let text = self.texts.get(name)?;
        keywords.iter().find_map(|keyword| {
            text.match_indices(keyword).find_map(|(at, _)| {
                let rest = text[at + keyword.len()..].trim_start();
                let quoted = rest.strip_prefix(['"', '\''])?;
                quoted.starts_with(target).then_some(at)
            })
        })
    }
}

/// Every problem one Tera error reports (Tera joins several in one error when loading).
pub fn convert_error(error: &tera::Error, files: &TemplateFiles<'_>) -> Vec<RenderError> {
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            vec![reported(error, report, files)]
        }
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            vec![cycle(files, tpl, include_chain, "include")]
        }
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => vec![cycle(files, tpl, inheritance_chain, "extend")],
        tera::ErrorKind::MissingParent { current, parent } => {
            let offset = files.reference_offset(current, &["extends"], parent);
            vec![files.at_offset(
                current,
                offset,
                format!(
                    "template \"{current}\" extends \"{parent}\", which does not exist ({})",
                    crate::diagnostic::display_path(&files.folder.join(parent))
                ),
            )]
        }
        tera::ErrorKind::TemplateNotFound(name) => vec![RenderError {
            template_path: files.folder.join(name),
            line: None,
            column: None,
            message: format!("there is no template \"{name}\""),
            template_text: None,
        }],
        tera::ErrorKind::Msg(text) => {
            let reports = laid_out_reports(text, files);
            if reports.is_empty() {
                vec![files.about_the_theme(text)]
            } else {
                reports
            }
        }
        _ => vec![files.about_the_theme(&error.to_string())],
    }
}

/// An error Tera reports with its template and span, with the errors that caused it.
fn reported(
    error: &tera::Error,
    report: &tera::ReportError,
    files: &TemplateFiles<'_>,
) -> RenderError {
    use std::error::Error as _;
    let mut message = report.message().to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message = format!("{message}: {}", strip_error_prefix(&cause.to_string()));
        source = cause.source();
    }
    let name = report.filename();
    RenderError {
        template_path: files.path_of(name),
        line: Some(report.span().start_line),
        column: Some(report.span().start_col + 1),
        message,
        template_text: files.texts.get(name).cloned(),
    }
}

/// A template reaching itself again through `include` or `extend`s: positioned at the
/// reference that closes the cycle.
fn cycle(files: &TemplateFiles<'_>, tpl: &str, chain: &[String], verb: &str) -> RenderError {
    let (from, to) = match chain {
        [.., from, to] => (from.as_str(), to.as_str()),
        _ => (tpl, tpl),
    };
    let message = if from == to {
        format!("template \"{from}\" {verb}s itself")
    } else {
        let start = chain.iter().position(|name| name == to).unwrap_or(0);
        format!(
            "templates {verb} each other in a cycle: {}",
            chain[start..].join(" → ")
        )
    };
    let keyword = if verb == "include" {
        "include"
    } else {
        "extends"
    };
    let offset = files.reference_offset(from, &[keyword], to);
    files.at_offset(from, offset, message)
}

/// The reports Tera lays out itself (`error: message` then `--> name:line:col`), each as a
/// problem of its own.
fn laid_out_reports(text: &str, files: &TemplateFiles<'_>) -> Vec<RenderError> {
    let mut found = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let Some(location) = lines
            .peek()
            .and_then(|next| next.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = location.rsplitn(3, ':');
        let (Some(column), Some(line), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(line), Ok(column)) = (line.parse(), column.parse()) else {
            continue;
        };
        found.push(RenderError {
            template_path: files.path_of(name),
            line: Some(line),
            column: Some(column),
            message: message.to_string(),
            template_text: files.texts.get(name).cloned(),
        });
    }
    found
}

/// Tera's own messages sometimes start with `error: `; the diagnostic says it once.
fn strip_error_prefix(text: &str) -> &str {
    text.trim_start().strip_prefix("error: ").unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(templates: &[(&str, &str)]) -> Vec<RenderError> {
        let folder = Path::new("themes/t/templates");
        let texts: BTreeMap<String, String> = templates
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        let paths = texts
            .keys()
            .map(|name| (name.clone(), folder.join(name)))
            .collect();
        let mut tera = tera::Tera::new();
        let error = tera
            .add_raw_templates(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .expect_err("the templates do not load");
        convert_error(
            &error,
            &TemplateFiles {
                folder,
                paths: &paths,
                texts: &texts,
            },
        )
    }

    fn located(error: &RenderError) -> String {
        format!(
            "{}:{}:{} {}",
            error.template_path.display(),
            error.line.unwrap_or(0),
            error.column.unwrap_or(0),
            error.message
        )
    }

    #[test]
    fn unknown_functions_are_each_a_problem_in_their_file() {
        let errors = load(&[
            ("a.html", "<p>\n  {{ nope() }}</p>"),
            ("b.html", "{{ other() }}"),
        ]);
        let shown: Vec<String> = errors.iter().map(located).collect();
        assert_eq!(
            shown,
            [
                "themes/t/templates/a.html:2:6 Unknown function `nope`",
                "themes/t/templates/b.html:1:4 Unknown function `other`",
            ]
        );
    }

    #[test]
    fn a_template_including_itself_is_positioned_at_the_include() {
        let errors = load(&[
            ("page.html", "{% include \"card.html\" %}"),
            ("card.html", "<p>card</p>\n  {% include \"card.html\" %}"),
        ]);
        assert_eq!(
            errors.iter().map(located).collect::<Vec<_>>(),
            ["themes/t/templates/card.html:2:6 template \"card.html\" includes itself"]
        );
    }

    #[test]
    fn a_template_extending_itself_or_a_missing_parent_is_positioned_at_its_extends() {
        let errors = load(&[("page.html", "{% extends \"page.html\" %}")]);
        assert_eq!(
            errors.iter().map(located).collect::<Vec<_>>(),
            ["themes/t/templates/page.html:1:4 template \"page.html\" extends itself"]
        );
        let errors = load(&[("page.html", "\n{% extends \"gone.html\" %}")]);
        assert_eq!(
            errors.iter().map(located).collect::<Vec<_>>(),
            [
                "themes/t/templates/page.html:2:4 template \"page.html\" extends \"gone.html\", which does not exist (themes/t/templates/gone.html)"
            ]
        );
    }

    #[test]
    fn two_templates_including_each_other_are_named_in_their_cycle() {
        let errors = load(&[
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "x {% include \"a.html\" %}"),
        ]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("a.html → b.html"), "{errors:?}");
        assert!(errors[0].line.is_some(), "{errors:?}");
    }
}
