//! Render stage, the view of a standalone page of `content/_pages/` (About,
//! Accessibility…): its text, "On this page" and sources, as an article.

use super::data::*;
use super::{Job, LanguageModel, Lookup, Planner};
use crate::content::page::Page;
use crate::model::TopicModel;

impl Planner<'_> {
    /// A standalone page of `content/_pages/`.
    pub(super) fn standalone(&self, language: &LanguageModel, model: &TopicModel) -> Lookup<Job> {
        let lang = &language.lang;
        let page = &model.page;
        let path = model.path.clone();
        let context = self.article_context("page", lang, model)?;
        let view = StandaloneView {
            id: page.id().to_string(),
            title: page.title.clone(),
            summary: page.summary.clone(),
            date: self.date(lang, &page.date, &page.path)?,
            updated: page
                .updated
                .as_ref()
                .map(|d| self.date(lang, d, &page.path))
                .transpose()?,
            body: model.body.html(),
            toc: toc(page),
            sources: self.sources(lang, page)?,
            draft: page.draft,
        };
        Ok(self.job(
            path,
            "page.html",
            lang,
            context,
            ViewData::Standalone { standalone: view },
            Some(page.path.clone()),
        ))
    }
}

/// The second-level headings of a page: its "On this page" list.
pub(super) fn toc(page: &Page) -> Vec<TocEntry> {
    page.body
        .headings
        .iter()
        .filter(|heading| heading.level == 2)
        .map(|heading| TocEntry {
            id: heading.id.clone(),
            text: heading.text.clone(),
            level: heading.level,
        })
        .collect()
}
