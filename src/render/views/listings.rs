//! Render stage, the listing pages: the tag index (with counts and descriptions) and the
//! timeline (by year, planned events set apart), from the model and the locale tables.

use super::Section;
use super::data::*;
use super::typography;
use super::{Job, LanguageModel, Lookup, Planner};
use crate::content::date::Date;
use crate::messages;

impl Planner<'_> {
    pub(super) fn tags_list(&self, language: &LanguageModel) -> Lookup<Job> {
        let lang = &language.lang;
        let list_path = language.section_path(&language.segments.tags);
        let mut summaries: Vec<(String, TagSummary)> = language
            .tags
            .iter()
            .map(|tag| {
                Ok((
                    slug::slugify(&tag.name),
                    TagSummary {
                        name: tag.name.clone(),
                        href: self.href(&list_path, &tag.path),
                        count: tag.topics.len(),
                        description: self.tag_description(lang, &tag.id)?,
                    },
                ))
            })
            .collect::<Lookup<_>>()?;
        summaries.sort_by(|a, b| a.0.cmp(&b.0));
        let translations = self.every_language(|l| l.section_path(&l.segments.tags));
        let title = self.message(lang, &messages::TAGS_TITLE, &[])?;
        let description = self.message(lang, &messages::TAGS_DESCRIPTION, &[])?;
        let page =
            self.page_context("tags", &list_path, lang, title, description, &translations)?;
        let tags = summaries.into_iter().map(|(_, summary)| summary).collect();
        Ok(self.job(
            list_path,
            "tags.html",
            lang,
            page,
            ViewData::Tags { tags },
            None,
        ))
    }

    pub(super) fn timeline(&self, language: &LanguageModel) -> Lookup<Job> {
        let lang = &language.lang;
        let path = language.section_path(&language.segments.timeline);
        let mut planned = Vec::new();
        let mut years: Vec<TimelineYear> = Vec::new();
        for event in language.timeline.iter() {
            let topic = &language.topics[event.topic];
            let date = self.date_range(lang, &event.date, event.end.as_ref(), &topic.page.path)?;
            let year = event.date.year.to_string();
            let item = TimelineItem {
                within_year: typography::date_html(&typography::without_year(&date.text, &year)),
                date,
                text: event.text.clone(),
                topic: Link {
                    text: topic.page.title.clone(),
                    href: self.href(&path, &topic.path),
                },
                planned: self.is_planned(&event.date),
            };
            if item.planned {
                planned.push(item);
                continue;
            }
            match years.last_mut() {
                Some(last) if last.year == year => last.events.push(item),
                _ => years.push(TimelineYear {
                    year,
                    events: vec![item],
                }),
            }
        }
        // The timeline runs newest first; what is announced reads best soonest first.
        planned.reverse();
        let translations = self.section_translations(Section::Timeline);
        let title = self.message(lang, &messages::TIMELINE_TITLE, &[])?;
        let description = self.message(lang, &messages::TIMELINE_DESCRIPTION, &[])?;
        let page = self.page_context("timeline", &path, lang, title, description, &translations)?;
        let count = language.timeline.len();
        let data = ViewData::Timeline {
            planned,
            years,
            count,
        };
        Ok(self.job(path, "timeline.html", lang, page, data, None))
    }

    /// An event is planned when even its earliest possible day comes after the date the
    /// site is current to: "2024-11" is not planned on 1 November 2024.
    fn is_planned(&self, date: &Date) -> bool {
        let earliest = |d: &Date| (d.year, d.month.unwrap_or(1), d.day.unwrap_or(1));
        self.newest
            .is_some_and(|newest| earliest(date) > earliest(&newest))
    }

    /// `tag-<id>-description`, where the language's tables have it.
    fn tag_description(&self, lang: &str, id: &str) -> Lookup<Option<String>> {
        let key = format!("tag-{id}-description");
        if !self.locales.has_message(lang, &key) {
            return Ok(None);
        }
        self.locales
            .message(lang, &key, &[])
            .map(Some)
            .map_err(|error| super::LookupProblem {
                error,
                needed_for: None,
            })
    }
}
