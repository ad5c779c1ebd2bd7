//! The glossary's short forms and expansions as units, and their translations written back
//! into `content/glossary.toml` value by value.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};
use toml::de::{DeTable, DeValue};

use crate::config::Config;
use crate::content::glossary::GLOSSARY_FILE;
use crate::diagnostic::Diagnostic;
use crate::xliff::document::{FileSection, Unit};
use crate::xliff::import::{SectionContext, SectionPlan};
use crate::xliff::inline::Inline;
use crate::xliff::read_text;
use crate::xliff::topic::{apply_edits, toml_string};

/// One language's entry of a term: its values and where they are written.
struct Entry {
    short: (String, Range<usize>),
    expansion: (String, Range<usize>),
    /// The end of the entry's line, where another language's entry can follow.
    line_end: usize,
}

/// Per term, in file order: the entries by language.
fn terms(text: &str) -> Result<Vec<HashMap<String, Entry>>, Diagnostic> {
    let table = DeTable::parse(text).map_err(|error| {
        Diagnostic::error(
            "glossary-invalid",
            GLOSSARY_FILE,
            error.message().to_string(),
        )
    })?;
    let mut terms = Vec::new();
    let Some(DeValue::Array(items)) = table.get_ref().get("terms").map(|v| v.get_ref()) else {
        return Ok(terms);
    };
    for item in items {
        let DeValue::Table(languages) = item.get_ref() else {
            continue;
        };
        let mut entries = HashMap::new();
        for (lang, value) in languages {
            let DeValue::Table(fields) = value.get_ref() else {
                continue;
            };
            let string = |key: &str| {
                fields.get(key).and_then(|value| match value.get_ref() {
                    DeValue::String(s) => Some((s.to_string(), value.span())),
                    _ => None,
                })
            };
            if let (Some(short), Some(expansion)) = (string("short"), string("expansion")) {
                let end = value.span().end;
                let line_end = text[end..].find('\n').map_or(text.len(), |at| end + at + 1);
                entries.insert(
                    lang.get_ref().to_string(),
                    Entry {
                        short,
                        expansion,
                        line_end,
                    },
                );
            }
        }
        terms.push(entries);
    }
    Ok(terms)
}

fn digest(terms: &[HashMap<String, Entry>], lang: &str) -> String {
    let mut hasher = Sha256::new();
    for entry in terms.iter().filter_map(|term| term.get(lang)) {
        hasher.update(format!("{}\u{1f}{}\n", entry.short.0, entry.expansion.0).as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The ids of the units, with the term's index and whether the unit is the short form.
fn unit_ids(terms: &[HashMap<String, Entry>], source_lang: &str) -> Vec<(String, usize, bool)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ids = Vec::new();
    for (index, term) in terms.iter().enumerate() {
        let Some(entry) = term.get(source_lang) else {
            continue;
        };
        for (is_short, value) in [(true, &entry.short.0), (false, &entry.expansion.0)] {
            let kind = if is_short { "short" } else { "expansion" };
            let hash = Sha256::digest(value.as_bytes());
            let short: String = hash[..5].iter().map(|b| format!("{b:02x}")).collect();
            let mut id = format!("{kind}-{short}");
            let count = seen.entry(id.clone()).or_default();
            *count += 1;
            if *count > 1 {
                id = format!("{id}-{count}");
            }
            ids.push((id, index, is_short));
        }
    }
    ids
}

/// The glossary's `<file>` for `lang`, or `None` when the site has no glossary.
pub fn section(
    root: &Path,
    config: &Config,
    lang: &str,
) -> Result<Option<FileSection>, Diagnostic> {
    let path = Path::new(GLOSSARY_FILE);
    if !root.join(path).is_file() {
        return Ok(None);
    }
    let text = read_text(root, path)?;
    let terms = terms(&text)?;
    let source_lang = config.source_language();
    let units = unit_ids(&terms, source_lang)
        .into_iter()
        .map(|(id, index, is_short)| {
            let pick = |entry: &Entry| {
                if is_short {
                    entry.short.0.clone()
                } else {
                    entry.expansion.0.clone()
                }
            };
            let source = pick(&terms[index][source_lang]);
            let target = terms[index].get(lang).map(pick);
            let kind = if is_short { "short form" } else { "expansion" };
            Unit {
                resname: Some(format!(
                    "terms.{}",
                    if is_short { "short" } else { "expansion" }
                )),
                note: Some(format!(
                    "Glossary — the {kind} of term {} ({}): {}",
                    index + 1,
                    terms[index][source_lang].short.0,
                    crate::xliff::entry_standing(target.is_some()).0
                )),
                state: Some(crate::xliff::entry_standing(target.is_some()).1.into()),
                target: Some(target.map_or_else(Inline::default, |t| Inline::text(&t))),
                source: Inline::text(&source),
                id,
            }
        })
        .collect();
    Ok(Some(FileSection {
        original: GLOSSARY_FILE.into(),
        source_language: source_lang.into(),
        target_language: lang.into(),
        datatype: "x-toml".into(),
        source_digest: digest(&terms, source_lang),
        units,
    }))
}

pub fn plan(context: &SectionContext<'_>) -> Result<SectionPlan, Diagnostic> {
    let path = PathBuf::from(GLOSSARY_FILE);
    let text = read_text(context.root, &path)?;
    let terms = terms(&text)?;
    let source_lang = context.config.source_language();
    let lang = context.section.target_language.as_str();
    context.check_digest(&digest(&terms, source_lang))?;
    let ids = unit_ids(&terms, source_lang);
    let known: Vec<String> = ids.iter().map(|(id, ..)| id.clone()).collect();
    let by_id = context.units_by_id(&known)?;
    let mut values: HashMap<usize, (Option<String>, Option<String>)> = HashMap::new();
    let mut lacking = 0;
    for (id, index, is_short) in &ids {
        let entry = &terms[*index][source_lang];
        let source = if *is_short {
            &entry.short.0
        } else {
            &entry.expansion.0
        };
        let target = context.target(by_id.get(id.as_str()).copied(), id, &Inline::text(source))?;
        let Some(target) = target else {
            lacking += 1;
            continue;
        };
        let slot = values.entry(*index).or_default();
        if *is_short {
            slot.0 = Some(target.plain());
        } else {
            slot.1 = Some(target.plain());
        }
    }
    if lacking > 0 {
        return Ok(SectionPlan {
            writes: Vec::new(),
            lacking,
        });
    }
    let mut edits = Vec::new();
    for (index, (short, expansion)) in values {
        let (Some(short), Some(expansion)) = (short, expansion) else {
            continue;
        };
        match terms[index].get(lang) {
            Some(entry) => {
                for (new, (old, span)) in [(short, &entry.short), (expansion, &entry.expansion)] {
                    if &new != old {
                        edits.push((span.clone(), toml_string(&new)));
                    }
                }
            }
            None => {
                let at = terms[index][source_lang].line_end;
                let line = format!(
                    "{lang} = {{ short = {}, expansion = {} }}\n",
                    toml_string(&short),
                    toml_string(&expansion)
                );
                edits.push((at..at, line));
            }
        }
    }
    if edits.is_empty() {
        return Ok(SectionPlan::default());
    }
    Ok(SectionPlan {
        writes: vec![(path, apply_edits(&text, edits))],
        lacking: 0,
    })
}
