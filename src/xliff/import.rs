//! `briefing xliff import`: each XLIFF file's targets written back into the translations it
//! stands for, all of a file's or none, atomically; a block whose target is the current
//! translation keeps its bytes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::translation::{HOME_TOPIC, page_path, record_source_digest, source_digest};
use crate::xliff::document::{Document, FileSection, Unit};
use crate::xliff::export::translation_status;
use crate::xliff::inline::{Inline, markup_problem};
use crate::xliff::topic::{TopicText, UnitRef, apply_edits, toml_string, unit_ids};
use crate::xliff::units::to_markdown;
use crate::xliff::{TranslationStatus, atomic_write, fluent, glossary, read_text};

/// What became of one XLIFF file.
#[derive(Debug, Clone)]
pub enum ImportOutcome {
    /// These project files were (re)written.
    Written(Vec<PathBuf>),
    /// Every target is what the project already holds.
    Unchanged,
    /// Some units have no target yet: nothing was written.
    Incomplete { lacking: usize },
    /// Nothing was written, for this reason.
    Refused(Diagnostic),
}

#[derive(Debug, Clone)]
pub struct ImportReport {
    pub file: PathBuf,
    pub outcome: ImportOutcome,
}

/// What importing one `<file>` would do.
#[derive(Debug, Default)]
pub struct SectionPlan {
    /// New texts by project path; only those that differ from the file's bytes.
    pub writes: Vec<(PathBuf, String)>,
    pub lacking: usize,
}

/// The states in which a translator has confirmed a target.
pub fn is_confirmed(state: Option<&str>) -> bool {
    matches!(state, Some("translated" | "final" | "signed-off"))
}

pub fn import(
    root: &Path,
    files: &[PathBuf],
    force: bool,
) -> Result<Vec<ImportReport>, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    Ok(files
        .iter()
        .map(|file| ImportReport {
            file: file.clone(),
            outcome: import_file(root, &config, file, force),
        })
        .collect())
}

fn import_file(root: &Path, config: &Config, file: &Path, force: bool) -> ImportOutcome {
    let plan = std::fs::read_to_string(file)
        .map_err(|error| Diagnostic::error("io", file, format!("cannot read: {error}")))
        .and_then(|text| Document::parse(file, &text))
        .and_then(|document| plan_document(root, config, file, &document, force));
    let plan = match plan {
        Ok(plan) => plan,
        Err(problem) => return ImportOutcome::Refused(problem),
    };
    if plan.lacking > 0 {
        return ImportOutcome::Incomplete {
            lacking: plan.lacking,
        };
    }
    if plan.writes.is_empty() {
        return ImportOutcome::Unchanged;
    }
    let mut written = Vec::new();
    for (path, text) in plan.writes {
        if let Err(problem) = atomic_write(root, &path, &text) {
            return ImportOutcome::Refused(problem);
        }
        written.push(path);
    }
    ImportOutcome::Written(written)
}

fn plan_document(
    root: &Path,
    config: &Config,
    file: &Path,
    document: &Document,
    force: bool,
) -> Result<SectionPlan, Diagnostic> {
    let mut plan = SectionPlan::default();
    for section in &document.files {
        let lang = section.target_language.as_str();
        if lang == config.source_language() || !config.languages.iter().any(|known| known == lang) {
            return Err(Diagnostic::error(
                "xliff-language",
                file,
                format!(
                    "target language \"{lang}\" is not one of the site's target languages ({})",
                    config.languages[1..].join(", ")
                ),
            ));
        }
        if section.source_language != config.source_language() {
            return Err(Diagnostic::error(
                "xliff-language",
                file,
                format!(
                    "source language \"{}\" is not the site's (\"{}\")",
                    section.source_language,
                    config.source_language()
                ),
            ));
        }
        let source_path = PathBuf::from(&section.original);
        let context = SectionContext {
            root,
            config,
            file,
            section,
            force,
        };
        let part = if section.original == crate::content::glossary::GLOSSARY_FILE {
            glossary::plan(&context)?
        } else if section.original.ends_with(".ftl") {
            fluent::plan(&context)?
        } else {
            plan_topic(&context, &topic_of(config, &source_path, file)?)?
        };
        plan.lacking += part.lacking;
        plan.writes.extend(part.writes);
    }
    Ok(plan)
}

/// What a `<file>` is imported with.
pub struct SectionContext<'a> {
    pub root: &'a Path,
    pub config: &'a Config,
    /// The XLIFF file, for messages.
    pub file: &'a Path,
    pub section: &'a FileSection,
    pub force: bool,
}

impl SectionContext<'_> {
    pub fn refuse(&self, unit: Option<&str>, message: impl Into<String>) -> Diagnostic {
        let message = match unit {
            Some(id) => format!("unit \"{id}\": {}", message.into()),
            None => message.into(),
        };
        Diagnostic::error("xliff-refused", self.file, message)
    }

    /// Refuses a section made from another version of its source, unless forced.
    pub fn check_digest(&self, digest_now: &str) -> Result<(), Diagnostic> {
        if digest_now != self.section.source_digest && !self.force {
            return Err(self
                .refuse(
                    None,
                    format!(
                        "{} changed since this file was exported",
                        self.section.original
                    ),
                )
                .with_help("export again, or import with --force to use it anyway"));
        }
        Ok(())
    }

    /// The section's units by id; ids the source no longer has are refused unless forced.
    pub fn units_by_id(&self, known: &[String]) -> Result<HashMap<&str, &Unit>, Diagnostic> {
        let mut by_id = HashMap::new();
        for unit in &self.section.units {
            if !known.iter().any(|id| id == &unit.id) {
                if self.force {
                    continue;
                }
                return Err(self.refuse(
                    Some(&unit.id),
                    format!("{} has no such unit: export again", self.section.original),
                ));
            }
            by_id.insert(unit.id.as_str(), unit);
        }
        Ok(by_id)
    }

    /// A unit's target, checked against its source's markup; `None` when it has none yet.
    pub fn target(
        &self,
        unit: Option<&Unit>,
        id: &str,
        source: &Inline,
    ) -> Result<Option<Inline>, Diagnostic> {
        let Some(unit) = unit.filter(|unit| !unit.lacks_target()) else {
            return Ok(None);
        };
        let target = unit.target.clone().unwrap_or_default();
        if let Some(problem) = markup_problem(source, &target) {
            return Err(self.refuse(Some(id), problem));
        }
        Ok(Some(target))
    }
}

/// The topic id of a topic's source file.
fn topic_of(config: &Config, source_path: &Path, file: &Path) -> Result<String, Diagnostic> {
    let lang = config.source_language();
    let topic = source_path
        .to_str()
        .and_then(|path| path.strip_prefix("content/"))
        .and_then(
            |rest| match rest.strip_suffix(&format!("/index.{lang}.md")) {
                Some(topic) => Some(topic.to_string()),
                None => (rest == format!("_index.{lang}.md")).then(|| HOME_TOPIC.to_string()),
            },
        );
    // The id must be a folder name of its own: `original` comes from a file that may have
    // been edited, and must not lead a write out of content/.
    topic
        .filter(|topic| {
            let id = crate::content::page::standalone_id(topic).unwrap_or(topic);
            topic == HOME_TOPIC || (crate::content::page::is_safe_segment(id) && !id.contains('/'))
        })
        .filter(|topic| page_path(topic, lang) == source_path)
        .ok_or_else(|| {
            Diagnostic::error(
                "xliff-refused",
                file,
                format!(
                    "\"{}\" is not a source file of this site",
                    source_path.display()
                ),
            )
        })
}

fn plan_topic(context: &SectionContext<'_>, topic: &str) -> Result<SectionPlan, Diagnostic> {
    let (root, section) = (context.root, context.section);
    let source_path = PathBuf::from(&section.original);
    let source_text = read_text(root, &source_path)?;
    let digest_now = source_digest(&source_text);
    context.check_digest(&digest_now)?;
    let source = TopicText::read(&source_path, &source_text)?;
    let ids = unit_ids(&source, &source_text);
    let known: Vec<String> = ids.iter().map(|(id, _)| id.clone()).collect();
    let by_id = context.units_by_id(&known)?;
    let path = page_path(topic, &section.target_language);
    let current_text = match root.join(&path).is_file() {
        true => Some(read_text(root, &path)?),
        false => None,
    };
    let current = match &current_text {
        Some(text) => Some(TopicText::read(&path, text)?),
        None => None,
    };
    let (targets, lacking) = topic_targets(context, &source, &ids, &by_id, current.as_ref())?;
    if lacking > 0 {
        return Ok(SectionPlan {
            writes: Vec::new(),
            lacking,
        });
    }
    let aligned: Vec<Option<Inline>> = ids
        .iter()
        .map(|(_, unit)| current.as_ref().and_then(|c| c.aligned(&source, *unit)))
        .collect();
    let changed = targets
        .iter()
        .zip(&aligned)
        .any(|(t, a)| a.as_ref() != Some(t));
    let status = translation_status(current.as_ref(), &digest_now);
    let confirmed = section
        .units
        .iter()
        .all(|unit| is_confirmed(unit.state.as_deref()));
    let needs_digest = status != TranslationStatus::Current && confirmed;
    if !changed && !needs_digest {
        return Ok(SectionPlan::default());
    }
    let rebuilt = Rebuild {
        source: &source,
        source_text: &source_text,
        current: current.as_ref().zip(current_text.as_deref()),
        ids: &ids,
        targets: &targets,
    }
    .text();
    let text = record_source_digest(&path, &rebuilt, &section.source_digest, topic == HOME_TOPIC)
        .map_err(|mut problems| problems.remove(0))?;
    let writes = if current_text.as_deref() == Some(text.as_str()) {
        Vec::new()
    } else {
        vec![(path, text)]
    };
    Ok(SectionPlan { writes, lacking: 0 })
}

/// The target of every unit of the source, and how many have none yet.
fn topic_targets(
    context: &SectionContext<'_>,
    source: &TopicText,
    ids: &[(String, UnitRef)],
    by_id: &HashMap<&str, &Unit>,
    current: Option<&TopicText>,
) -> Result<(Vec<Inline>, usize), Diagnostic> {
    let mut targets = Vec::new();
    let mut lacking = 0;
    for (id, unit) in ids {
        let source_inline = match *unit {
            UnitRef::Field(index) => Inline::text(&source.fields[index].value),
            UnitRef::Block(index) => source.blocks[index].inline.clone(),
        };
        let from_file = by_id.get(id.as_str()).copied();
        let target = match context.target(from_file, id, &source_inline)? {
            Some(target) => Some(target),
            // With --force, a unit the file does not have keeps the current translation.
            None if from_file.is_none() => current.and_then(|c| c.aligned(source, *unit)),
            None => None,
        };
        if target.is_none() {
            lacking += 1;
        }
        targets.push(target.unwrap_or_default());
    }
    Ok((targets, lacking))
}

/// A translation's new text: where the current translation lines up with the source, its
/// own bytes with only the changed units replaced; elsewhere the source's layout with every
/// unit replaced.
struct Rebuild<'a> {
    source: &'a TopicText,
    source_text: &'a str,
    current: Option<(&'a TopicText, &'a str)>,
    ids: &'a [(String, UnitRef)],
    targets: &'a [Inline],
}

impl Rebuild<'_> {
    fn text(&self) -> String {
        let front_base = self
            .current
            .filter(|(current, _)| current.front_lines_up_with(self.source));
        let body_base = self
            .current
            .filter(|(current, _)| current.body_lines_up_with(self.source));
        let front = self.front(front_base);
        let body = self.body(body_base);
        let (layout, layout_text) = self.current.unwrap_or((self.source, self.source_text));
        let mut text = String::with_capacity(layout_text.len() + 200);
        text.push_str(&layout_text[..layout.front.start]);
        text.push_str(&front);
        text.push_str(&layout_text[layout.front.end..layout.body_offset]);
        text.push_str(&body);
        text
    }

    fn units(&self) -> impl Iterator<Item = (UnitRef, &Inline)> {
        self.ids.iter().map(|(_, unit)| *unit).zip(self.targets)
    }

    fn front(&self, base: Option<(&TopicText, &str)>) -> String {
        let (topic, text) = base.unwrap_or((self.source, self.source_text));
        let mut edits = Vec::new();
        for (unit, target) in self.units() {
            let UnitRef::Field(index) = unit else {
                continue;
            };
            let path = self.source.fields[index].path;
            let Some(field) = topic.field(path) else {
                continue;
            };
            let value = target.plain();
            if base.is_none() || value != field.value {
                edits.push((shift(&field.span, topic.front.start), toml_string(&value)));
            }
        }
        if base.is_none() {
            // The source's slug and digest belong to the source's language.
            for line in &topic.own_lines {
                edits.push((shift(line, topic.front.start), String::new()));
            }
        }
        apply_edits(&text[topic.front.clone()], edits)
    }

    fn body(&self, base: Option<(&TopicText, &str)>) -> String {
        let (topic, text) = base.unwrap_or((self.source, self.source_text));
        let mut edits = Vec::new();
        for (unit, target) in self.units() {
            let UnitRef::Block(index) = unit else {
                continue;
            };
            let block = &topic.blocks[index];
            if base.is_none() || &block.inline != target {
                let markdown = to_markdown(target, &block.markup, block.kind);
                edits.push((shift(&block.range, topic.body_offset), markdown));
            }
        }
        apply_edits(&text[topic.body_offset..], edits)
    }
}

fn shift(range: &std::ops::Range<usize>, by: usize) -> std::ops::Range<usize> {
    range.start - by..range.end - by
}
