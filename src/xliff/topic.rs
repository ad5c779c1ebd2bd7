//! A topic file as translatable units: its front-matter fields (title, summary, events'
//! texts, sources' titles and publishers) and its body blocks, each with a stable id, and
//! how a translation's units line up with the source's.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use sha2::{Digest as _, Sha256};
use toml::de::{DeTable, DeValue};

use crate::content::page::split_front_matter;
use crate::diagnostic::Diagnostic;
use crate::xliff::inline::Inline;
use crate::xliff::units::{Block, BlockKind, blocks};

/// Which front-matter value a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldPath {
    Title,
    Summary,
    EventText(usize),
    SourceTitle(usize),
    SourcePublisher(usize),
}

impl FieldPath {
    /// The unit's `resname`: the key, without the position.
    pub fn resname(self) -> &'static str {
        match self {
            FieldPath::Title => "title",
            FieldPath::Summary => "summary",
            FieldPath::EventText(_) => "events.text",
            FieldPath::SourceTitle(_) => "sources.title",
            FieldPath::SourcePublisher(_) => "sources.publisher",
        }
    }

    pub fn label(self) -> String {
        match self {
            FieldPath::Title => "the title".into(),
            FieldPath::Summary => "the summary".into(),
            FieldPath::EventText(i) => format!("the text of event {}", i + 1),
            FieldPath::SourceTitle(i) => format!("the title of source {}", i + 1),
            FieldPath::SourcePublisher(i) => format!("the publisher of source {}", i + 1),
        }
    }

    fn id_prefix(self) -> &'static str {
        match self {
            FieldPath::Title => "title",
            FieldPath::Summary => "summary",
            FieldPath::EventText(_) => "event",
            FieldPath::SourceTitle(_) => "source-title",
            FieldPath::SourcePublisher(_) => "source-publisher",
        }
    }
}

/// One translatable front-matter string.
#[derive(Debug, Clone)]
pub struct Field {
    pub path: FieldPath,
    pub value: String,
    /// The TOML string literal, quotes included, in the file's text.
    pub span: Range<usize>,
}

/// A topic file cut into units. Block ranges are in the file's text.
#[derive(Debug, Clone)]
pub struct TopicText {
    pub fields: Vec<Field>,
    pub blocks: Vec<Block>,
    /// The front matter's place in the file (without the `+++` lines).
    pub front: Range<usize>,
    pub body_offset: usize,
    pub recorded_digest: Option<String>,
    /// The `slug` and `source_digest` entries, whole lines: they belong to one language.
    pub own_lines: Vec<Range<usize>>,
}

/// What a unit of a topic stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitRef {
    Field(usize),
    Block(usize),
}

/// The unit ids of a topic, in order: a short digest of the unit's source text with the
/// kind, and a counter when the same text occurs again, so that an id stays the same while
/// its block does.
pub fn unit_ids(topic: &TopicText, text: &str) -> Vec<(String, UnitRef)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ids = Vec::new();
    let mut add = |prefix: &str, content: &str, unit: UnitRef| {
        let hash = Sha256::digest(format!("{prefix}\n{content}").as_bytes());
        let short: String = hash[..5].iter().map(|b| format!("{b:02x}")).collect();
        let mut id = if matches!(prefix, "title" | "summary") {
            prefix.to_string()
        } else {
            format!("{prefix}-{short}")
        };
        let count = seen.entry(id.clone()).or_default();
        *count += 1;
        if *count > 1 {
            id = format!("{id}-{count}");
        }
        ids.push((id, unit));
    };
    for (index, field) in topic.fields.iter().enumerate() {
        add(field.path.id_prefix(), &field.value, UnitRef::Field(index));
    }
    for (index, block) in topic.blocks.iter().enumerate() {
        let prefix = match block.kind {
            BlockKind::Paragraph => "p",
            BlockKind::Heading(_) => "h",
            BlockKind::ListItem => "li",
            BlockKind::TableCell => "td",
            BlockKind::Footnote => "fn",
        };
        add(prefix, &text[block.range.clone()], UnitRef::Block(index));
    }
    ids
}

impl TopicText {
    pub fn read(path: &Path, text: &str) -> Result<TopicText, Diagnostic> {
        let split = split_front_matter(path, text)?;
        let (front, front_offset) = split.front_matter.unwrap_or(("", split.body_offset));
        let table = DeTable::parse(front).map_err(|error| {
            Diagnostic::error(
                "front-matter-invalid",
                path,
                format!("front matter is not TOML: {}", error.message()),
            )
        })?;
        let mut topic = TopicText {
            fields: Vec::new(),
            blocks: blocks(split.body),
            front: front_offset..front_offset + front.len(),
            body_offset: split.body_offset,
            recorded_digest: None,
            own_lines: Vec::new(),
        };
        for block in &mut topic.blocks {
            block.range =
                block.range.start + split.body_offset..block.range.end + split.body_offset;
        }
        let string_at = |value: &toml::Spanned<DeValue<'_>>| match value.get_ref() {
            DeValue::String(s) => Some((
                s.to_string(),
                value.span().start + front_offset..value.span().end + front_offset,
            )),
            _ => None,
        };
        for (key, value) in table.get_ref() {
            let mut push = |path: FieldPath, value: &toml::Spanned<DeValue<'_>>| {
                if let Some((value, span)) = string_at(value) {
                    topic.fields.push(Field { path, value, span });
                }
            };
            match key.get_ref().as_ref() {
                "title" => push(FieldPath::Title, value),
                "summary" => push(FieldPath::Summary, value),
                "events" | "sources" => {
                    let DeValue::Array(items) = value.get_ref() else {
                        continue;
                    };
                    for (index, item) in items.iter().enumerate() {
                        let DeValue::Table(entry) = item.get_ref() else {
                            continue;
                        };
                        for (field, value) in entry {
                            let path = match (key.get_ref().as_ref(), field.get_ref().as_ref()) {
                                ("events", "text") => FieldPath::EventText(index),
                                ("sources", "title") => FieldPath::SourceTitle(index),
                                ("sources", "publisher") => FieldPath::SourcePublisher(index),
                                _ => continue,
                            };
                            push(path, value);
                        }
                    }
                }
                "source_digest" | "slug" => {
                    if key.get_ref().as_ref() == "source_digest" {
                        topic.recorded_digest = string_at(value).map(|(digest, _)| digest);
                    }
                    let start = front_offset + key.span().start;
                    let start = text[..start].rfind('\n').map_or(0, |at| at + 1);
                    let end = front_offset + value.span().end;
                    let end = text[end..].find('\n').map_or(text.len(), |at| end + at + 1);
                    topic.own_lines.push(start..end);
                }
                _ => {}
            }
        }
        topic.fields.sort_by_key(|field| field.span.start);
        Ok(topic)
    }

    pub fn field(&self, path: FieldPath) -> Option<&Field> {
        self.fields.iter().find(|field| field.path == path)
    }

    /// Whether a translation's body has the source's structure: the same blocks, of the same
    /// kinds, with the same kinds of markup in the same order. Only then do its blocks stand
    /// for the source's one for one.
    pub fn body_lines_up_with(&self, source: &TopicText) -> bool {
        self.blocks.len() == source.blocks.len()
            && self
                .blocks
                .iter()
                .zip(&source.blocks)
                .all(|(ours, theirs)| {
                    ours.kind == theirs.kind
                        && ours.inline.markup_kinds() == theirs.inline.markup_kinds()
                })
    }

    /// Whether a translation's front matter has the source's fields, no more and no fewer.
    pub fn front_lines_up_with(&self, source: &TopicText) -> bool {
        let paths = |topic: &TopicText| {
            let mut paths: Vec<FieldPath> = topic.fields.iter().map(|f| f.path).collect();
            paths.sort_by_key(|path| format!("{path:?}"));
            paths
        };
        paths(self) == paths(source)
    }

    /// The translation's content for a unit of the source, where it lines up.
    pub fn aligned(&self, source: &TopicText, unit: UnitRef) -> Option<Inline> {
        match unit {
            UnitRef::Field(index) => self
                .field(source.fields[index].path)
                .map(|field| Inline::text(&field.value)),
            UnitRef::Block(index) => self
                .body_lines_up_with(source)
                .then(|| self.blocks[index].inline.clone()),
        }
    }
}

/// A TOML basic string holding `value`.
pub fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` with each range replaced; ranges do not overlap.
pub fn apply_edits(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, replacement) in edits {
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "+++\ntitle = \"Titre\"\nslug = \"titre\"\ndate = 2024-01-01\n\n[[events]]\ndate = \"2024\"\ntext = \"Un événement\"\n+++\nUn paragraphe.\n\nUn paragraphe.\n";

    #[test]
    fn fields_and_blocks_get_stable_ids() {
        let topic = TopicText::read(Path::new("a.md"), PAGE).unwrap();
        let ids: Vec<String> = unit_ids(&topic, PAGE)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids[0], "title");
        assert!(ids[1].starts_with("event-"));
        assert_eq!(ids[3], format!("{}-2", ids[2]));
        assert_eq!(&PAGE[topic.own_lines[0].clone()], "slug = \"titre\"\n");
        let edited = PAGE.replace("Titre", "Autre titre");
        let again = TopicText::read(Path::new("a.md"), &edited).unwrap();
        assert_eq!(unit_ids(&again, &edited)[1].0, ids[1]);
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
    }
}
