//! The inline content of a translatable unit: text, and the markup a translator must keep,
//! as XLIFF 1.2 inline elements (`<g>` around text, `<x/>` alone, `<ph>` holding native code).

use std::collections::BTreeMap;

use quick_xml::escape::{escape, partial_escape};

/// One piece of a unit's content. Tag ids are unique within a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// `<g id ctype>`: markup around translatable text (emphasis, a link).
    Open {
        id: String,
        ctype: String,
    },
    Close {
        id: String,
    },
    /// `<x id ctype/>`: a standalone mark (footnote reference, line break).
    Mark {
        id: String,
        ctype: String,
    },
    /// `<ph id ctype>native</ph>`: code shown to the translator, never translated.
    Code {
        id: String,
        ctype: String,
        native: String,
    },
}

/// A unit's content, with adjacent texts merged so that equal content compares equal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inline(pub Vec<Piece>);

impl Inline {
    pub fn text(text: &str) -> Inline {
        let mut inline = Inline::default();
        inline.push_text(text);
        inline
    }

    pub fn push_text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Some(Piece::Text(last)) = self.0.last_mut() {
            last.push_str(text);
        } else {
            self.0.push(Piece::Text(text.to_string()));
        }
    }

    pub fn push(&mut self, piece: Piece) {
        match piece {
            Piece::Text(text) => self.push_text(&text),
            other => self.0.push(other),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0
            .iter()
            .all(|piece| matches!(piece, Piece::Text(t) if t.is_empty()))
    }

    /// The text alone, for notes and messages.
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .filter_map(|piece| match piece {
                Piece::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The kinds of the markup in order, which is what two versions of a block must share
    /// to line up (ids are numbered in order, so equal kinds give equal ids).
    pub fn markup_kinds(&self) -> Vec<(char, &str)> {
        self.0
            .iter()
            .filter_map(|piece| match piece {
                Piece::Text(_) => None,
                Piece::Open { ctype, .. } => Some(('g', ctype.as_str())),
                Piece::Close { .. } => Some(('/', "")),
                Piece::Mark { ctype, .. } => Some(('x', ctype.as_str())),
                Piece::Code { ctype, .. } => Some(('p', ctype.as_str())),
            })
            .collect()
    }

    /// Every tag by id, with its element name (`g`, `x`, `ph`): what a target must hold,
    /// in any order, to keep the source's markup.
    pub fn tag_ids(&self) -> BTreeMap<&str, &'static str> {
        self.0
            .iter()
            .filter_map(|piece| match piece {
                Piece::Open { id, .. } => Some((id.as_str(), "g")),
                Piece::Mark { id, .. } => Some((id.as_str(), "x")),
                Piece::Code { id, .. } => Some((id.as_str(), "ph")),
                _ => None,
            })
            .collect()
    }

    /// The content as XLIFF inline markup.
    pub fn to_xml(&self) -> String {
        let mut xml = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Text(text) => xml.push_str(&partial_escape(text.as_str())),
                Piece::Open { id, ctype } => xml.push_str(&format!(
                    "<g id=\"{}\" ctype=\"{}\">",
                    escape(id),
                    escape(ctype)
                )),
                Piece::Close { .. } => xml.push_str("</g>"),
                Piece::Mark { id, ctype } => xml.push_str(&format!(
                    "<x id=\"{}\" ctype=\"{}\"/>",
                    escape(id),
                    escape(ctype)
                )),
                Piece::Code { id, ctype, native } => xml.push_str(&format!(
                    "<ph id=\"{}\" ctype=\"{}\">{}</ph>",
                    escape(id),
                    escape(ctype),
                    partial_escape(native.as_str())
                )),
            }
        }
        xml
    }
}

/// How a target lost or invented markup, compared with its source.
pub fn markup_problem(source: &Inline, target: &Inline) -> Option<String> {
    let wanted = source.tag_ids();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (id, element) in target.tag_ids_with_repeats() {
        *seen.entry(id).or_default() += 1;
        match wanted.get(id) {
            None => {
                return Some(format!(
                    "the target has a <{element} id=\"{id}\"> the source has not"
                ));
            }
            Some(kind) if *kind != element => {
                return Some(format!(
                    "the target's tag id=\"{id}\" is a <{element}>, the source's a <{kind}>"
                ));
            }
            _ => {}
        }
    }
    if let Some((id, _)) = seen.iter().find(|(_, count)| **count > 1) {
        return Some(format!("the target repeats the tag id=\"{id}\""));
    }
    wanted
        .iter()
        .find(|(id, _)| !seen.contains_key(*id))
        .map(|(id, element)| format!("the target lost the source's <{element} id=\"{id}\">"))
}

impl Inline {
    fn tag_ids_with_repeats(&self) -> Vec<(&str, &'static str)> {
        self.0
            .iter()
            .filter_map(|piece| match piece {
                Piece::Open { id, .. } => Some((id.as_str(), "g")),
                Piece::Mark { id, .. } => Some((id.as_str(), "x")),
                Piece::Code { id, .. } => Some((id.as_str(), "ph")),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Inline {
        Inline(vec![
            Piece::Text("a ".into()),
            Piece::Open {
                id: "1".into(),
                ctype: "bold".into(),
            },
            Piece::Text("b".into()),
            Piece::Close { id: "1".into() },
            Piece::Mark {
                id: "2".into(),
                ctype: "lb".into(),
            },
        ])
    }

    #[test]
    fn xml_escapes_text_and_names_tags() {
        let mut inline = source();
        inline.push_text("<&>");
        assert_eq!(
            inline.to_xml(),
            "a <g id=\"1\" ctype=\"bold\">b</g><x id=\"2\" ctype=\"lb\"/>&lt;&amp;&gt;"
        );
    }

    #[test]
    fn lost_and_invented_markup_is_named() {
        let mut lost = source();
        lost.0.pop();
        assert_eq!(
            markup_problem(&source(), &lost).unwrap(),
            "the target lost the source's <x id=\"2\">"
        );
        let mut invented = source();
        invented.push(Piece::Mark {
            id: "9".into(),
            ctype: "lb".into(),
        });
        assert!(
            markup_problem(&source(), &invented)
                .unwrap()
                .contains("id=\"9\"")
        );
        assert_eq!(markup_problem(&source(), &source()), None);
    }
}
