//! Parse stage helper: the HTML of what a briefing's Markdown adds to CommonMark: call-outs
//! from GitHub-style alerts (`> [!NOTE]`) with a label in the page's language, images with
//! their `width`/`height` and `loading="lazy"`, and figures (an image alone in a paragraph,
//! with a title) with their caption.

use std::path::Path;

use pulldown_cmark::BlockQuoteKind;

use crate::content::markdown::Spot;
use crate::diagnostic::Diagnostic;

/// The label of each kind of call-out, in one language (`callout-note` … in the locale
/// tables).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CalloutLabels {
    pub note: String,
    pub tip: String,
    pub important: String,
    pub warning: String,
    pub caution: String,
}

impl Default for CalloutLabels {
    fn default() -> Self {
        CalloutLabels {
            note: "Note".into(),
            tip: "Tip".into(),
            important: "Important".into(),
            warning: "Warning".into(),
            caution: "Caution".into(),
        }
    }
}

/// The kinds of call-out, by the name of their class and message (`callout-<name>`).
pub const CALLOUT_KINDS: [&str; 5] = ["note", "tip", "important", "warning", "caution"];

impl CalloutLabels {
    /// Labels from a lookup of each kind's name (`note` …); a kind it lacks keeps its
    /// English label.
    pub fn from_lookup(mut label: impl FnMut(&str) -> Option<String>) -> CalloutLabels {
        let mut labels = CalloutLabels::default();
        for kind in CALLOUT_KINDS {
            if let Some(text) = label(kind) {
                *labels.slot(kind) = text;
            }
        }
        labels
    }

    fn slot(&mut self, kind: &str) -> &mut String {
        match kind {
            "note" => &mut self.note,
            "tip" => &mut self.tip,
            "important" => &mut self.important,
            "warning" => &mut self.warning,
            _ => &mut self.caution,
        }
    }

    fn of(&self, kind: BlockQuoteKind) -> (&'static str, &str) {
        match kind {
            BlockQuoteKind::Note => ("note", &self.note),
            BlockQuoteKind::Tip => ("tip", &self.tip),
            BlockQuoteKind::Important => ("important", &self.important),
            BlockQuoteKind::Warning => ("warning", &self.warning),
            BlockQuoteKind::Caution => ("caution", &self.caution),
        }
    }
}

/// What bodies are rendered with besides their text: call-out labels and image sizes.
pub struct Media<'a> {
    pub callouts: CalloutLabels,
    /// The size of the image a (relative) link names, when it is a file that has one.
    pub image_size: &'a (dyn Fn(&str) -> Option<(u32, u32)> + Sync),
}

fn no_sizes(_: &str) -> Option<(u32, u32)> {
    None
}

impl Default for Media<'static> {
    fn default() -> Self {
        Media {
            callouts: CalloutLabels::default(),
            image_size: &no_sizes,
        }
    }
}

/// An image of a body, read up to its end.
#[derive(Debug, Default)]
pub struct PendingImage {
    pub src: String,
    pub title: String,
    pub alt: String,
    pub spot: Option<Spot>,
}

/// An image without alternative text, where it is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct MissingAlt {
    pub src: String,
    pub spot: Spot,
}

pub fn callout_open(kind: BlockQuoteKind, labels: &CalloutLabels) -> String {
    let (name, label) = labels.of(kind);
    format!(
        "<div class=\"callout callout--{name}\" role=\"note\">\n<p class=\"callout__label\">{}</p>\n",
        escape(label)
    )
}

pub const CALLOUT_CLOSE: &str = "</div>\n";

pub fn image_html(image: &PendingImage, size: Option<(u32, u32)>) -> String {
    let mut html = format!(
        "<img src=\"{}\" alt=\"{}\"",
        escape_href(&image.src),
        escape(image.alt.trim())
    );
    if !image.title.is_empty() {
        html.push_str(&format!(" title=\"{}\"", escape(&image.title)));
    }
    if let Some((width, height)) = size {
        html.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
    }
    html.push_str(" loading=\"lazy\">");
    html
}

/// A figure: the image, and its title as the caption.
pub fn figure_html(img: &str, caption: &str) -> String {
    format!(
        "<figure>\n{img}\n<figcaption>{}</figcaption>\n</figure>\n",
        escape(caption)
    )
}

/// An error for each image of the body written without alternative text.
pub fn missing_alt_errors(path: &Path, text: &str, images: &[MissingAlt]) -> Vec<Diagnostic> {
    images
        .iter()
        .map(|image| {
            Diagnostic::error(
                "image-alt-missing",
                path,
                format!("image \"{}\" has no alternative text", image.src),
            )
            .at_line_column(Some(text), image.spot.line, image.spot.column)
            .with_help(format!(
                "say what the image shows between the brackets: ![…]({})",
                image.src
            ))
        })
        .collect()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

fn escape_href(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    pulldown_cmark_escape::escape_href(&mut out, href).expect("writing to a String cannot fail");
    out
}
