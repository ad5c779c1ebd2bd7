//! `briefing xliff export`: one XLIFF file per topic and target language, one for the
//! Fluent tables and one for the glossary, each recording the digest of its source.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::since_translation::Lookups;
use crate::translation::{HOME_TOPIC, page_path, source_digest};
use crate::xliff::document::{Document, FileSection, Unit};
use crate::xliff::inline::Inline;
use crate::xliff::review::{Review, SourceNow};
use crate::xliff::topic::{TopicText, UnitRef, unit_ids};
use crate::xliff::{Only, TranslationStatus, atomic_write, fluent, glossary, read_text};

/// What `export` was asked for.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// One target language, or every language but the source.
    pub lang: Option<String>,
    pub only: Only,
    /// Where the files go, relative to the project root.
    pub out: PathBuf,
}

/// One file `export` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub path: PathBuf,
    pub units: usize,
}

pub fn export(root: &Path, options: &ExportOptions) -> Result<Vec<Exported>, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let targets = target_languages(&config, options.lang.as_deref())?;
    let mut documents: Vec<(String, Document)> = Vec::new();
    // The repository is opened once, at the first outdated translation.
    let mut lookups = Lookups::new(root);
    for lang in &targets {
        for topic in topics(root) {
            let wanted = Wanted {
                topic: &topic,
                lang,
                only: options.only,
            };
            let section = topic_section(root, &config, &wanted, &mut lookups)
                .map_err(|problem| vec![problem])?;
            if let Some(section) = section {
                documents.push((
                    // A standalone page `_pages/about` is `_pages.about.<lang>.xlf`.
                    format!("{}.{lang}.xlf", topic.replace('/', ".")),
                    Document {
                        files: vec![section],
                    },
                ));
            }
        }
        let tables = fluent::sections(root, &config, lang).map_err(|problem| vec![problem])?;
        if wanted_site_file(options.only, &tables) {
            documents.push((format!("_locales.{lang}.xlf"), Document { files: tables }));
        }
        let terms = glossary::section(root, &config, lang).map_err(|problem| vec![problem])?;
        if let Some(terms) =
            terms.filter(|terms| wanted_site_file(options.only, std::slice::from_ref(terms)))
        {
            documents.push((
                format!("_glossary.{lang}.xlf"),
                Document { files: vec![terms] },
            ));
        }
    }
    let mut written = Vec::new();
    for (name, document) in documents {
        let path = options.out.join(name);
        atomic_write(root, &path, &document.to_xml()).map_err(|problem| vec![problem])?;
        written.push(Exported {
            path,
            units: document.files.iter().map(|f| f.units.len()).sum(),
        });
    }
    Ok(written)
}

/// The Fluent and glossary files have no recorded digest: they are exported with `all`,
/// and with `untranslated` when some unit has no translation yet.
fn wanted_site_file(only: Only, sections: &[FileSection]) -> bool {
    match only {
        Only::All => true,
        Only::Untranslated => sections
            .iter()
            .flat_map(|section| &section.units)
            .any(Unit::lacks_target),
        Only::Outdated => false,
    }
}

pub fn target_languages(
    config: &Config,
    lang: Option<&str>,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    match lang {
        Some(lang)
            if lang == config.source_language() || !config.languages.iter().any(|l| l == lang) =>
        {
            Err(vec![Diagnostic::error(
                "xliff-language",
                "briefing.toml",
                format!(
                    "\"{lang}\" is not one of the site's target languages ({})",
                    config.languages[1..].join(", ")
                ),
            )])
        }
        Some(lang) => Ok(vec![lang.to_string()]),
        None => Ok(config.languages[1..].to_vec()),
    }
}

/// The home page texts first, then every topic folder holding a file, by id.
fn topics(root: &Path) -> Vec<String> {
    let mut topics: Vec<String> = std::fs::read_dir(root.join("content"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| !crate::source::is_ignored_name(name))
        .collect();
    let pages_folder = crate::source::PAGES_FOLDER;
    if topics.iter().any(|topic| topic == pages_folder) {
        topics.retain(|topic| topic != pages_folder);
        let pages = std::fs::read_dir(root.join("content").join(pages_folder))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|entry| entry.path().is_dir())
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| !crate::source::is_ignored_name(name))
            .map(|name| format!("{pages_folder}/{name}"));
        topics.extend(pages);
    }
    topics.sort();
    topics.insert(0, HOME_TOPIC.to_string());
    topics
}

/// The status of a translation, from its file and the source's digest.
pub fn translation_status(translation: Option<&TopicText>, digest: &str) -> TranslationStatus {
    match translation.map(|t| t.recorded_digest.as_deref()) {
        None => TranslationStatus::Missing,
        Some(None) => TranslationStatus::Untranslated,
        Some(Some(recorded)) if recorded == digest => TranslationStatus::Current,
        Some(Some(_)) => TranslationStatus::Outdated,
    }
}

/// One topic in one target language, if `only` wants it.
struct Wanted<'a> {
    topic: &'a str,
    lang: &'a str,
    only: Only,
}

/// The `<file>` of one topic in one target language, or `None` when `only` leaves it out
/// or the topic has no source file.
fn topic_section(
    root: &Path,
    config: &Config,
    wanted: &Wanted<'_>,
    lookups: &mut Lookups,
) -> Result<Option<FileSection>, Diagnostic> {
    let Wanted { topic, lang, only } = *wanted;
    let source_path = page_path(topic, config.source_language());
    if !root.join(&source_path).is_file() {
        return Ok(None);
    }
    let source_text = read_text(root, &source_path)?;
    let source = TopicText::read(&source_path, &source_text)?;
    let digest = source_digest(&source_text);
    let translation_path = page_path(topic, lang);
    let translation_text = match root.join(&translation_path).is_file() {
        true => Some(read_text(root, &translation_path)?),
        false => None,
    };
    let translation = match &translation_text {
        Some(text) => Some(TopicText::read(&translation_path, text)?),
        None => None,
    };
    let status = translation_status(translation.as_ref(), &digest);
    if !only.wants(status) {
        return Ok(None);
    }
    let now = SourceNow {
        path: &source_path,
        text: &source_text,
        topic: &source,
    };
    let review = Review::new(lookups, &now, translation.as_ref(), status);
    let topic_units = TopicUnits {
        topic,
        path: &source_path,
        text: &source_text,
        source: &source,
        translation: translation.as_ref(),
        review,
        lines: LineIndex::new(&source_text),
    };
    let units = unit_ids(&source, &source_text)
        .into_iter()
        .map(|(id, unit)| topic_units.unit(id, unit))
        .collect();
    Ok(Some(FileSection {
        original: source_path.to_string_lossy().replace('\\', "/"),
        source_language: config.source_language().to_string(),
        target_language: lang.to_string(),
        datatype: "x-markdown".into(),
        source_digest: digest,
        units,
    }))
}

/// What the units of one topic are made from.
struct TopicUnits<'a> {
    topic: &'a str,
    path: &'a Path,
    text: &'a str,
    source: &'a TopicText,
    translation: Option<&'a TopicText>,
    review: Review,
    lines: LineIndex,
}

impl TopicUnits<'_> {
    fn unit(&self, id: String, unit: UnitRef) -> Unit {
        let target = self.translation.and_then(|t| t.aligned(self.source, unit));
        let (state, standing) = match &target {
            None => ("new", "not translated yet".to_string()),
            Some(_) => {
                let now = SourceNow {
                    path: self.path,
                    text: self.text,
                    topic: self.source,
                };
                let verdict = self.review.unit(&now, unit);
                match verdict.needs_review {
                    true => ("needs-review-translation", verdict.standing),
                    false => ("translated", verdict.standing),
                }
            }
        };
        let (source, place, offset, resname) = match unit {
            UnitRef::Field(index) => {
                let field = &self.source.fields[index];
                let resname = Some(field.path.resname().to_string());
                (
                    Inline::text(&field.value),
                    field.path.label(),
                    field.span.start,
                    resname,
                )
            }
            UnitRef::Block(index) => {
                let block = &self.source.blocks[index];
                let total = self.source.blocks.len();
                let place = format!("{}, block {} of {total}", block.kind.label(), index + 1);
                (block.inline.clone(), place, block.range.start, None)
            }
        };
        let title = self
            .source
            .field(crate::xliff::topic::FieldPath::Title)
            .map_or(self.topic, |field| field.value.as_str());
        let line = self.lines.position_in(self.text, offset).line;
        let note = format!(
            "{title} — {place}, {}:{line}: {standing}",
            self.path.display()
        );
        Unit {
            id,
            resname,
            source,
            target: Some(target.unwrap_or_default()),
            state: Some(state.to_string()),
            note: Some(note),
        }
    }
}
