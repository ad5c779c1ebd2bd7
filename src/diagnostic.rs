//! Problems found in the user's files: `Diagnostic {path, line, column, severity, message}`,
//! the byte-offset → line:column helper every parser shares, and rustc-style printing.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Not a problem: something `check` lists for the reader (external links).
    Info,
}

/// The line of source a diagnostic points into, kept so that printing needs no file access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    pub text: String,
    /// Columns (1-based, in characters) the annotation covers on that line, end exclusive.
    pub columns: std::ops::Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable identifier of the kind of problem, for `check --format json` and tests.
    pub code: &'static str,
    /// Relative to the project root, with `/` separators.
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
    pub topic: Option<String>,
    pub lang: Option<String>,
    pub source_line: Option<SourceLine>,
}

impl Diagnostic {
    pub fn error(code: &'static str, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, path, message)
    }

    pub fn warning(
        code: &'static str,
        path: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, path, message)
    }

    pub fn info(code: &'static str, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, code, path, message)
    }

    fn new(
        severity: Severity,
        code: &'static str,
        path: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
            topic: None,
            lang: None,
            source_line: None,
        }
    }

    /// Points the diagnostic at a byte range of `text`, the whole content of the file.
    pub fn at_span(mut self, text: &str, span: std::ops::Range<usize>) -> Self {
        let index = LineIndex::new(text);
        let start = index.position_in(text, span.start);
        let end = index.position_in(text, span.end.max(span.start));
        let line_text = index.line_text(text, start.line).to_string();
        let end_column = if end.line == start.line {
            end.column.max(start.column + 1)
        } else {
            line_text.chars().count() + 1
        };
        self.line = Some(start.line);
        self.column = Some(start.column);
        self.source_line = Some(SourceLine {
            text: line_text,
            columns: start.column..end_column,
        });
        self
    }

    /// Points at a line (1-based) and column (1-based) when no byte span is known.
    pub fn at_line_column(mut self, text: Option<&str>, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        if let Some(text) = text {
            let line_text = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
            self.source_line = Some(SourceLine {
                text: line_text.to_string(),
                columns: column..column + 1,
            });
        }
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn for_page(mut self, topic: impl Into<String>, lang: impl Into<String>) -> Self {
        self.topic = Some(topic.into());
        self.lang = Some(lang.into());
        self
    }

    pub fn for_language(mut self, lang: impl Into<String>) -> Self {
        self.lang = Some(lang.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, or as much of it as is known.
    pub fn location(&self) -> String {
        let path = display_path(&self.path);
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{path}:{line}:{column}"),
            (Some(line), None) => format!("{path}:{line}"),
            _ => path,
        }
    }

    /// Renders like rustc: `error: message`, then `--> path:line:col` and the source line.
    pub fn render(&self, styled: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        let location = self.location();
        let title = level.primary_title(&self.message);
        let group = match &self.source_line {
            Some(source) => {
                let start = byte_of_column(&source.text, source.columns.start);
                let end = byte_of_column(&source.text, source.columns.end).max(start);
                let path = display_path(&self.path);
                let snippet = Snippet::source(source.text.as_str())
                    .line_start(self.line.unwrap_or(1))
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(start..end));
                title.element(snippet)
            }
            None => title.element(annotate_snippets::Origin::path(location)),
        };
        let help_title;
        let mut report = vec![group];
        if let Some(help) = &self.help {
            help_title = Level::HELP.secondary_title(help.as_str());
            report.push(annotate_snippets::Group::with_title(help_title));
        }
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Forward slashes on every system, so that messages and JSON read the same everywhere.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn byte_of_column(text: &str, column: usize) -> usize {
    text.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(byte, _)| byte)
}

/// A 1-based line and column (in characters, as rustc counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Byte offset → line:column over one text, in O(log n) per lookup: lines and character
/// counts are found by binary search in tables made once, so that a page with thousands of
/// links on one line does not count its characters again for each.
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// (byte offset, characters before it), about every `CHECKPOINT_BYTES` bytes, each at a
    /// character boundary; the first is (0, 0). Made the first time a column is asked for on
    /// a line longer than `LONG_LINE_BYTES`: most lookups count the characters of a short
    /// line, and most pages never need the table (counting a whole page's characters was
    /// some 1 % of a build).
    checkpoints: std::sync::OnceLock<Vec<(usize, usize)>>,
}

/// How far apart character-count checkpoints are: the most a lookup counts by hand.
const CHECKPOINT_BYTES: usize = 64;

/// Up to this many bytes from its line's start, a column is counted without the table: a
/// paragraph written on one line is seldom longer.
const LONG_LINE_BYTES: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1));
        LineIndex {
            line_starts,
            checkpoints: std::sync::OnceLock::new(),
        }
    }

    fn checkpoints(&self, text: &str) -> &[(usize, usize)] {
        self.checkpoints.get_or_init(|| {
            let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT_BYTES + 1);
            checkpoints.push((0, 0));
            let (mut byte, mut chars) = (0, 0);
            while byte + CHECKPOINT_BYTES < text.len() {
                let mut next = byte + CHECKPOINT_BYTES;
                while !text.is_char_boundary(next) {
                    next += 1;
                }
                chars += text[byte..next].chars().count();
                byte = next;
                checkpoints.push((byte, chars));
            }
            checkpoints
        })
    }

    pub fn position_in(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        let column = match self.chars_between(text, start, offset) {
            Some(chars) => chars,
            // Not at a character boundary: count bytes, as before.
            _ => offset - start,
        } + 1;
        Position { line, column }
    }

    /// How many characters lie between byte `start` (a line's start) and byte `offset`;
    /// `None` when `offset` is inside a character.
    fn chars_between(&self, text: &str, start: usize, offset: usize) -> Option<usize> {
        if offset - start <= LONG_LINE_BYTES {
            return text.get(start..offset).map(|part| part.chars().count());
        }
        Some(self.chars_before(text, offset)? - self.chars_before(text, start)?)
    }

    /// The checkpoint a lookup of `offset` counts from: never more than a checkpoint's
    /// distance (and a character) before it.
    fn checkpoint_for(&self, text: &str, offset: usize) -> (usize, usize) {
        let checkpoints = self.checkpoints(text);
        let at = checkpoints.partition_point(|&(byte, _)| byte <= offset);
        checkpoints[at.saturating_sub(1)]
    }

    /// How many characters come before byte `offset`; `None` inside a character.
    fn chars_before(&self, text: &str, offset: usize) -> Option<usize> {
        let (byte, chars) = self.checkpoint_for(text, offset);
        text.get(byte..offset)
            .map(|rest| chars + rest.chars().count())
    }

    fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map_or(text.len(), |next| next - 1);
        text.get(start..end.max(start))
            .unwrap_or("")
            .trim_end_matches('\r')
    }
}

/// Sorted, de-duplicated diagnostics of one run.
pub fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
    });
    diagnostics.dedup();
}

/// Nearest candidate by edit distance, for "did you mean" help.
pub fn nearest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 2).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_from_one() {
        let text = "+++\ntitre = \"é\"\nx = 1\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position_in(text, 0), Position { line: 1, column: 1 });
        let x = text.find("x =").unwrap();
        assert_eq!(index.position_in(text, x), Position { line: 3, column: 1 });
        let quote = text.rfind('"').unwrap();
        assert_eq!(
            index.position_in(text, quote),
            Position {
                line: 2,
                column: 11
            }
        );
    }

    #[test]
    fn columns_on_short_and_long_lines_agree_with_counting_the_line() {
        let long: String = (0..1500).map(|i| format!("é{i} ")).collect();
        assert!(long.len() > LONG_LINE_BYTES);
        let text = format!("+++\ntitre = \"Corée\"\n+++\n{long}\nfin « é » {long}\n");
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices().step_by(7) {
            let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
            let expected = Position {
                line: text[..offset].matches('\n').count() + 1,
                column: text[line_start..offset].chars().count() + 1,
            };
            assert_eq!(index.position_in(&text, offset), expected, "{offset}");
        }
    }

    #[test]
    fn lookups_on_one_long_line_count_a_bounded_stretch_and_agree_with_counting_all() {
        // 20,000 links on one line, with accents: the case that was quadratic.
        let text: String = (0..20_000)
            .map(|i| format!("[lien é{i}](@/relations) "))
            .collect();
        let index = LineIndex::new(&text);
        let mut offsets: Vec<usize> = text.match_indices('[').map(|(at, _)| at).collect();
        offsets.push(text.len());
        for &offset in &offsets {
            let (checkpoint, _) = index.checkpoint_for(&text, offset);
            // The work of one lookup: a binary search, then at most this many bytes counted.
            assert!(offset - checkpoint < CHECKPOINT_BYTES + 4, "{offset}");
        }
        for &offset in offsets.iter().step_by(997) {
            let expected = text[..offset].chars().count() + 1;
            assert_eq!(
                index.position_in(&text, offset),
                Position {
                    line: 1,
                    column: expected
                }
            );
        }
        // The tables grow with the text, not with the lookups.
        assert!(index.checkpoints(&text).len() <= text.len() / CHECKPOINT_BYTES + 1);
    }

    #[test]
    fn rendering_reads_like_rustc() {
        let text = "+++\ntitel = \"x\"\n+++\n";
        let start = text.find("titel").unwrap();
        let diagnostic = Diagnostic::error(
            "front-matter-unknown-key",
            "content/x/index.fr.md",
            "unknown front-matter key \"titel\"",
        )
        .at_span(text, start..start + 5)
        .with_help("did you mean \"title\"?");
        let rendered = diagnostic.render(false);
        assert!(rendered.starts_with("error: unknown front-matter key \"titel\""));
        assert!(
            rendered.contains("--> content/x/index.fr.md:2:1"),
            "{rendered}"
        );
        assert!(rendered.contains("titel = \"x\""));
        assert_eq!(diagnostic.location(), "content/x/index.fr.md:2:1");
    }

    #[test]
    fn nearest_key_is_suggested() {
        assert_eq!(nearest("titel", &["title", "date"]), Some("title"));
        assert_eq!(nearest("zzzzzzzz", &["title", "date"]), None);
    }
}
