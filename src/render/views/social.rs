//! Render stage, what link previews and search engines read of a page: Open Graph and
//! Twitter card `<meta>` properties, and the `Article` JSON-LD of topics and standalone
//! pages (headline, dates, language, publisher).

use super::data::{MetaTag, PageContext};
use super::{Lookup, Planner};
use crate::messages;
use crate::model::TopicModel;
use crate::render::json_ld::{self, Article};
use crate::urls::SitePath;

fn meta(attribute: &'static str, key: &str, content: impl Into<String>) -> MetaTag {
    MetaTag {
        attribute,
        key: key.to_string(),
        content: content.into(),
    }
}

impl Planner<'_> {
    /// The Open Graph and Twitter properties every page has, as a website.
    pub(super) fn social(
        &self,
        lang: &str,
        title: &str,
        description: &str,
        canonical: &str,
        translations: &[(String, SitePath)],
    ) -> Lookup<Vec<MetaTag>> {
        let mut tags = vec![
            meta("property", "og:type", "website"),
            meta("property", "og:title", title),
            meta("property", "og:description", description),
            meta("property", "og:url", canonical),
            meta(
                "property",
                "og:site_name",
                self.message(lang, &messages::SITE_TITLE, &[])?,
            ),
            meta(
                "property",
                "og:locale",
                self.message(lang, &messages::OG_LOCALE, &[])?,
            ),
        ];
        for (other, _) in translations.iter().filter(|(other, _)| other != lang) {
            tags.push(meta(
                "property",
                "og:locale:alternate",
                self.message(other, &messages::OG_LOCALE, &[])?,
            ));
        }
        tags.push(meta("name", "twitter:card", "summary"));
        tags.push(meta("name", "twitter:title", title));
        tags.push(meta("name", "twitter:description", description));
        Ok(tags)
    }

    /// Makes the page of a topic or standalone page an article: its type, image and
    /// `Article` structured data.
    pub(super) fn make_article(
        &self,
        lang: &str,
        model: &TopicModel,
        context: &mut PageContext,
    ) -> Lookup<()> {
        let page = &model.page;
        let image = page.image.as_ref().map(|image| {
            if image.contains("://") {
                image.clone()
            } else {
                format!(
                    "{}{}",
                    self.absolute(&model.path),
                    image.trim_start_matches("./")
                )
            }
        });
        for tag in &mut context.social {
            if tag.key == "og:type" {
                tag.content = "article".into();
            }
        }
        context
            .social
            .push(meta("property", "article:published_time", page.date.iso()));
        if let Some(updated) = page.updated {
            context
                .social
                .push(meta("property", "article:modified_time", updated.iso()));
        }
        if let Some(image) = &image {
            context
                .social
                .push(meta("property", "og:image", image.clone()));
            context
                .social
                .push(meta("name", "twitter:image", image.clone()));
        }
        let publisher = self.message(lang, &messages::ORGANISATION_NAME, &[])?;
        context.json_ld.push(json_ld::article(&Article {
            headline: &page.title,
            description: &page.summary,
            url: &context.canonical,
            lang,
            published: page.date.iso(),
            modified: page.updated.unwrap_or(page.date).iso(),
            publisher: &publisher,
            image,
        }));
        Ok(())
    }
}
