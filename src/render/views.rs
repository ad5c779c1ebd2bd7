//! Render stage: `SiteModel` → one view struct per output, made for the templates (never the
//! internal model). Every URL is computed here, relative to the page that shows it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::content::date::Date;
use crate::content::glossary::Glossary;
use crate::diagnostic::Diagnostic;
use crate::i18n::{Arg, Locales, LookupError};
use crate::messages::{self, CodeMessage};
use crate::model::{LanguageModel, SiteModel, TopicModel};
use crate::urls::{LinkStyle, SitePath, relative};

mod jobs;

pub use jobs::JobKind;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Link {
    pub text: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DateView {
    /// For `<time datetime>`: `2024-05-14`, `2023-07` or `2012`.
    pub iso: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Alternate {
    pub lang: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LanguageLink {
    pub lang: String,
    /// The language's name in that language.
    pub name: String,
    pub href: String,
    /// Whether the link leads to the same page in that language (or, lacking a
    /// translation, to that language's home page).
    pub translated: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Nav {
    pub chooser: String,
    pub home: String,
    pub tags: String,
    pub timeline: String,
    pub glossary: String,
    pub search: String,
    pub feed: String,
}

/// What every HTML page has: `page` in the templates.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PageContext {
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub alternates: Vec<Alternate>,
    pub x_default: String,
    pub switcher: Vec<LanguageLink>,
    /// Relative link to the site root folder, to prefix static files: `../../`.
    pub root: String,
    pub nav: Option<Nav>,
    pub offline: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TopicCard {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub href: String,
    pub date: DateView,
    pub tags: Vec<Link>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceView {
    pub publisher: String,
    pub title: String,
    pub date: Option<DateView>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventView {
    pub date: DateView,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TocEntry {
    pub id: String,
    pub text: String,
    pub level: u8,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TopicView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub date: DateView,
    pub updated: Option<DateView>,
    pub tags: Vec<Link>,
    pub body: String,
    pub toc: Vec<TocEntry>,
    pub reading_minutes: usize,
    pub sources: Vec<SourceView>,
    pub events: Vec<EventView>,
    pub related: Vec<TopicCard>,
    pub draft: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TagSummary {
    pub name: String,
    pub href: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimelineItem {
    pub date: DateView,
    pub text: String,
    pub topic: Link,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimelineYear {
    pub year: String,
    pub events: Vec<TimelineItem>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GlossaryEntry {
    pub short: String,
    pub expansion: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PluralSample {
    pub category: &'static str,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChooserEntry {
    pub lang: String,
    pub name: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FeedEntry {
    pub title: String,
    pub url: String,
    pub published: String,
    pub updated: String,
    pub summary: String,
    pub content: String,
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SitemapEntry {
    pub loc: String,
    pub lastmod: Option<String>,
    pub alternates: Vec<Alternate>,
}

/// The data of one output, by kind of page.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
// One view exists per output and lives only for its render: boxing variants buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum ViewData {
    Chooser {
        languages: Vec<ChooserEntry>,
    },
    Home {
        intro: String,
        updated: Option<DateView>,
        topics: Vec<TopicCard>,
    },
    Topic {
        topic: TopicView,
    },
    Tags {
        tags: Vec<TagSummary>,
    },
    Tag {
        tag: TagSummary,
        topics: Vec<TopicCard>,
    },
    Timeline {
        years: Vec<TimelineYear>,
        count: usize,
    },
    Glossary {
        terms: Vec<GlossaryEntry>,
    },
    Search {
        /// The index script, relative to the page.
        index: String,
        /// One number per plural category, to render the result count in Fluent's words.
        count_samples: Vec<PluralSample>,
    },
    NotFound {
        base: String,
        languages: Vec<ChooserEntry>,
    },
    Feed {
        feed_url: String,
        home_url: String,
        updated: String,
        entries: Vec<FeedEntry>,
    },
    Sitemap {
        entries: Vec<SitemapEntry>,
    },
}

/// Everything one output's render reads, besides the template and the locale tables.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct View {
    /// The page's language: the one `t()` looks messages up in.
    pub lang: String,
    pub page: Option<PageContext>,
    #[serde(flatten)]
    pub data: ViewData,
}

/// One output to render: where it goes, with which template, from which view.
#[derive(Debug, Clone)]
pub struct Job {
    pub path: SitePath,
    pub template: &'static str,
    pub view: View,
    /// The content file this output shows, named in render errors.
    pub source: Option<PathBuf>,
    /// The languages whose tables this output reads.
    pub languages: Vec<String>,
}

/// A feed carries the most recently published or updated topics, as feed readers expect.
pub const FEED_ENTRIES: usize = 50;

pub struct ViewOptions<'a> {
    pub base_url: &'a str,
    pub link_style: LinkStyle,
    pub languages: &'a [String],
}

/// Makes the views of a site's outputs, one at a time, and the digests that say when an
/// output's view may have changed.
pub struct Planner<'a> {
    model: &'a SiteModel,
    glossary: &'a Glossary,
    locales: &'a Locales,
    options: &'a ViewOptions<'a>,
}

impl<'a> Planner<'a> {
    pub fn new(
        model: &'a SiteModel,
        glossary: &'a Glossary,
        locales: &'a Locales,
        options: &'a ViewOptions<'a>,
    ) -> Planner<'a> {
        Planner {
            model,
            glossary,
            locales,
            options,
        }
    }
}

/// A Fluent lookup failed while building a view; `needed_for` is the file being shown.
struct LookupProblem {
    error: LookupError,
    needed_for: Option<PathBuf>,
}

impl LookupProblem {
    fn into_diagnostic(self) -> Diagnostic {
        let lang = match &self.error {
            LookupError::MissingMessage { lang, .. } | LookupError::Format { lang, .. } => {
                lang.clone()
            }
        };
        let mut diagnostic = Diagnostic::error(
            "fluent-missing",
            Path::new("locales").join(&lang),
            self.error.to_string(),
        );
        if let Some(file) = self.needed_for {
            diagnostic = diagnostic.with_help(format!("needed to render {}", file.display()));
        }
        diagnostic
    }
}

type Lookup<T> = Result<T, LookupProblem>;

impl Planner<'_> {
    fn message(&self, lang: &str, message: &CodeMessage, args: &[(&str, Arg)]) -> Lookup<String> {
        self.locales
            .code_message(lang, message, args)
            .map_err(|error| LookupProblem {
                error,
                needed_for: None,
            })
    }

    fn date(&self, lang: &str, date: &Date, file: &Path) -> Lookup<DateView> {
        let text = self
            .locales
            .format_date(lang, date)
            .map_err(|error| LookupProblem {
                error,
                needed_for: Some(file.to_path_buf()),
            })?;
        Ok(DateView {
            iso: date.iso(),
            text,
        })
    }

    fn date_range(
        &self,
        lang: &str,
        start: &Date,
        end: Option<&Date>,
        file: &Path,
    ) -> Lookup<DateView> {
        let Some(end) = end else {
            return self.date(lang, start, file);
        };
        let text = self
            .locales
            .format_date_range(lang, start, end)
            .map_err(|error| LookupProblem {
                error,
                needed_for: Some(file.to_path_buf()),
            })?;
        Ok(DateView {
            iso: start.iso(),
            text,
        })
    }

    fn href(&self, from: &SitePath, to: &SitePath) -> String {
        relative(from, to, self.options.link_style)
    }

    fn absolute(&self, path: &SitePath) -> String {
        path.absolute(self.options.base_url)
    }

    /// The same page in every language that has it: (lang, path).
    fn page_context(
        &self,
        kind: &'static str,
        path: &SitePath,
        lang: &str,
        title: String,
        description: String,
        translations: &[(String, SitePath)],
    ) -> Lookup<PageContext> {
        let (alternates, x_default) = self.alternate_links(kind, path, translations);
        let mut switcher = Vec::new();
        for other in self.options.languages.iter().filter(|other| *other != lang) {
            let (target, translated) = match translations.iter().find(|(l, _)| l == other) {
                Some((_, target)) => (target.clone(), true),
                None => (SitePath::folder(&[other]), false),
            };
            switcher.push(LanguageLink {
                lang: other.clone(),
                name: self.message(other, &messages::LANGUAGE_NAME, &[])?,
                href: self.href(path, &target),
                translated,
            });
        }
        let nav = self.model.language(lang).map(|language| Nav {
            chooser: self.href(path, &SitePath::root()),
            home: self.href(path, &language.home_path()),
            tags: self.href(path, &language.section_path(&language.segments.tags)),
            timeline: self.href(path, &language.section_path(&language.segments.timeline)),
            glossary: self.href(path, &language.section_path(&language.segments.glossary)),
            search: self.href(path, &crate::search::search_page_path(language)),
            feed: self.href(path, &language.feed_path()),
        });
        let root = relative(path, &SitePath::root(), LinkStyle::Server);
        Ok(PageContext {
            kind,
            title,
            description,
            canonical: self.absolute(path),
            alternates,
            x_default,
            switcher,
            root: if root == "./" { String::new() } else { root },
            nav,
            offline: self.options.link_style == LinkStyle::Offline,
        })
    }

    /// The page in each language (absolute URLs), and the one for `x-default`.
    fn alternate_links(
        &self,
        kind: &str,
        path: &SitePath,
        translations: &[(String, SitePath)],
    ) -> (Vec<Alternate>, String) {
        let alternates = translations
            .iter()
            .map(|(lang, path)| Alternate {
                lang: lang.clone(),
                href: self.absolute(path),
            })
            .collect();
        let x_default = match kind {
            "home" | "chooser" => self.absolute(&SitePath::root()),
            _ => translations
                .iter()
                .find(|(l, _)| Some(l) == self.options.languages.first())
                .or(translations.first())
                .map_or_else(|| self.absolute(path), |(_, path)| self.absolute(path)),
        };
        (alternates, x_default)
    }

    /// The same topic in every language that has it, in the site's order of languages.
    fn topic_translations(&self, topic: &str) -> Vec<(String, SitePath)> {
        self.model
            .translations
            .get(topic)
            .map(|languages| {
                self.options
                    .languages
                    .iter()
                    .filter_map(|l| languages.get(l).map(|p| (l.clone(), p.clone())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The page of a tag in every language that uses the tag.
    fn tag_translations(&self, id: &str) -> Vec<(String, SitePath)> {
        self.model
            .languages
            .iter()
            .filter_map(|l| {
                l.tags
                    .iter()
                    .find(|t| t.id == id)
                    .map(|t| (l.lang.clone(), t.path.clone()))
            })
            .collect()
    }

    fn every_language(
        &self,
        path_of: impl Fn(&LanguageModel) -> SitePath,
    ) -> Vec<(String, SitePath)> {
        self.model
            .languages
            .iter()
            .map(|language| (language.lang.clone(), path_of(language)))
            .collect()
    }

    fn chooser(&self) -> Lookup<Job> {
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
                })
            })
            .collect()
    }

    fn not_found(&self) -> Lookup<Job> {
        let path = SitePath::file("404.html");
        let lang = self.options.languages[0].clone();
        let languages = self.chooser_entries(&path)?;
        let title = self.message(&lang, &messages::NOT_FOUND_TITLE, &[])?;
        let description = self.message(&lang, &messages::NOT_FOUND_TEXT, &[])?;
        let mut page = self.page_context("not-found", &path, &lang, title, description, &[])?;
        page.switcher.clear();
        page.alternates.clear();
        Ok(Job {
            path,
            template: "404.html",
            view: View {
                lang,
                page: Some(page),
                data: ViewData::NotFound {
                    // A server shows this page at any depth, so its links need the site's
                    // address; opened from disk it sits at the root and needs none, and
                    // naming the host there would make the archive reach the network.
                    base: match self.options.link_style {
                        LinkStyle::Server => self.options.base_url.to_string(),
                        LinkStyle::Offline => String::new(),
                    },
                    languages,
                },
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

    fn job(
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

    fn home(&self, language: &LanguageModel) -> Lookup<Job> {
        let lang = &language.lang;
        let path = language.home_path();
        let source = language.home.as_ref().map(|home| home.path.clone());
        let title = match language.home.as_ref().and_then(|home| home.title.clone()) {
            Some(title) => title,
            None => self.message(lang, &messages::SITE_TITLE, &[])?,
        };
        let description = match language.home.as_ref().and_then(|home| home.summary.clone()) {
            Some(summary) => summary,
            None => self.message(lang, &messages::SITE_DESCRIPTION, &[])?,
        };
        let translations = self.every_language(LanguageModel::home_path);
        let page = self.page_context("home", &path, lang, title, description, &translations)?;
        let topics = language
            .topics
            .iter()
            .map(|topic| self.card(&path, language, topic))
            .collect::<Lookup<Vec<_>>>()?;
        let updated = match language
            .home
            .as_ref()
            .and_then(|home| home.updated.map(|d| (d, home.path.clone())))
        {
            Some((date, file)) => Some(self.date(lang, &date, &file)?),
            None => None,
        };
        let data = ViewData::Home {
            intro: language.home_html.to_string(),
            updated,
            topics,
        };
        Ok(self.job(path, "home.html", lang, page, data, source))
    }

    fn topic(&self, language: &LanguageModel, topic: &TopicModel) -> Lookup<Job> {
        let lang = &language.lang;
        let page = &topic.page;
        let path = topic.path.clone();
        let translations = self.topic_translations(&page.topic);
        let context = self.page_context(
            "topic",
            &path,
            lang,
            page.title.clone(),
            page.summary.clone(),
            &translations,
        )?;
        let sources = page
            .sources
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
            .collect::<Lookup<Vec<_>>>()?;
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
            body: topic.body_html.to_string(),
            toc: page
                .body
                .headings
                .iter()
                .filter(|heading| heading.level == 2)
                .map(|heading| TocEntry {
                    id: heading.id.clone(),
                    text: heading.text.clone(),
                    level: heading.level,
                })
                .collect(),
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

    fn tags_list(&self, language: &LanguageModel) -> Lookup<Job> {
        let lang = &language.lang;
        let list_path = language.section_path(&language.segments.tags);
        let mut summaries: Vec<(String, TagSummary)> = language
            .tags
            .iter()
            .map(|tag| {
                (
                    slug::slugify(&tag.name),
                    TagSummary {
                        name: tag.name.clone(),
                        href: self.href(&list_path, &tag.path),
                        count: tag.topics.len(),
                    },
                )
            })
            .collect();
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

    fn tag_page(&self, language: &LanguageModel, index: usize) -> Lookup<Job> {
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
        let translations = self.tag_translations(&tag.id);
        let page = self.page_context("tag", &tag.path, lang, title, description, &translations)?;
        let topics = tag
            .topics
            .iter()
            .map(|index| self.card(&tag.path, language, &language.topics[*index]))
            .collect::<Lookup<Vec<_>>>()?;
        let summary = TagSummary {
            name: tag.name.clone(),
            href: "./".into(),
            count: topics.len(),
        };
        Ok(self.job(
            tag.path.clone(),
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

    fn timeline(&self, language: &LanguageModel) -> Lookup<Job> {
        let lang = &language.lang;
        let path = language.section_path(&language.segments.timeline);
        let mut years: Vec<TimelineYear> = Vec::new();
        for event in language.timeline.iter() {
            let topic = &language.topics[event.topic];
            let item = TimelineItem {
                date: self.date_range(lang, &event.date, event.end.as_ref(), &topic.page.path)?,
                text: event.text.clone(),
                topic: Link {
                    text: topic.page.title.clone(),
                    href: self.href(&path, &topic.path),
                },
            };
            let year = event.date.year.to_string();
            match years.last_mut() {
                Some(last) if last.year == year => last.events.push(item),
                _ => years.push(TimelineYear {
                    year,
                    events: vec![item],
                }),
            }
        }
        let translations = self.every_language(|l| l.section_path(&l.segments.timeline));
        let title = self.message(lang, &messages::TIMELINE_TITLE, &[])?;
        let description = self.message(lang, &messages::TIMELINE_DESCRIPTION, &[])?;
        let page = self.page_context("timeline", &path, lang, title, description, &translations)?;
        let count = language.timeline.len();
        Ok(self.job(
            path,
            "timeline.html",
            lang,
            page,
            ViewData::Timeline { years, count },
            None,
        ))
    }

    fn glossary(&self, language: &LanguageModel) -> Lookup<Job> {
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
        let translations = self.every_language(|l| l.section_path(&l.segments.glossary));
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

    fn search(&self, language: &LanguageModel) -> Lookup<Job> {
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

    fn feed(&self, language: &LanguageModel) -> Lookup<Job> {
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
                content: topic.body_html.to_string(),
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
fn feed_topics(language: &LanguageModel) -> Vec<&TopicModel> {
    let mut topics: Vec<&TopicModel> = language.topics.iter().map(Arc::as_ref).collect();
    let last_change = |topic: &TopicModel| topic.page.updated.unwrap_or(topic.page.date).sort_key();
    topics.sort_by_key(|topic| std::cmp::Reverse(last_change(topic)));
    topics.truncate(FEED_ENTRIES);
    topics
}
