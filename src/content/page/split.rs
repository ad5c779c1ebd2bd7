//! Parse stage helper: a content file cut into its `+++` front matter and its body.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// A file cut into its front matter and body, with their byte offsets in the file.
pub struct FrontMatterSplit<'t> {
    pub front_matter: Option<(&'t str, usize)>,
    pub body: &'t str,
    pub body_offset: usize,
}

const FENCE: &str = "+++";

/// Cuts `+++` front matter from the body.
pub fn split_front_matter<'t>(
    path: &Path,
    text: &'t str,
) -> Result<FrontMatterSplit<'t>, Diagnostic> {
    let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |at| at + 1);
    if rest[..first_line_end].trim_end() != FENCE {
        return Ok(FrontMatterSplit {
            front_matter: None,
            body: rest,
            body_offset: start,
        });
    }
    let front_start = start + first_line_end;
    let mut line_start = front_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |at| line_start + at + 1);
        if text[line_start..line_end].trim_end() == FENCE {
            return Ok(FrontMatterSplit {
                front_matter: Some((&text[front_start..line_start], front_start)),
                body: &text[line_end..],
                body_offset: line_end,
            });
        }
        line_start = line_end;
    }
    Err(Diagnostic::error(
        "front-matter-unclosed",
        path,
        "front matter opened with +++ is never closed",
    )
    .at_span(text, start..start + FENCE.len())
    .with_help("end the front matter with a line holding only +++"))
}
