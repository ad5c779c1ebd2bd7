//! Parse stage: `content/glossary.toml` → `Glossary`, one short form and expansion per
//! language for each term.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::Diagnostic;
use crate::schema::{Located, TableSchema, parse_checked};

pub const GLOSSARY_FILE: &str = "content/glossary.toml";

static TERM_SCHEMA: TableSchema = TableSchema {
    what: "glossary term",
    keys: &["short", "expansion"],
    nested: &[],
    any_key: None,
};
static ENTRY_SCHEMA: TableSchema = TableSchema {
    what: "glossary entry",
    keys: &[],
    nested: &[],
    any_key: Some(&TERM_SCHEMA),
};
static GLOSSARY_SCHEMA: TableSchema = TableSchema {
    what: "glossary",
    keys: &["terms"],
    nested: &[("terms", &ENTRY_SCHEMA)],
    any_key: None,
};

#[derive(Deserialize)]
struct RawGlossary {
    #[serde(default)]
    terms: Vec<Spanned<BTreeMap<String, RawTerm>>>,
}

#[derive(Deserialize)]
struct RawTerm {
    short: String,
    expansion: String,
}

/// One short form and what it stands for, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Term {
    pub short: String,
    pub expansion: String,
}

/// Terms by language, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    pub by_language: BTreeMap<String, Vec<Term>>,
}

impl Glossary {
    pub fn terms(&self, lang: &str) -> &[Term] {
        self.by_language.get(lang).map_or(&[], Vec::as_slice)
    }

    pub fn parse(text: &str, languages: &[String]) -> Result<Glossary, Vec<Diagnostic>> {
        let path = Path::new(GLOSSARY_FILE);
        let at = Located {
            path,
            file_text: text,
            offset: 0,
        };
        let raw: RawGlossary = parse_checked(text, &GLOSSARY_SCHEMA, &at)?;
        let mut problems = Vec::new();
        let mut glossary = Glossary::default();
        // Where each language's terms are written, in the order of `by_language`.
        let mut spans: BTreeMap<&str, Vec<std::ops::Range<usize>>> = BTreeMap::new();
        for entry in &raw.terms {
            let span = entry.span();
            for lang in entry.get_ref().keys() {
                if !languages.contains(lang) {
                    problems.push(
                        Diagnostic::error(
                            "glossary-unknown-language",
                            path,
                            format!("glossary entry in language \"{lang}\", which the site does not have"),
                        )
                        .at_span(text, span.clone()),
                    );
                }
            }
            for lang in languages {
                match entry.get_ref().get(lang) {
                    Some(term) if !term.short.trim().is_empty() => {
                        glossary
                            .by_language
                            .entry(lang.clone())
                            .or_default()
                            .push(Term {
                                short: term.short.trim().to_string(),
                                expansion: term.expansion.trim().to_string(),
                            });
                        spans.entry(lang).or_default().push(span.clone());
                    }
                    Some(_) => problems.push(
                        Diagnostic::error("glossary-empty-term", path, "empty short form")
                            .at_span(text, span.clone()),
                    ),
                    None => problems.push(
                        Diagnostic::error(
                            "glossary-missing-language",
                            path,
                            format!("glossary entry has no \"{lang}\" form"),
                        )
                        .at_span(text, span.clone())
                        .with_help(format!(
                            "add {lang} = {{ short = \"...\", expansion = \"...\" }}"
                        )),
                    ),
                }
            }
        }
        for (lang, terms) in &glossary.by_language {
            for (index, term) in terms.iter().enumerate() {
                if terms[..index].iter().any(|other| other.short == term.short) {
                    let span = spans[lang.as_str()][index].clone();
                    problems.push(
                        Diagnostic::error(
                            "glossary-duplicate",
                            path,
                            format!(
                                "short form \"{}\" appears twice in language \"{lang}\"",
                                term.short
                            ),
                        )
                        .at_span(text, span),
                    );
                }
            }
        }
        if problems.is_empty() {
            Ok(glossary)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<String> {
        vec!["fr".into(), "en".into()]
    }

    #[test]
    fn terms_are_read_per_language() {
        let text = "[[terms]]\nfr = { short = \"OTAN\", expansion = \"Organisation\" }\nen = { short = \"NATO\", expansion = \"Organization\" }\n";
        let glossary = Glossary::parse(text, &langs()).unwrap();
        assert_eq!(glossary.terms("fr")[0].short, "OTAN");
        assert_eq!(glossary.terms("en")[0].expansion, "Organization");
    }

    #[test]
    fn a_missing_language_is_reported_at_its_entry() {
        let text = "[[terms]]\nfr = { short = \"OTAN\", expansion = \"O\" }\n";
        let problems = Glossary::parse(text, &langs()).unwrap_err();
        assert_eq!(problems[0].message, "glossary entry has no \"en\" form");
        assert_eq!(problems[0].line, Some(1));
    }
}
