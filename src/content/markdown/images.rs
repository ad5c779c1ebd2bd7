//! Parse stage, the images of a body: each written with its size once its alternative text
//! is read, and a paragraph holding only an image with a title turned into a figure.

use pulldown_cmark::Event;

use super::{Spot, State};
use crate::content::media::{self, MissingAlt};

impl State<'_, '_> {
    /// Writes the image just read, with its size, and notes a missing alternative text.
    pub(super) fn finish_image(&mut self) {
        let Some(mut image) = self.image.take() else {
            return;
        };
        if image.alt.trim().is_empty() {
            self.body.images_without_alt.push(MissingAlt {
                src: image.src.clone(),
                spot: image.spot.unwrap_or(Spot { line: 1, column: 1 }),
            });
        }
        let size = (self.media.image_size)(&image.src);
        let html = media::image_html(&image, size);
        self.emit(Event::InlineHtml(html.into()));
        self.lone_image = match (&self.heading, image.title.is_empty()) {
            (None, false) => {
                // In a figure the title is the caption, not also a tooltip.
                let caption = std::mem::take(&mut image.title);
                let img = media::image_html(&image, size);
                Some((self.events.len() - 1, caption, img))
            }
            _ => None,
        };
    }

    /// Turns the paragraph just closed into a figure when it holds only an image with a
    /// title; returns whether it did.
    pub(super) fn make_figure(&mut self) -> bool {
        let (Some(start), Some((at, title, img))) = (self.paragraph_start, &self.lone_image) else {
            return false;
        };
        if self.heading.is_some() || *at != start + 1 || self.events.len() != start + 2 {
            return false;
        }
        let figure = media::figure_html(img, title);
        self.events.truncate(start);
        self.events.push(Event::Html(figure.into()));
        self.lone_image = None;
        self.paragraph_start = None;
        true
    }
}
