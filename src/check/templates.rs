//! Check stage input: what the theme's templates ask of the locale tables. Reads each template
//! for its `t(key="…", name=value)` calls (inside `{{ }}` and `{% %}`, never in comments,
//! strings or raw blocks) and for the literal `id="…"` attributes a page gets from its
//! template. Tera keeps its syntax tree private, so this is a scanner for exactly these two
//! forms, not a template parser.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::content::markdown::Spot;
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::source::{SourceKind, Sources};

/// One call of the lookup function in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateCall {
    pub path: PathBuf,
    pub spot: Spot,
    /// The message id (`id` or `id.attribute`), or `None` when the key is computed.
    pub key: Option<String>,
    /// The variables passed to the message: every argument but `key` and `lang`.
    pub variables: Vec<String>,
    /// The template's text, to quote the line of a finding.
    pub text: Arc<str>,
}

impl TemplateCall {
    /// Points a finding about this call (made with its path) at the call.
    pub fn diagnostic(&self, diagnostic: Diagnostic) -> Diagnostic {
        diagnostic.at_line_column(Some(&self.text), self.spot.line, self.spot.column)
    }
}

/// What the templates of the theme use.
#[derive(Debug, Default)]
pub struct TemplateUses {
    pub calls: Vec<TemplateCall>,
    /// Literal `id="…"` attributes: anchors every page of a template has.
    pub element_ids: BTreeSet<String>,
}

/// Scans every template of the theme.
pub fn scan_templates(sources: &Sources) -> TemplateUses {
    let mut uses = TemplateUses::default();
    for file in sources.of_kind(|kind| matches!(kind, SourceKind::Template { .. })) {
        if let Some(text) = &file.text {
            scan_template(&file.path, text, &mut uses);
        }
    }
    uses
}

/// The name of the lookup function the theme calls.
const LOOKUP_FUNCTION: &str = "t";

pub fn scan_template(path: &Path, text: &Arc<str>, uses: &mut TemplateUses) {
    let lines = LineIndex::new(text);
    let mut at = 0;
    while let Some(found) = text[at..].find('{') {
        let start = at + found;
        let rest = &text[start..];
        if rest.starts_with("{#") {
            at = rest.find("#}").map_or(text.len(), |end| start + end + 2);
        } else if rest.starts_with("{{") || rest.starts_with("{%") {
            let close = if rest.starts_with("{{") { "}}" } else { "%}" };
            let end = tag_end(text, start + 2, close);
            let inside = &text[start + 2..end];
            if close == "%}" && inside.trim_matches(['-', ' ', '\t', '\n', '\r']) == "raw" {
                at = text[end..]
                    .find("endraw")
                    .and_then(|found| text[end + found..].find("%}").map(|e| end + found + e))
                    .map_or(text.len(), |closing| closing + 2);
                continue;
            }
            scan_expression(text, start + 2..end, &lines, path, uses);
            at = (end + 2).min(text.len());
        } else {
            at = start + 1;
        }
    }
    collect_element_ids(text, &mut uses.element_ids);
}

/// Where a tag opened at `from` closes (the offset of `close`), skipping strings.
fn tag_end(text: &str, from: usize, close: &str) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        match bytes[at] {
            b'"' | b'\'' | b'`' => at = string_end(bytes, at),
            _ if text[at..].starts_with(close) => return at,
            _ => at += 1,
        }
    }
    text.len()
}

/// The offset just after the string literal opened at `at`.
fn string_end(bytes: &[u8], at: usize) -> usize {
    let quote = bytes[at];
    bytes[at + 1..]
        .iter()
        .position(|&b| b == quote)
        .map_or(bytes.len(), |end| at + 1 + end + 1)
}

fn scan_expression(
    text: &Arc<str>,
    range: std::ops::Range<usize>,
    lines: &LineIndex,
    path: &Path,
    uses: &mut TemplateUses,
) {
    let bytes = text.as_bytes();
    let mut at = range.start;
    let mut previous = b' ';
    while at < range.end {
        let byte = bytes[at];
        if matches!(byte, b'"' | b'\'' | b'`') {
            at = string_end(bytes, at);
            previous = b'"';
            continue;
        }
        if !(byte.is_ascii_alphabetic() || byte == b'_') {
            if !byte.is_ascii_whitespace() {
                previous = byte;
            }
            at += 1;
            continue;
        }
        let word_end = at
            + bytes[at..range.end]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                .unwrap_or(range.end - at);
        let after = skip_spaces(bytes, word_end, range.end);
        // `x.t(` and `macros::t(` are other functions.
        let is_member = matches!(previous, b'.' | b':');
        if &text[at..word_end] == LOOKUP_FUNCTION && !is_member && bytes.get(after) == Some(&b'(') {
            let position = lines.position_in(text, at);
            let (arguments, end) = call_arguments(text, after + 1, range.end);
            uses.calls.push(call(path, text, position, arguments));
            at = end;
        } else {
            at = word_end;
        }
        previous = b'a';
    }
}

fn call(
    path: &Path,
    text: &Arc<str>,
    position: crate::diagnostic::Position,
    arguments: Vec<(String, Option<String>)>,
) -> TemplateCall {
    let key = arguments
        .iter()
        .find(|(name, _)| name == "key")
        .and_then(|(_, literal)| literal.clone());
    let variables = arguments
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name != "key" && name != "lang")
        .collect();
    TemplateCall {
        path: path.to_path_buf(),
        spot: Spot {
            line: position.line,
            column: position.column,
        },
        key,
        variables,
        text: text.clone(),
    }
}

fn skip_spaces(bytes: &[u8], mut at: usize, end: usize) -> usize {
    while at < end && bytes[at].is_ascii_whitespace() {
        at += 1;
    }
    at
}

/// The `name=value` arguments of a call whose `(` is just before `from`, each with its value
/// when that is a string literal; and the offset after the closing `)`.
fn call_arguments(text: &str, from: usize, end: usize) -> (Vec<(String, Option<String>)>, usize) {
    let bytes = text.as_bytes();
    let mut arguments = Vec::new();
    let mut at = from;
    loop {
        at = skip_spaces(bytes, at, end);
        if at >= end || bytes[at] == b')' {
            return (arguments, (at + 1).min(end));
        }
        let name_end = at
            + bytes[at..end]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                .unwrap_or(end - at);
        let name = text[at..name_end].to_string();
        at = skip_spaces(bytes, name_end, end);
        let keyword = bytes.get(at) == Some(&b'=');
        if keyword {
            at = skip_spaces(bytes, at + 1, end);
        }
        let value_start = at;
        let mut depth = 0usize;
        while at < end {
            match bytes[at] {
                b'"' | b'\'' | b'`' => at = string_end(bytes, at),
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    at += 1;
                }
                b')' | b']' | b'}' if depth > 0 => {
                    depth -= 1;
                    at += 1;
                }
                b',' | b')' if depth == 0 => break,
                _ => at += 1,
            }
        }
        let value = text[value_start..at.min(end)].trim();
        let literal = string_literal(value);
        if keyword && !name.is_empty() {
            arguments.push((name, literal));
        }
        if bytes.get(at) == Some(&b',') {
            at += 1;
        }
    }
}

/// The text of `value` when it is one string literal.
fn string_literal(value: &str) -> Option<String> {
    let quote = value
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let inner = value.strip_prefix(quote)?.strip_suffix(quote)?;
    (!inner.contains(quote)).then(|| inner.to_string())
}

/// Literal `id="…"` attributes outside tags (an id built with `{{ }}` is not literal).
fn collect_element_ids(text: &str, ids: &mut BTreeSet<String>) {
    for (at, _) in text.match_indices("id=") {
        let before = text[..at].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = &text[at + 3..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            let id = &rest[1..1 + end];
            if !id.is_empty() && !id.contains(['{', '}', ' ']) {
                ids.insert(id.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> TemplateUses {
        let mut uses = TemplateUses::default();
        scan_template(Path::new("base.html"), &Arc::from(text), &mut uses);
        uses
    }

    fn keys(uses: &TemplateUses) -> Vec<(Option<&str>, Vec<&str>, usize, usize)> {
        uses.calls
            .iter()
            .map(|call| {
                (
                    call.key.as_deref(),
                    call.variables.iter().map(String::as_str).collect(),
                    call.spot.line,
                    call.spot.column,
                )
            })
            .collect()
    }

    #[test]
    fn calls_are_found_with_their_key_variables_and_position() {
        let uses = scan(
            "<h1>{{ t(key=\"home-title\") }}</h1>\n\
             <p title=\"{{ t(key='count', count=topics | length, lang=page.lang) }}\">\n\
             {% if x %}{{ t( key = \"a.b\" , name = f(x, \"y)\") ) }}{% endif %}\n",
        );
        assert_eq!(
            keys(&uses),
            vec![
                (Some("home-title"), vec![], 1, 8),
                (Some("count"), vec!["count"], 2, 14),
                (Some("a.b"), vec!["name"], 3, 14),
            ]
        );
    }

    #[test]
    fn comments_strings_raw_blocks_and_other_functions_are_not_calls() {
        let uses = scan(
            "{# {{ t(key=\"commented\") }} #}\n\
             {{ \"t(key='in a string')\" }} {{ macros::t(key=\"macro\") }} {{ x.t(key=\"method\") }}\n\
             {% raw %}{{ t(key=\"raw\") }}{% endraw %} {{ at(key=\"other\") }}\n\
             t(key=\"text outside tags\")\n",
        );
        assert!(uses.calls.is_empty(), "{:?}", keys(&uses));
    }

    #[test]
    fn a_computed_key_is_recorded_as_such() {
        let uses = scan("{{ t(key=\"tag-\" ~ tag.id) }}{% set s = t(key=name) %}");
        assert_eq!(
            keys(&uses),
            vec![(None, vec![], 1, 4), (None, vec![], 1, 40)]
        );
    }

    #[test]
    fn literal_element_ids_are_collected() {
        let uses = scan(
            "<main id=\"main\"><h2 id='toc-heading'></h2><h1 id=\"chooser-{{ lang }}\"></h1><a data-id=\"x\"></a></main>",
        );
        let ids: Vec<&str> = uses.element_ids.iter().map(String::as_str).collect();
        assert_eq!(ids, ["main", "toc-heading"]);
    }
}
