//! Which units of an outdated translation need review: the source version the translation
//! records, found in the project's git history, compared with the source now unit by unit,
//! in the export's own segmentation (the one the translation is lined up with), so that a
//! translator reviews what changed and nothing else. When the version cannot be found, or
//! the comparison could pair a block with the wrong translation, every unit needs review.

use std::path::Path;

use crate::history::FileVersion;
use crate::since_translation::Lookups;
use crate::xliff::TranslationStatus;
use crate::xliff::topic::{TopicText, UnitRef};

/// How the units of one translation stand against the source.
pub enum Review {
    /// The translation records the source as it is now.
    Current,
    /// Every unit needs review, for this reason (one line, a fact, never a guess).
    All(String),
    /// Units are compared with the version of `commit`.
    Since(Since),
}

pub struct Since {
    commit: String,
    old: TopicText,
    old_text: String,
    /// Why body units cannot be compared one for one, if they cannot.
    body_unpaired: Option<String>,
}

/// One unit's standing: whether it needs review, and why, for its `<note>`.
pub struct Verdict {
    pub needs_review: bool,
    pub standing: String,
}

/// What a review looks at in the source now.
pub struct SourceNow<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub topic: &'a TopicText,
}

impl Review {
    pub fn new(
        lookups: &mut Lookups,
        source: &SourceNow<'_>,
        translation: Option<&TopicText>,
        status: TranslationStatus,
    ) -> Review {
        let recorded = translation.and_then(|t| t.recorded_digest.as_deref());
        match (status, recorded) {
            (TranslationStatus::Current, _) => Review::Current,
            (TranslationStatus::Outdated, Some(recorded)) => {
                match lookups.version(source.path, recorded) {
                    Ok(version) => Review::since(source, version),
                    Err(why) => Review::All(one_line(&why.to_string())),
                }
            }
            _ => Review::All(
                "the translation records no source_digest, so the version it was made from is unknown"
                    .into(),
            ),
        }
    }

    fn since(source: &SourceNow<'_>, version: FileVersion) -> Review {
        let short = &version.commit[..version.commit.len().min(10)];
        let old = match TopicText::read(source.path, &version.text) {
            Ok(old) => old,
            Err(problem) => {
                return Review::All(one_line(&format!(
                    "the version of commit {short} cannot be read: {}",
                    problem.message
                )));
            }
        };
        // The translation's blocks follow the old source's by position: only when the source
        // kept its blocks, kinds and markup does block i of the translation still stand for
        // block i of the source now.
        let body_unpaired = (!old.body_lines_up_with(source.topic)).then(|| {
            format!(
                "blocks were added, removed or restructured in the source since commit {short}, so the translation's blocks may not stand for these ones"
            )
        });
        let since = Since {
            commit: short.to_string(),
            old,
            old_text: version.text,
            body_unpaired,
        };
        let units = (0..source.topic.fields.len())
            .map(UnitRef::Field)
            .chain((0..source.topic.blocks.len()).map(UnitRef::Block));
        if since.body_unpaired.is_none() && !units.into_iter().any(|u| since.changed(source, u)) {
            // The source changed where no unit looks: marking every unit translated would
            // let an import without edits record the translation as current.
            return Review::All(format!(
                "no translatable text changed since commit {short}, only what the units do not carry (code, HTML, other front-matter values or spacing)"
            ));
        }
        Review::Since(since)
    }

    /// The standing of one unit that has a target.
    pub fn unit(&self, source: &SourceNow<'_>, unit: UnitRef) -> Verdict {
        match self {
            Review::Current => Verdict {
                needs_review: false,
                standing: "translated, and the translation is current".into(),
            },
            Review::All(why) => Verdict {
                needs_review: true,
                standing: format!(
                    "the source changed since this translation was made; {why}: review the target"
                ),
            },
            Review::Since(since) => since.verdict(source, unit),
        }
    }
}

impl Since {
    fn verdict(&self, source: &SourceNow<'_>, unit: UnitRef) -> Verdict {
        let commit = &self.commit;
        if let (UnitRef::Block(_), Some(why)) = (unit, &self.body_unpaired) {
            return Verdict {
                needs_review: true,
                standing: format!(
                    "the source changed since this translation was made; {why}: review the target"
                ),
            };
        }
        match self.changed(source, unit) {
            true => Verdict {
                needs_review: true,
                standing: format!(
                    "changed in the source since the version of commit {commit} the translation was made from: review the target"
                ),
            },
            false => Verdict {
                needs_review: false,
                standing: format!(
                    "translated; unchanged in the source since the version of commit {commit} the translation was made from"
                ),
            },
        }
    }

    /// Whether the unit's source text differs from the old version's at the same place
    /// (white space aside, so that re-wrapping a paragraph is no change).
    fn changed(&self, source: &SourceNow<'_>, unit: UnitRef) -> bool {
        match unit {
            UnitRef::Field(index) => {
                let field = &source.topic.fields[index];
                self.old.field(field.path).map(|old| old.value.as_str())
                    != Some(field.value.as_str())
            }
            UnitRef::Block(index) => {
                let block = &source.topic.blocks[index];
                match self.old.blocks.get(index) {
                    Some(old) => {
                        old.kind != block.kind
                            || normalize(&self.old_text[old.range.clone()])
                                != normalize(&source.text[block.range.clone()])
                    }
                    None => true,
                }
            }
        }
    }
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn one_line(text: &str) -> String {
    normalize(text)
}
