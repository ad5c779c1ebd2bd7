//! The Fluent tables as units: one per message (or term) value and attribute, `resname` its
//! id. Placeables, term references and selectors are `<ph>`, so they cannot be broken; a
//! plural selector becomes one unit per CLDR category of the target language.

mod import;

pub use import::plan;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use fluent_syntax::ast::{
    Entry, Expression, Identifier, InlineExpression, Message, Pattern, PatternElement, Resource,
    Variant, VariantKey,
};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::translation::source_digest;
use crate::xliff::document::{FileSection, Unit};
use crate::xliff::inline::{Inline, Piece};
use crate::xliff::read_text;

type Placeables<'s> = BTreeMap<String, PatternElement<&'s str>>;

/// One entry (message or term) of a table: its id and the lines it spans.
struct EntrySpan {
    id: String,
    range: Range<usize>,
}

/// The entries of a table, found by their lines: an entry starts at a line `id =` at the
/// margin and runs over the indented lines after it (and a closing `}` at the margin).
fn entry_spans(text: &str) -> Vec<EntrySpan> {
    let mut spans: Vec<EntrySpan> = Vec::new();
    let mut open: Option<(String, usize, usize)> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let end = at + line.len();
        let continues = line.starts_with([' ', '\t', '}']) || line.trim().is_empty();
        if !continues {
            if let Some((id, start, last)) = open.take() {
                spans.push(EntrySpan {
                    id,
                    range: start..last,
                });
            }
            if let Some(id) = entry_id(line) {
                open = Some((id, at, end));
            }
        } else if let Some((_, _, last)) = open.as_mut()
            && !line.trim().is_empty()
        {
            *last = end;
        }
        at = end;
    }
    if let Some((id, start, last)) = open {
        spans.push(EntrySpan {
            id,
            range: start..last,
        });
    }
    spans
}

fn entry_id(line: &str) -> Option<String> {
    let (id, _) = line.split_once('=')?;
    let id = id.trim_end();
    let name = id.strip_prefix('-').unwrap_or(id);
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then(|| id.to_string())
}

/// An entry's translatable parts: (unit name, pattern).
fn parts<'e, 's>(entry: &'e Entry<&'s str>) -> Vec<(String, &'e Pattern<&'s str>)> {
    let (id, value, attributes) = match entry {
        Entry::Message(m) => (m.id.name, m.value.as_ref(), &m.attributes),
        Entry::Term(t) => (t.id.name, Some(&t.value), &t.attributes),
        _ => return Vec::new(),
    };
    let prefix = if matches!(entry, Entry::Term(_)) {
        "-"
    } else {
        ""
    };
    let mut parts = Vec::new();
    if let Some(value) = value {
        parts.push((format!("{prefix}{id}"), value));
    }
    for attribute in attributes {
        parts.push((
            format!("{prefix}{id}.{}", attribute.id.name),
            &attribute.value,
        ));
    }
    parts
}

fn parse_entry(chunk: &str) -> Option<Entry<&str>> {
    let resource = fluent_syntax::parser::parse(chunk).ok()?;
    resource
        .body
        .into_iter()
        .find(|entry| matches!(entry, Entry::Message(_) | Entry::Term(_)))
}

/// The variants of a pattern that is one plural selector: every key a CLDR category or a
/// number.
fn plural_select<'p, 's>(
    pattern: &'p Pattern<&'s str>,
) -> Option<(&'p InlineExpression<&'s str>, &'p [Variant<&'s str>])> {
    let [
        PatternElement::Placeable {
            expression: Expression::Select { selector, variants },
        },
    ] = pattern.elements.as_slice()
    else {
        return None;
    };
    let plural = variants.iter().all(|variant| match &variant.key {
        VariantKey::Identifier { name } => {
            matches!(*name, "zero" | "one" | "two" | "few" | "many" | "other")
        }
        VariantKey::NumberLiteral { .. } => true,
    });
    plural.then_some((selector, variants.as_slice()))
}

fn key_name<'s>(key: &VariantKey<&'s str>) -> &'s str {
    match key {
        VariantKey::Identifier { name } => name,
        VariantKey::NumberLiteral { value } => value,
    }
}

/// The plural categories of a language, in CLDR order.
fn categories(lang: &str) -> Vec<&'static str> {
    let found: Vec<&str> = crate::search::plural_samples(lang)
        .into_iter()
        .map(|(category, _)| category)
        .collect();
    ["zero", "one", "two", "few", "many", "other"]
        .into_iter()
        .filter(|category| *category == "other" || found.contains(category))
        .collect()
}

/// The Fluent text of one placeable, as a translator sees it in `<ph>`.
fn placeable_text(element: &PatternElement<&str>) -> String {
    let entry = Entry::Message(Message {
        id: Identifier { name: "x" },
        value: Some(Pattern {
            elements: vec![element.clone()],
        }),
        attributes: Vec::new(),
        comment: None,
    });
    let text = fluent_syntax::serializer::serialize(&Resource { body: vec![entry] });
    text.trim_start_matches("x =").trim().to_string()
}

/// A pattern as inline content. Placeables get ids: numbered for the source; for a
/// translation, the source's id of the same placeable, or `t1`, `t2`… for others.
fn pattern_inline<'s>(
    pattern: &Pattern<&'s str>,
    source: Option<&Inline>,
) -> (Inline, Placeables<'s>) {
    let mut inline = Inline::default();
    let mut placeables = Placeables::new();
    let mut used: Vec<String> = Vec::new();
    let mut fresh = 0;
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => inline.push_text(value),
            PatternElement::Placeable { expression } => {
                let native = placeable_text(element);
                let matching = source.and_then(|source| {
                    source.0.iter().find_map(|piece| match piece {
                        Piece::Code { id, native: n, .. } if *n == native && !used.contains(id) => {
                            Some(id.clone())
                        }
                        _ => None,
                    })
                });
                let id = match (source, matching) {
                    (_, Some(id)) => id,
                    (None, None) => (placeables.len() + 1).to_string(),
                    (Some(_), None) => {
                        fresh += 1;
                        format!("t{fresh}")
                    }
                };
                used.push(id.clone());
                let ctype = match expression {
                    Expression::Select { .. } => "x-fluent-select",
                    Expression::Inline(InlineExpression::TermReference { .. }) => "x-fluent-term",
                    Expression::Inline(_) => "x-fluent-placeable",
                };
                inline.push(Piece::Code {
                    id: id.clone(),
                    ctype: ctype.into(),
                    native,
                });
                placeables.insert(id, element.clone());
            }
        }
    }
    (inline, placeables)
}

/// One unit of a part: its id, the plural key it stands for, its content and placeables.
struct PartUnit<'s> {
    id: String,
    key: Option<String>,
    inline: Inline,
    placeables: Placeables<'s>,
}

/// The units of one part of the source, for a target language's plural categories.
fn source_units<'s>(name: &str, pattern: &Pattern<&'s str>, lang: &str) -> Vec<PartUnit<'s>> {
    let Some((_, variants)) = plural_select(pattern) else {
        let (inline, placeables) = pattern_inline(pattern, None);
        return vec![PartUnit {
            id: name.to_string(),
            key: None,
            inline,
            placeables,
        }];
    };
    let default = variants.iter().find(|v| v.default).unwrap_or(&variants[0]);
    let mut keys: Vec<String> = variants
        .iter()
        .filter(|v| matches!(v.key, VariantKey::NumberLiteral { .. }))
        .map(|v| key_name(&v.key).to_string())
        .collect();
    keys.extend(categories(lang).into_iter().map(str::to_string));
    keys.into_iter()
        .map(|key| {
            let variant = variants
                .iter()
                .find(|v| key_name(&v.key) == key)
                .unwrap_or(default);
            let (inline, placeables) = pattern_inline(&variant.value, None);
            PartUnit {
                id: format!("{name}[{key}]"),
                key: Some(key),
                inline,
                placeables,
            }
        })
        .collect()
}

/// The translation's content for a source unit, and its placeables.
fn translation_unit<'s>(
    unit: &PartUnit<'_>,
    pattern: &Pattern<&'s str>,
) -> (Inline, Placeables<'s>) {
    let chosen = match (&unit.key, plural_select(pattern)) {
        (Some(key), Some((_, variants))) => variants
            .iter()
            .find(|v| key_name(&v.key) == key)
            .or_else(|| variants.iter().find(|v| v.default))
            .map_or(pattern, |variant| &variant.value),
        _ => pattern,
    };
    pattern_inline(chosen, Some(&unit.inline))
}

/// A table of the source and its translation, cut into entries.
struct Table<'t> {
    source: Vec<(EntrySpan, Entry<&'t str>)>,
    translation: Vec<(EntrySpan, Entry<&'t str>)>,
}

impl<'t> Table<'t> {
    fn new(source_text: &'t str, translation_text: &'t str) -> Table<'t> {
        let read = |text: &'t str| {
            entry_spans(text)
                .into_iter()
                .filter_map(|span| {
                    parse_entry(&text[span.range.clone()]).map(|entry| (span, entry))
                })
                .collect()
        };
        Table {
            source: read(source_text),
            translation: read(translation_text),
        }
    }

    fn translated(&self, id: &str) -> Option<&(EntrySpan, Entry<&'t str>)> {
        self.translation.iter().find(|(span, _)| span.id == id)
    }
}

fn target_path(original: &str, source_lang: &str, lang: &str) -> Option<PathBuf> {
    let name = original.strip_prefix(&format!("locales/{source_lang}/"))?;
    // A table's own name only: `original` must not lead a write out of locales/.
    let plain = name.ends_with(".ftl")
        && !name.contains(['/', '\\'])
        && !crate::source::is_ignored_name(name);
    plain.then(|| Path::new("locales").join(lang).join(name))
}

/// One `<file>` per table of the source language.
pub fn sections(root: &Path, config: &Config, lang: &str) -> Result<Vec<FileSection>, Diagnostic> {
    let source_lang = config.source_language();
    let folder = root.join("locales").join(source_lang);
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".ftl") && !crate::source::is_ignored_name(name))
        .collect();
    names.sort();
    let mut sections = Vec::new();
    for name in names {
        let original = format!("locales/{source_lang}/{name}");
        let source_text = read_text(root, Path::new(&original))?;
        let target = Path::new("locales").join(lang).join(&name);
        let translation_text = read_text(root, &target).unwrap_or_default();
        let table = Table::new(&source_text, &translation_text);
        let mut units = Vec::new();
        for (span, entry) in &table.source {
            let translated = table.translated(&span.id).map(|(_, e)| parts(e));
            for (name, pattern) in parts(entry) {
                let theirs = translated
                    .as_ref()
                    .and_then(|parts| parts.iter().find(|(n, _)| *n == name).map(|(_, p)| *p));
                for unit in source_units(&name, pattern, lang) {
                    let target = theirs.map(|pattern| translation_unit(&unit, pattern).0);
                    units.push(Unit {
                        note: Some(format!(
                            "Interface text {} ({}): {}",
                            unit.id,
                            original,
                            crate::xliff::entry_standing(target.is_some()).0
                        )),
                        state: Some(crate::xliff::entry_standing(target.is_some()).1.into()),
                        target: Some(target.unwrap_or_default()),
                        resname: Some(span.id.clone()),
                        source: unit.inline,
                        id: unit.id,
                    });
                }
            }
        }
        sections.push(FileSection {
            original,
            source_language: source_lang.into(),
            target_language: lang.into(),
            datatype: "x-fluent".into(),
            source_digest: source_digest(&source_text),
            units,
        });
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "# Un commentaire\nhello = Bonjour { $name } !\n    .title = Salut\ncount = { $n ->\n    [one] { $n } sujet\n   *[other] { $n } sujets\n}\n\n-brand = briefing\n";

    #[test]
    fn entries_are_found_with_their_lines() {
        let ids: Vec<String> = entry_spans(SOURCE).into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["hello", "count", "-brand"]);
        let spans = entry_spans(SOURCE);
        assert!(SOURCE[spans[1].range.clone()].ends_with("}\n"));
    }

    #[test]
    fn plural_units_follow_the_target_language() {
        let entry =
            parse_entry("count = { $n ->\n    [one] { $n } sujet\n   *[other] { $n } sujets\n}\n")
                .unwrap();
        let (name, pattern) = parts(&entry).remove(0);
        let ids: Vec<String> = source_units(&name, pattern, "ar")
            .into_iter()
            .map(|u| u.id)
            .collect();
        assert_eq!(
            ids,
            [
                "count[zero]",
                "count[one]",
                "count[two]",
                "count[few]",
                "count[many]",
                "count[other]"
            ]
        );
        let english = source_units(&name, pattern, "en");
        assert_eq!(english.len(), 2);
        assert_eq!(
            english[0].inline.to_xml(),
            "<ph id=\"1\" ctype=\"x-fluent-placeable\">{ $n }</ph> sujet"
        );
    }
}
