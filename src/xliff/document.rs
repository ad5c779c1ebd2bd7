//! XLIFF 1.2 documents: the model `export` fills and `import` reads, written and parsed with
//! quick-xml. Entities other than XML's five and character references are refused, and so is
//! any DOCTYPE: nothing is ever expanded.

use std::path::Path;

use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::diagnostic::Diagnostic;
use crate::xliff::inline::{Inline, Piece};

pub const XLIFF_NS: &str = "urn:oasis:names:tc:xliff:document:1.2";
/// briefing's own attributes (the source digest) live in this namespace.
pub const BRIEFING_NS: &str = "urn:briefing:xliff:1";

#[derive(Debug, Clone, Default)]
pub struct Document {
    pub files: Vec<FileSection>,
}

/// One `<file>`: one source file of the project and its translation into one language.
#[derive(Debug, Clone, Default)]
pub struct FileSection {
    /// The source file, relative to the project root.
    pub original: String,
    pub source_language: String,
    pub target_language: String,
    pub datatype: String,
    /// The digest of the source version the units were made from.
    pub source_digest: String,
    pub units: Vec<Unit>,
}

#[derive(Debug, Clone, Default)]
pub struct Unit {
    pub id: String,
    pub resname: Option<String>,
    pub source: Inline,
    /// `None` only when a file read back has no `<target>`; export always writes one.
    pub target: Option<Inline>,
    pub state: Option<String>,
    pub note: Option<String>,
}

impl Unit {
    /// A unit still waiting for its translation: no target, or an empty one.
    pub fn lacks_target(&self) -> bool {
        self.target.as_ref().is_none_or(Inline::is_empty)
    }
}

impl Document {
    pub fn to_xml(&self) -> String {
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.push_str(&format!(
            "<xliff version=\"1.2\" xmlns=\"{XLIFF_NS}\" xmlns:briefing=\"{BRIEFING_NS}\">\n"
        ));
        for file in &self.files {
            xml.push_str(&format!(
                "<file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"{}\" briefing:source-digest=\"{}\">\n<body>\n",
                escape(&file.original),
                escape(&file.source_language),
                escape(&file.target_language),
                escape(&file.datatype),
                escape(&file.source_digest),
            ));
            for unit in &file.units {
                write_unit(&mut xml, unit);
            }
            xml.push_str("</body>\n</file>\n");
        }
        xml.push_str("</xliff>\n");
        xml
    }

    /// Reads a document; any problem is named with the file, the position and, when inside
    /// one, the unit's id.
    pub fn parse(path: &Path, text: &str) -> Result<Document, Diagnostic> {
        let mut parser = DocumentParser {
            path,
            text,
            reader: Reader::from_str(text),
            unit_id: None,
        };
        parser.document()
    }
}

fn write_unit(xml: &mut String, unit: &Unit) {
    xml.push_str(&format!("<trans-unit id=\"{}\"", escape(&unit.id)));
    if let Some(resname) = &unit.resname {
        xml.push_str(&format!(" resname=\"{}\"", escape(resname)));
    }
    xml.push_str(" xml:space=\"preserve\">\n");
    xml.push_str(&format!("<source>{}</source>\n", unit.source.to_xml()));
    let state = unit
        .state
        .as_ref()
        .map(|state| format!(" state=\"{}\"", escape(state)))
        .unwrap_or_default();
    let target = unit.target.as_ref().map(Inline::to_xml).unwrap_or_default();
    xml.push_str(&format!("<target{state}>{target}</target>\n"));
    if let Some(note) = &unit.note {
        xml.push_str(&format!(
            "<note>{}</note>\n",
            quick_xml::escape::partial_escape(note.as_str())
        ));
    }
    xml.push_str("</trans-unit>\n");
}

struct DocumentParser<'t> {
    path: &'t Path,
    text: &'t str,
    reader: Reader<&'t [u8]>,
    unit_id: Option<String>,
}

impl<'t> DocumentParser<'t> {
    fn error(&self, message: impl Into<String>) -> Diagnostic {
        let at = (self.reader.buffer_position() as usize).min(self.text.len());
        let message = match &self.unit_id {
            Some(id) => format!("unit \"{id}\": {}", message.into()),
            None => message.into(),
        };
        Diagnostic::error("xliff-invalid", self.path, message).at_span(self.text, at..at)
    }

    fn next(&mut self) -> Result<Event<'t>, Diagnostic> {
        match self.reader.read_event() {
            Ok(Event::DocType(_)) => Err(self.error("a DOCTYPE is not allowed in XLIFF here")),
            Ok(event) => Ok(event),
            Err(error) => Err(self.error(format!("malformed XML: {error}"))),
        }
    }

    fn document(&mut self) -> Result<Document, Diagnostic> {
        let mut document = Document::default();
        let mut saw_root = false;
        loop {
            match self.next()? {
                Event::Start(start) if start.local_name().as_ref() == "file" => {
                    let file = self.file(&start)?;
                    document.files.push(file);
                }
                Event::Start(start) if start.local_name().as_ref() == "xliff" => {
                    let version = self.attribute(&start, "version")?;
                    if version.as_deref() != Some("1.2") {
                        return Err(
                            self.error("not an XLIFF 1.2 document (<xliff version=\"1.2\">)")
                        );
                    }
                    saw_root = true;
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !saw_root {
            return Err(self.error("not an XLIFF document: no <xliff> element"));
        }
        Ok(document)
    }

    fn attribute(&self, start: &BytesStart<'_>, name: &str) -> Result<Option<String>, Diagnostic> {
        for attribute in start.attributes() {
            let attribute =
                attribute.map_err(|error| self.error(format!("bad attribute: {error}")))?;
            let key = attribute.key;
            let matches = key.local_name().as_ref() == name
                && (key.prefix().is_none()
                    || (name == "source-digest")
                    || (name == "space" && key.prefix().map(|p| p.into_inner()) == Some("xml")));
            if matches {
                let value = attribute
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|error| self.error(format!("bad attribute value: {error}")))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    fn required(&self, start: &BytesStart<'_>, name: &str) -> Result<String, Diagnostic> {
        self.attribute(start, name)?.ok_or_else(|| {
            self.error(format!(
                "<{}> has no {name} attribute",
                start.local_name().as_ref()
            ))
        })
    }

    fn file(&mut self, start: &BytesStart<'_>) -> Result<FileSection, Diagnostic> {
        let mut file = FileSection {
            original: self.required(start, "original")?,
            source_language: self.required(start, "source-language")?,
            target_language: self.required(start, "target-language")?,
            datatype: self.attribute(start, "datatype")?.unwrap_or_default(),
            source_digest: self.attribute(start, "source-digest")?.ok_or_else(|| {
                self.error("<file> records no briefing:source-digest: was it exported by briefing?")
            })?,
            units: Vec::new(),
        };
        loop {
            match self.next()? {
                Event::Start(start) if start.local_name().as_ref() == "trans-unit" => {
                    let unit = self.unit(&start)?;
                    file.units.push(unit);
                }
                Event::End(end) if end.local_name().as_ref() == "file" => return Ok(file),
                Event::Eof => return Err(self.error("the document ends inside <file>")),
                _ => {}
            }
        }
    }

    fn unit(&mut self, start: &BytesStart<'_>) -> Result<Unit, Diagnostic> {
        let id = self.required(start, "id")?;
        self.unit_id = Some(id.clone());
        let mut unit = Unit {
            id,
            resname: self.attribute(start, "resname")?,
            ..Unit::default()
        };
        loop {
            match self.next()? {
                Event::Start(start) => match start.local_name().as_ref() {
                    "source" => unit.source = self.content("source")?,
                    "target" => {
                        unit.state = self.attribute(&start, "state")?;
                        unit.target = Some(self.content("target")?);
                    }
                    "note" => unit.note = Some(self.content("note")?.plain()),
                    other => {
                        let other = other.to_string();
                        self.skip(&other)?;
                    }
                },
                Event::Empty(start) if start.local_name().as_ref() == "target" => {
                    unit.state = self.attribute(&start, "state")?;
                    unit.target = Some(Inline::default());
                }
                Event::End(end) if end.local_name().as_ref() == "trans-unit" => {
                    self.unit_id = None;
                    return Ok(unit);
                }
                Event::Eof => return Err(self.error("the document ends inside <trans-unit>")),
                _ => {}
            }
        }
    }

    /// Skips an element this reader has no use for (`<alt-trans>`, `<context-group>`).
    fn skip(&mut self, name: &str) -> Result<(), Diagnostic> {
        let mut depth = 1;
        while depth > 0 {
            match self.next()? {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                Event::Eof => return Err(self.error(format!("the document ends inside <{name}>"))),
                _ => {}
            }
        }
        Ok(())
    }

    /// The inline content of `<source>`, `<target>` or `<note>`, up to its end tag.
    fn content(&mut self, element: &str) -> Result<Inline, Diagnostic> {
        let mut inline = Inline::default();
        let mut open: Vec<String> = Vec::new();
        loop {
            match self.next()? {
                Event::Text(text) => inline.push_text(&text.xml10_content()),
                Event::CData(data) => inline.push_text(&data.xml10_content()),
                Event::GeneralRef(reference) => {
                    let resolved = self.reference(&reference)?;
                    inline.push_text(&resolved);
                }
                Event::Start(start) => self.inline_tag(&start, false, &mut inline, &mut open)?,
                Event::Empty(start) => self.inline_tag(&start, true, &mut inline, &mut open)?,
                Event::End(end) => {
                    let name = end.local_name().as_ref().to_string();
                    match (name.as_str(), open.pop()) {
                        ("g", Some(id)) => inline.push(Piece::Close { id }),
                        (_, None) if name == element => return Ok(inline),
                        _ => return Err(self.error(format!("unexpected </{name}>"))),
                    }
                }
                Event::Eof => {
                    return Err(self.error(format!("the document ends inside <{element}>")));
                }
                _ => {}
            }
        }
    }

    /// One inline element of a `<source>` or `<target>`: `<g>`, `<x/>` or `<ph>`.
    fn inline_tag(
        &mut self,
        start: &BytesStart<'_>,
        empty: bool,
        inline: &mut Inline,
        open: &mut Vec<String>,
    ) -> Result<(), Diagnostic> {
        let name = start.local_name().as_ref().to_string();
        if !matches!(name.as_str(), "g" | "x" | "ph") {
            return Err(self.error(format!(
                "<{name}> is not an inline element briefing writes (g, x, ph)"
            )));
        }
        let id = self.required(start, "id")?;
        let ctype = self.attribute(start, "ctype")?.unwrap_or_default();
        match (name.as_str(), empty) {
            ("x", _) => inline.push(Piece::Mark { id, ctype }),
            ("g", false) => {
                open.push(id.clone());
                inline.push(Piece::Open { id, ctype });
            }
            ("g", true) => {
                inline.push(Piece::Open {
                    id: id.clone(),
                    ctype,
                });
                inline.push(Piece::Close { id });
            }
            (_, empty) => {
                let native = if empty {
                    String::new()
                } else {
                    self.content("ph")?.plain()
                };
                inline.push(Piece::Code { id, ctype, native });
            }
        }
        if name == "x" && !empty {
            self.skip("x")?;
        }
        Ok(())
    }

    /// XML's five entities and character references; anything else would need a DTD.
    fn reference(&self, reference: &quick_xml::events::BytesRef<'_>) -> Result<String, Diagnostic> {
        if let Some(c) = reference
            .resolve_char_ref()
            .map_err(|error| self.error(format!("bad character reference: {error}")))?
        {
            return Ok(c.to_string());
        }
        let name = reference.xml10_content();
        match quick_xml::escape::resolve_predefined_entity(&name) {
            Some(text) => Ok(text.to_string()),
            None => Err(self.error(format!(
                "unknown entity &{name}; (entities are never expanded)"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        Document {
            files: vec![FileSection {
                original: "content/a/index.fr.md".into(),
                source_language: "fr".into(),
                target_language: "en".into(),
                datatype: "x-markdown".into(),
                source_digest: "abc".into(),
                units: vec![Unit {
                    id: "b-1".into(),
                    resname: None,
                    source: Inline(vec![
                        Piece::Text("Un & ".into()),
                        Piece::Open {
                            id: "1".into(),
                            ctype: "bold".into(),
                        },
                        Piece::Text("gras".into()),
                        Piece::Close { id: "1".into() },
                    ]),
                    target: Some(Inline::default()),
                    state: Some("new".into()),
                    note: Some("Titre — paragraph 1".into()),
                }],
            }],
        }
    }

    #[test]
    fn a_document_reads_back_as_written() {
        let xml = sample().to_xml();
        let read = Document::parse(Path::new("a.xlf"), &xml).unwrap();
        let unit = &read.files[0].units[0];
        assert_eq!(unit.source, sample().files[0].units[0].source);
        assert!(unit.lacks_target());
        assert_eq!(read.files[0].source_digest, "abc");
        assert_eq!(unit.note.as_deref(), Some("Titre — paragraph 1"));
    }

    #[test]
    fn doctypes_and_unknown_entities_are_refused() {
        let xml = sample().to_xml().replacen(
            "<xliff",
            "<!DOCTYPE xliff [<!ENTITY e \"boom\">]>\n<xliff",
            1,
        );
        let error = Document::parse(Path::new("a.xlf"), &xml).unwrap_err();
        assert!(error.message.contains("DOCTYPE"), "{}", error.message);
        let xml = sample().to_xml().replace("Un &amp; ", "Un &e; ");
        let error = Document::parse(Path::new("a.xlf"), &xml).unwrap_err();
        assert!(
            error.message.contains("unit \"b-1\": unknown entity &e;"),
            "{}",
            error.message
        );
        assert_eq!(error.line, Some(6));
    }
}
