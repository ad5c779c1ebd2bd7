//! Render stage, the pages: the view of each kind of output (chooser, 404, home, topic, tags,
//! timeline, glossary, search, feed), from the model and the locale tables.

use std::path::PathBuf;

use super::JobKind;
use super::Section;
use super::data::*;
use super::paging::{page_path, page_range};
use super::{FEED_ENTRIES, Job, LanguageModel, Lookup, Planner};
use crate::content::page::Page;
use crate::i18n::Arg;
use crate::messages;
use crate::model::TopicModel;
use crate::urls::{LinkStyle, SitePath, relative};

impl Planner<'_> {
    pub(super) fn chooser(&self) -> Lookup<Job> {
        let path = SitePath::root();
        let lang = self.options.languages[0].clone();
        let languages = self.chooser_entries(&path)?;
        let title = self
            .options
            .languages
            .iter()
            .map(|lang| self.message(lang, &messages::SITE_TITLE, &[]))
            .collect::<Lookup<Vec<_>>>()?
            .join(" | ");
        let description = self.message(&lang, &messages::SITE_DESCRIPTION, &[])?;
        let translations = self.every_language(LanguageModel::home_path);
        let mut page =
            self.page_context("chooser", &path, &lang, title, description, &translations)?;
        page.x_default = self.absolute(&path);
        page.switcher.clear();
        Ok(Job {
            path,
            template: "index.html",
            view: View {
                lang,
                page: Some(page),
                data: ViewData::Chooser { languages },
            },
            source: None,
            languages: self.options.languages.to_vec(),
        })
    }

    fn chooser_entries(&self, from: &SitePath) -> Lookup<Vec<ChooserEntry>> {
        self.model
            .languages
            .iter()
            .map(|language| {
                Ok(ChooserEntry {
                    lang: language.lang.clone(),
                    name: self.message(&language.lang, &messages::LANGUAGE_NAME, &[])?,
                    href: self.href(from, &language.home_path()),
                    search: self.href(from, &crate::search::search_page_path(language)),
                })
            })
            .collect()
    }

    pub(super) fn not_found(&self) -> Lookup<Job> {
        let path = SitePath::file("404.html");
        let lang = self.options.languages[0].clone();
        let title = self.message(&lang, &messages::NOT_FOUND_TITLE, &[])?;
        let description = self.message(&lang, &messages::NOT_FOUND_TEXT, &[])?;
        let mut page = self.page_context("not-found", &path, &lang, title, description, &[])?;
        page.switcher.clear();
        page.alternates.clear();
        // Served at any missing address: nothing there to preview or share.
        page.social.clear();
        let mut languages = self.chooser_entries(&path)?;
        // A server shows this page at any depth, so its links start from the site's path
        // (the path of base_url, whatever host serves it); opened from disk it sits at the
        // root and its relative links are right.
        if self.options.link_style == LinkStyle::Server {
            let site_root = site_root_path(self.options.base_url);
            let rooted = |href: &mut String| *href = format!("{site_root}{href}");
            rooted(&mut page.root);
            for entry in &mut languages {
                rooted(&mut entry.href);
                rooted(&mut entry.search);
            }
            for item in page.menus.main.iter_mut().chain(&mut page.menus.footer) {
                rooted(&mut item.href);
            }
            if let Some(logo) = &mut page.identity.logo {
                rooted(&mut logo.src);
            }
            if let Some(nav) = &mut page.nav {
                for href in [
                    &mut nav.chooser,
                    &mut nav.home,
                    &mut nav.tags,
                    &mut nav.search,
                    &mut nav.feed,
                ]
                .into_iter()
                .chain(nav.timeline.as_mut())
                .chain(nav.glossary.as_mut())
                {
                    rooted(href);
                }
            }
        }
        Ok(Job {
            path,
            template: "404.html",
            view: View {
                lang,
                page: Some(page),
                data: ViewData::NotFound { languages },
            },
            source: None,
            languages: self.options.languages.to_vec(),
        })
    }

    fn card(
        &self,
        from: &SitePath,
        language: &LanguageModel,
        topic: &TopicModel,
    ) -> Lookup<TopicCard> {
        let page = &topic.page;
        Ok(TopicCard {
            id: page.topic.clone(),
            title: page.title.clone(),
            summary: page.summary.clone(),
            href: self.href(from, &topic.path),
            date: self.date(&language.lang, &page.date, &page.path)?,
            tags: self.tag_links(from, language, &topic.tags),
        })
    }

    fn tag_links(&self, from: &SitePath, language: &LanguageModel, tags: &[usize]) -> Vec<Link> {
        tags.iter()
            .map(|index| {
                let tag = &language.tags[*index];
                Link {
                    text: tag.name.clone(),
                    href: self.href(from, &tag.path),
                }
            })
            .collect()
    }

    pub(super) fn job(
        &self,
        path: SitePath,
        template: &'static str,
        lang: &str,
        page: PageContext,
        data: ViewData,
        source: Option<PathBuf>,
    ) -> Job {
        Job {
            path,
            template,
            view: View {
                lang: lang.to_string(),
                page: Some(page),
                data,
            },
            source,
            languages: self.options.languages.to_vec(),
        }
    }

    pub(super) fn home(&self, language: &LanguageModel, number: usize) -> Lookup<Job> {
        let lang = &language.lang;
        let first = language.home_path();
        let path = page_path(&first, &language.segments.page, number);
        let source = language.home.as_ref().map(|home| home.path.clone());
        let title = match language.home.as_ref().and_then(|home| home.title.clone()) {
            Some(title) => title,
            None => self.message(lang, &messages::SITE_TITLE, &[])?,
        };
        let description = match language.home.as_ref().and_then(|home| home.summary.clone()) {
            Some(summary) => summary,
            None => self.message(lang, &messages::SITE_DESCRIPTION, &[])?,
        };
        let kind = JobKind::Home {
            lang: self.language_index(language),
            page: number,
        };
        let translations = self.translations(kind);
        let mut page = self.page_context("home", &path, lang, title, description, &translations)?;
        let range = page_range(language.topics.len(), self.options.page_size, number);
        page.pagination = self.pagination(&first, &path, language, number, language.topics.len());
        let mut groups: Vec<Vec<TopicCard>> = Vec::new();
        let mut group_of_last = None;
        for topic in &language.topics[range] {
            let group = topic.page.weight.map(|weight| weight.div_euclid(100));
            let card = self.card(&path, language, topic)?;
            match groups.last_mut() {
                Some(last) if group_of_last == Some(group) => last.push(card),
                _ => groups.push(vec![card]),
            }
            group_of_last = Some(group);
        }
        let updated = match language
            .home
            .as_ref()
            .and_then(|home| home.updated.map(|d| (d, home.path.clone())))
        {
            Some((date, file)) => Some(self.date(lang, &date, &file)?),
            None => None,
        };
        let data = ViewData::Home {
            // The introduction opens the first page only.
            intro: if number == 0 {
                language.home_html.to_string()
            } else {
                String::new()
            },
            updated,
            groups,
            topic_count: language.topics.len(),
        };
        Ok(self.job(path, "home.html", lang, page, data, source))
    }

    /// What every page of a topic or standalone page has: its context in every language, as
    /// an article (Open Graph, JSON-LD).
    pub(super) fn article_context(
        &self,
        kind: &'static str,
        lang: &str,
        model: &TopicModel,
    ) -> Lookup<PageContext> {
        let page = &model.page;
        let translations = self.topic_translations(&page.topic);
        let mut context = self.page_context(
            kind,
            &model.path,
            lang,
            page.title.clone(),
            page.summary.clone(),
            &translations,
        )?;
        self.make_article(lang, model, &mut context)?;
        Ok(context)
    }

    pub(super) fn topic(&self, language: &LanguageModel, topic: &TopicModel) -> Lookup<Job> {
        let lang = &language.lang;
        let page = &topic.page;
        let path = topic.path.clone();
        let mut context = self.article_context("topic", lang, topic)?;
        let sources = self.sources(lang, page)?;
        let mut events = page
            .events
            .iter()
            .map(|event| {
                Ok((
                    event.date.sort_key(),
                    EventView {
                        date: self.date_range(lang, &event.date, event.end.as_ref(), &page.path)?,
                        text: event.text.clone(),
                    },
                ))
            })
            .collect::<Lookup<Vec<_>>>()?;
        events.sort_by_key(|(key, _)| *key);
        let related = topic
            .related
            .iter()
            .map(|index| self.card(&path, language, &language.topics[*index]))
            .collect::<Lookup<Vec<_>>>()?;
        let modified = page.updated.unwrap_or(page.date);
        context.modified = Some(self.date(lang, &modified, &page.path)?);
        const WORDS_PER_MINUTE: usize = 220;
        let view = TopicView {
            id: page.topic.clone(),
            title: page.title.clone(),
            summary: page.summary.clone(),
            date: self.date(lang, &page.date, &page.path)?,
            updated: page
                .updated
                .as_ref()
                .map(|d| self.date(lang, d, &page.path))
                .transpose()?,
            tags: self.tag_links(&path, language, &topic.tags),
            body: topic.body.html(),
            toc: super::standalone::toc(page),
            reading_minutes: page.body.word_count.div_ceil(WORDS_PER_MINUTE).max(1),
            sources,
            events: events.into_iter().map(|(_, event)| event).collect(),
            related,
            draft: page.draft,
        };
        Ok(self.job(
            path,
            "topic.html",
            lang,
            context,
            ViewData::Topic { topic: view },
            Some(page.path.clone()),
        ))
    }

    pub(super) fn sources(&self, lang: &str, page: &Page) -> Lookup<Vec<SourceView>> {
        page.sources
            .iter()
            .map(|source| {
                Ok(SourceView {
                    publisher: source.publisher.clone(),
                    title: source.title.clone(),
                    date: source
                        .date
                        .as_ref()
                        .map(|d| self.date(lang, d, &page.path))
                        .transpose()?,
                    url: source.url.clone(),
                })
            })
            .collect()
    }

    pub(super) fn tag_page(
        &self,
        language: &LanguageModel,
        index: usize,
        number: usize,
    ) -> Lookup<Job> {
        let lang = &language.lang;
        let tag = &language.tags[index];
        let count = Arg::Number(tag.topics.len() as f64);
        let name = Arg::Text(tag.name.clone());
        let title = self.message(lang, &messages::TAG_PAGE_TITLE, &[("tag", name.clone())])?;
        let description = self.message(
            lang,
            &messages::TAG_PAGE_DESCRIPTION,
            &[("tag", name), ("count", count)],
        )?;
        let kind = JobKind::Tag {
            lang: self.language_index(language),
            tag: index,
            page: number,
        };
        let path = page_path(&tag.path, &language.segments.page, number);
        let translations = self.translations(kind);
        let mut page = self.page_context("tag", &path, lang, title, description, &translations)?;
        page.pagination = self.pagination(&tag.path, &path, language, number, tag.topics.len());
        let range = page_range(tag.topics.len(), self.options.page_size, number);
        let topics = tag.topics[range]
            .iter()
            .map(|index| self.card(&path, language, &language.topics[*index]))
            .collect::<Lookup<Vec<_>>>()?;
        let summary = TagSummary {
            name: tag.name.clone(),
            href: self.href(&path, &tag.path),
            count: tag.topics.len(),
            description: None,
        };
        Ok(self.job(
            path,
            "tag.html",
            lang,
            page,
            ViewData::Tag {
                tag: summary,
                topics,
            },
            None,
        ))
    }

    pub(super) fn glossary(&self, language: &LanguageModel) -> Lookup<Job> {
        let lang = &language.lang;
        let path = language.section_path(&language.segments.glossary);
        let mut terms: Vec<GlossaryEntry> = self
            .glossary
            .terms(lang)
            .iter()
            .map(|term| GlossaryEntry {
                short: term.short.clone(),
                expansion: term.expansion.clone(),
            })
            .collect();
        terms.sort_by_cached_key(|term| slug::slugify(&term.short));
        let translations = self.section_translations(Section::Glossary);
        let title = self.message(lang, &messages::GLOSSARY_TITLE, &[])?;
        let description = self.message(lang, &messages::GLOSSARY_DESCRIPTION, &[])?;
        let page = self.page_context("glossary", &path, lang, title, description, &translations)?;
        Ok(self.job(
            path,
            "glossary.html",
            lang,
            page,
            ViewData::Glossary { terms },
            None,
        ))
    }

    pub(super) fn search(&self, language: &LanguageModel) -> Lookup<Job> {
        let lang = &language.lang;
        let path = crate::search::search_page_path(language);
        let translations = self.every_language(crate::search::search_page_path);
        let title = self.message(lang, &messages::SEARCH_TITLE, &[])?;
        let description = self.message(lang, &messages::SEARCH_DESCRIPTION, &[])?;
        let page = self.page_context("search", &path, lang, title, description, &translations)?;
        let data = ViewData::Search {
            index: relative(
                &path,
                &crate::search::index_path(language),
                LinkStyle::Server,
            ),
            count_samples: crate::search::plural_samples(lang)
                .into_iter()
                .map(|(category, count)| PluralSample { category, count })
                .collect(),
        };
        Ok(self.job(path, "search.html", lang, page, data, None))
    }

    pub(super) fn feed(&self, language: &LanguageModel) -> Lookup<Job> {
        let lang = &language.lang;
        let path = language.feed_path();
        let topics = feed_topics(language);
        let entries: Vec<FeedEntry> = topics
            .iter()
            .map(|topic| FeedEntry {
                title: topic.page.title.clone(),
                url: self.absolute(&topic.path),
                published: topic.page.date.rfc3339(),
                updated: topic.page.updated.unwrap_or(topic.page.date).rfc3339(),
                summary: topic.page.summary.clone(),
                content: topic.body.html(),
                categories: topic
                    .tags
                    .iter()
                    .map(|index| language.tags[*index].name.clone())
                    .collect(),
            })
            .collect();
        let updated = entries.first().map_or_else(
            || "1970-01-01T00:00:00Z".to_string(),
            |entry| entry.updated.clone(),
        );
        let data = ViewData::Feed {
            feed_url: self.absolute(&path),
            home_url: self.absolute(&language.home_path()),
            updated,
            entries,
        };
        Ok(Job {
            path,
            template: "atom.xml",
            view: View {
                lang: lang.clone(),
                page: None,
                data,
            },
            source: None,
            languages: vec![lang.clone()],
        })
    }
}

/// The topics a feed carries: the most recently published or updated, as feed readers expect.
pub(super) fn feed_topics(language: &LanguageModel) -> Vec<&TopicModel> {
    let latest = language.by_last_change.iter().take(FEED_ENTRIES);
    latest
        .map(|at| language.topics[*at as usize].as_ref())
        .collect()
}

/// The path part of a site address: `/briefing/` for `https://example.gc.ca/briefing/`.
fn site_root_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(at) => after_scheme[at..].to_string(),
        None => "/".to_string(),
    }
}
