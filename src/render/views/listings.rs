//! Render stage, the listing pages: the tag index (with counts and descriptions) and the
//! timeline (by year, planned events set apart), from the model and the locale tables.

use super::data::*;
use super::jobs::JobKind;
use super::paging::{page_path, page_range};
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

    /// Page `number` of the timeline: `page_size` events, newest first, with the list of
    /// every year linked on the page where it starts.
    pub(super) fn timeline(&self, language: &LanguageModel, number: usize) -> Lookup<Job> {
        let lang = &language.lang;
        let first = language.section_path(&language.segments.timeline);
        let path = page_path(&first, &language.segments.page, number);
        let events = &language.timeline;
        let size = self.options.page_size;
        let mut planned = Vec::new();
        let mut years: Vec<TimelineYear> = Vec::new();
        for event in &events[page_range(events.len(), size, number)] {
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
        let index = self
            .timeline_years(language)
            .iter()
            .map(|(year, count, page)| {
                let (year, count, page) = (year.clone(), *count, *page);
                let target = page_path(&first, &language.segments.page, page);
                let anchor = if year.is_empty() {
                    "planned".to_string()
                } else {
                    format!("year-{year}")
                };
                let href = if page == number {
                    format!("#{anchor}")
                } else {
                    format!("{}#{anchor}", self.href(&path, &target))
                };
                TimelineYearLink { year, count, href }
            })
            .collect();
        let kind = JobKind::Timeline {
            lang: self.language_index(language),
            page: number,
        };
        let translations = self.translations(kind);
        let title = self.message(lang, &messages::TIMELINE_TITLE, &[])?;
        let description = self.message(lang, &messages::TIMELINE_DESCRIPTION, &[])?;
        let mut page =
            self.page_context("timeline", &path, lang, title, description, &translations)?;
        page.pagination = self.pagination(&first, &path, language, number, events.len());
        let data = ViewData::Timeline {
            planned,
            years,
            index,
            count: events.len(),
        };
        Ok(self.job(path, "timeline.html", lang, page, data, None))
    }

    /// The planned events (year `""`), then each year of the timeline, with its number of
    /// events and the page (from 0) where it starts: what every page's list of years shows.
    pub(super) fn timeline_years(&self, language: &LanguageModel) -> &[(String, usize, usize)] {
        self.timeline_years[self.language_index(language)]
            .get_or_init(|| self.count_timeline_years(language))
    }

    fn count_timeline_years(&self, language: &LanguageModel) -> Vec<(String, usize, usize)> {
        let size = self.options.page_size.max(1);
        let mut years: Vec<(String, usize, usize)> = Vec::new();
        for (at, event) in language.timeline.iter().enumerate() {
            let year = if self.is_planned(&event.date) {
                String::new()
            } else {
                event.date.year.to_string()
            };
            match years.iter_mut().find(|(known, _, _)| *known == year) {
                Some((_, count, _)) => *count += 1,
                None => years.push((year, 1, at / size)),
            }
        }
        // Planned events come first in the list, wherever they fall in the timeline.
        years.sort_by_key(|(year, _, _)| !year.is_empty());
        years
    }

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
