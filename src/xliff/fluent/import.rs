//! Fluent targets written back: an entry whose targets all equal the current translation
//! keeps its bytes; a changed one is written anew by fluent-syntax's serializer; a new one is
//! added at the end of the table.

use std::collections::BTreeMap;
use std::path::Path;

use fluent_syntax::ast::{
    Attribute, Entry, Expression, InlineExpression, Message, Pattern, PatternElement, Resource,
    Term, Variant, VariantKey,
};

use super::{
    PartUnit, Placeables, Table, parts, plural_select, source_units, target_path, translation_unit,
};
use crate::diagnostic::Diagnostic;
use crate::translation::source_digest;
use crate::xliff::document::Unit;
use crate::xliff::import::{SectionContext, SectionPlan};
use crate::xliff::inline::{Inline, Piece, markup_problem};
use crate::xliff::read_text;
use crate::xliff::topic::apply_edits;

pub fn plan(context: &SectionContext<'_>) -> Result<SectionPlan, Diagnostic> {
    let section = context.section;
    let source_lang = context.config.source_language();
    let lang = section.target_language.as_str();
    let path = target_path(&section.original, source_lang, lang).ok_or_else(|| {
        context.refuse(
            None,
            format!("\"{}\" is not a table of this site", section.original),
        )
    })?;
    let source_text = read_text(context.root, Path::new(&section.original))?;
    context.check_digest(&source_digest(&source_text))?;
    let translation_text = read_text(context.root, &path).unwrap_or_default();
    let table = Table::new(&source_text, &translation_text);
    let all_units: Vec<(usize, String, PartUnit<'_>)> = table
        .source
        .iter()
        .enumerate()
        .flat_map(|(index, (_, entry))| {
            parts(entry).into_iter().flat_map(move |(name, pattern)| {
                source_units(&name, pattern, lang)
                    .into_iter()
                    .map(move |unit| (index, name.clone(), unit))
            })
        })
        .collect();
    let known: Vec<String> = all_units
        .iter()
        .map(|(_, _, unit)| unit.id.clone())
        .collect();
    let by_id = context.units_by_id(&known)?;
    let mut plan = EntryPlans::default();
    for (index, name, unit) in &all_units {
        let current = table
            .translated(&table.source[*index].0.id)
            .and_then(|(_, entry)| {
                parts(entry)
                    .into_iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, pattern)| translation_unit(unit, pattern))
            });
        let Some(target) = fluent_target(
            context,
            by_id.get(unit.id.as_str()).copied(),
            unit,
            current.as_ref(),
        )?
        else {
            plan.lacking += 1;
            continue;
        };
        let changed = current.as_ref().map(|(inline, _)| inline) != Some(&target);
        let entry = plan.entries.entry(*index).or_default();
        entry.changed |= changed;
        entry.targets.push((
            name.clone(),
            unit.key.clone(),
            target,
            current.map(|(_, p)| p),
        ));
    }
    if plan.lacking > 0 {
        return Ok(SectionPlan {
            writes: Vec::new(),
            lacking: plan.lacking,
        });
    }
    let text = plan.rebuild(&table, &all_units, &translation_text);
    Ok(SectionPlan {
        writes: if text == translation_text {
            Vec::new()
        } else {
            vec![(path, text)]
        },
        lacking: 0,
    })
}

/// A target checked against the source's placeables, or the current translation's.
fn fluent_target(
    context: &SectionContext<'_>,
    unit: Option<&Unit>,
    source: &PartUnit<'_>,
    current: Option<&(Inline, Placeables<'_>)>,
) -> Result<Option<Inline>, Diagnostic> {
    let Some(unit) = unit.filter(|unit| !unit.lacks_target()) else {
        return Ok(None);
    };
    let target = unit.target.clone().unwrap_or_default();
    let keeps_current =
        current.is_some_and(|(inline, _)| markup_problem(inline, &target).is_none());
    if !keeps_current && let Some(problem) = markup_problem(&source.inline, &target) {
        return Err(context.refuse(Some(&unit.id), problem));
    }
    Ok(Some(target))
}

/// What each entry of the table gets: (part name, plural key, target, the current
/// translation's placeables).
#[derive(Default)]
struct EntryPlans<'s> {
    entries: BTreeMap<usize, EntryTargets<'s>>,
    lacking: usize,
}

#[derive(Default)]
struct EntryTargets<'s> {
    changed: bool,
    targets: Vec<Target<'s>>,
}

impl EntryPlans<'_> {
    /// The translation with each changed entry written anew and each new one added at the end.
    fn rebuild(
        &self,
        table: &Table<'_>,
        units: &[(usize, String, PartUnit<'_>)],
        translation_text: &str,
    ) -> String {
        let mut edits = Vec::new();
        let mut added = String::new();
        for (index, plan) in &self.entries {
            let (span, entry) = &table.source[*index];
            let current = table.translated(&span.id);
            if !plan.changed && current.is_some() {
                continue;
            }
            let text = entry_text(entry, plan, units, *index);
            match current {
                Some((their_span, _)) => edits.push((their_span.range.clone(), text)),
                None => added.push_str(&text),
            }
        }
        let mut text = apply_edits(translation_text, edits);
        if !added.is_empty() {
            if !text.is_empty() && !text.ends_with("\n\n") {
                text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
            }
            text.push_str(&added);
        }
        text
    }
}

type Target<'s> = (String, Option<String>, Inline, Option<Placeables<'s>>);

/// The Fluent text of one entry, its parts made from their targets.
fn entry_text<'a, 's: 'a>(
    entry: &'a Entry<&'s str>,
    plan: &'a EntryTargets<'s>,
    units: &'a [(usize, String, PartUnit<'s>)],
    index: usize,
) -> String {
    let pattern_of = |name: &str| part_pattern(entry, name, plan, units, index);
    let rebuilt = match entry {
        Entry::Message(message) => Entry::Message(Message {
            id: message.id.clone(),
            value: message
                .value
                .as_ref()
                .and_then(|_| pattern_of(message.id.name)),
            attributes: attributes(&message.attributes, "", message.id.name, &pattern_of),
            comment: None,
        }),
        Entry::Term(term) => Entry::Term(Term {
            id: term.id.clone(),
            value: pattern_of(&format!("-{}", term.id.name)).unwrap_or_else(|| term.value.clone()),
            attributes: attributes(&term.attributes, "-", term.id.name, &pattern_of),
            comment: None,
        }),
        other => other.clone(),
    };
    fluent_syntax::serializer::serialize(&Resource {
        body: vec![rebuilt],
    })
}

/// The pattern of one part from its targets: one, or one per plural key.
fn part_pattern<'a, 's: 'a>(
    entry: &'a Entry<&'s str>,
    name: &str,
    plan: &'a EntryTargets<'s>,
    units: &'a [(usize, String, PartUnit<'s>)],
    index: usize,
) -> Option<Pattern<&'a str>> {
    let targets: Vec<&'a Target<'s>> = plan.targets.iter().filter(|(n, ..)| n == name).collect();
    let build = |target: &'a Target<'s>| -> Pattern<&'a str> {
        let source = units
            .iter()
            .find(|(i, n, unit)| *i == index && n == name && unit.key == target.1)
            .map(|(_, _, unit)| &unit.placeables);
        pattern_from(&target.2, source, target.3.as_ref())
    };
    let first = targets.first()?;
    if first.1.is_none() {
        return Some(build(first));
    }
    let source_pattern = parts(entry).into_iter().find(|(n, _)| n == name)?.1;
    let (selector, _) = plural_select(source_pattern)?;
    let variants = targets
        .iter()
        .map(|target| {
            let key = target.1.as_deref().unwrap_or_default();
            Variant {
                default: key == "other",
                key: if key.starts_with(|c: char| c.is_ascii_digit()) {
                    VariantKey::NumberLiteral { value: key }
                } else {
                    VariantKey::Identifier { name: key }
                },
                value: build(target),
            }
        })
        .collect();
    Some(Pattern {
        elements: vec![PatternElement::Placeable {
            expression: Expression::Select {
                selector: selector.clone(),
                variants,
            },
        }],
    })
}

fn attributes<'a>(
    source: &'a [Attribute<&'a str>],
    prefix: &str,
    id: &str,
    pattern_of: &dyn Fn(&str) -> Option<Pattern<&'a str>>,
) -> Vec<Attribute<&'a str>> {
    source
        .iter()
        .map(|attribute| Attribute {
            id: attribute.id.clone(),
            value: pattern_of(&format!("{prefix}{id}.{}", attribute.id.name))
                .unwrap_or_else(|| attribute.value.clone()),
        })
        .collect()
}

/// A pattern from a target: its text, braces quoted, and the placeables its ids name.
fn pattern_from<'a>(
    target: &'a Inline,
    source: Option<&Placeables<'a>>,
    current: Option<&Placeables<'a>>,
) -> Pattern<&'a str> {
    let mut elements = Vec::new();
    for piece in &target.0 {
        match piece {
            Piece::Text(text) => {
                let mut rest = text.as_str();
                while let Some(at) = rest.find(['{', '}']) {
                    if at > 0 {
                        elements.push(PatternElement::TextElement { value: &rest[..at] });
                    }
                    elements.push(PatternElement::Placeable {
                        expression: Expression::Inline(InlineExpression::StringLiteral {
                            value: &rest[at..at + 1],
                        }),
                    });
                    rest = &rest[at + 1..];
                }
                if !rest.is_empty() {
                    elements.push(PatternElement::TextElement { value: rest });
                }
            }
            Piece::Code { id, .. } => {
                let found = source
                    .and_then(|s| s.get(id))
                    .or_else(|| current.and_then(|c| c.get(id)));
                if let Some(element) = found {
                    elements.push(element.clone());
                }
            }
            _ => {}
        }
    }
    Pattern { elements }
}
