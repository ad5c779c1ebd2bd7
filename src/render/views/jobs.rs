//! Render stage, the jobs: every output of the site named before its view is built, where
//! it goes, and the digest of the model parts its view is made from, so that rendering builds
//! the views of changed outputs only.

use std::collections::HashSet;

use super::Section;
use super::pages::feed_topics;
use super::paging::{page_count, page_path, page_range};
use super::sitemaps::{in_sitemap, sitemap_jobs, sitemap_path};
use super::{Job, LanguageModel, LookupProblem, Planner};
use crate::diagnostic::Diagnostic;
use crate::source::DigestHasher;
use crate::urls::SitePath;

/// One output of the site, named before its view is built: rendering asks for the view of
/// an output only when the digest of its inputs (`Planner::key`) is new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    Chooser,
    NotFound,
    /// `page` from 0: the first page is the home page itself.
    Home {
        lang: usize,
        page: usize,
    },
    Topic {
        lang: usize,
        topic: usize,
    },
    /// A standalone page of `content/_pages/`.
    Page {
        lang: usize,
        page: usize,
    },
    Tags {
        lang: usize,
    },
    Tag {
        lang: usize,
        tag: usize,
        page: usize,
    },
    Timeline {
        lang: usize,
        page: usize,
    },
    Glossary {
        lang: usize,
    },
    Search {
        lang: usize,
    },
    Feed {
        lang: usize,
    },
    /// `parts` is 1 for a single `sitemap.xml`.
    Sitemap {
        part: usize,
        parts: usize,
    },
    /// `sitemap.xml` naming the parts, when there are several.
    SitemapIndex {
        parts: usize,
    },
}

impl JobKind {
    pub fn template(self) -> &'static str {
        match self {
            JobKind::Chooser => "index.html",
            JobKind::NotFound => "404.html",
            JobKind::Home { .. } => "home.html",
            JobKind::Topic { .. } => "topic.html",
            JobKind::Page { .. } => "page.html",
            JobKind::Tags { .. } => "tags.html",
            JobKind::Tag { .. } => "tag.html",
            JobKind::Timeline { .. } => "timeline.html",
            JobKind::Glossary { .. } => "glossary.html",
            JobKind::Search { .. } => "search.html",
            JobKind::Feed { .. } => "atom.xml",
            JobKind::Sitemap { .. } => "sitemap.xml",
            JobKind::SitemapIndex { .. } => "sitemap-index.xml",
        }
    }

    /// Whether the output shows a single topic or page (the bulk of a site, each quick),
    /// rather than a list of them.
    pub fn shows_one_topic(self) -> bool {
        matches!(self, JobKind::Topic { .. } | JobKind::Page { .. })
    }

    fn language(self) -> Option<usize> {
        match self {
            JobKind::Home { lang, .. }
            | JobKind::Topic { lang, .. }
            | JobKind::Page { lang, .. }
            | JobKind::Tags { lang }
            | JobKind::Tag { lang, .. }
            | JobKind::Timeline { lang, .. }
            | JobKind::Glossary { lang }
            | JobKind::Search { lang }
            | JobKind::Feed { lang } => Some(lang),
            JobKind::Chooser
            | JobKind::NotFound
            | JobKind::Sitemap { .. }
            | JobKind::SitemapIndex { .. } => None,
        }
    }
}

/// The outputs whose key a patched model may have changed (see `Planner::patch_reach`).
pub struct PatchReach {
    /// (language, topic) of the topic pages: those patched, and those listing a patched
    /// card among their related topics.
    topics: HashSet<(usize, usize)>,
    /// Languages with a patched topic: their feed shows bodies.
    feeds: Vec<bool>,
    /// Languages with a patched card: their home, tag and timeline pages list cards.
    lists: Vec<bool>,
    /// Whether a patched topic's `updated` date changed: the sitemaps show every topic's.
    dates: bool,
}

impl PatchReach {
    pub fn reaches(&self, kind: JobKind) -> bool {
        match kind {
            JobKind::Topic { lang, topic } => self.topics.contains(&(lang, topic)),
            JobKind::Home { lang, .. }
            | JobKind::Tag { lang, .. }
            | JobKind::Timeline { lang, .. } => self.lists[lang],
            JobKind::Feed { lang } => self.feeds[lang],
            JobKind::Sitemap { .. } => self.dates,
            // A patch changes no standalone page, tag, count of topics or address.
            JobKind::Page { .. } | JobKind::Tags { .. } | JobKind::SitemapIndex { .. } => false,
            // Cheap keys, worked out every time (the glossary's reads what no patch covers).
            JobKind::Chooser
            | JobKind::NotFound
            | JobKind::Glossary { .. }
            | JobKind::Search { .. } => true,
        }
    }
}

impl Planner<'_> {
    /// Every output of the site, in a stable order.
    pub fn jobs(&self) -> Vec<JobKind> {
        let mut jobs = vec![JobKind::Chooser, JobKind::NotFound];
        for (lang, language) in self.model.languages.iter().enumerate() {
            let home_pages = page_count(language.topics.len(), self.options.page_size);
            jobs.extend((0..home_pages).map(|page| JobKind::Home { lang, page }));
            jobs.extend((0..language.topics.len()).map(|topic| JobKind::Topic { lang, topic }));
            jobs.extend((0..language.pages.len()).map(|page| JobKind::Page { lang, page }));
            jobs.push(JobKind::Tags { lang });
            for (tag, model) in language.tags.iter().enumerate() {
                let pages = page_count(model.topics.len(), self.options.page_size);
                jobs.extend((0..pages).map(|page| JobKind::Tag { lang, tag, page }));
            }
            if self.has_section(language, Section::Timeline) {
                let pages = page_count(language.timeline.len(), self.options.page_size);
                jobs.extend((0..pages).map(|page| JobKind::Timeline { lang, page }));
            }
            if self.has_section(language, Section::Glossary) {
                jobs.push(JobKind::Glossary { lang });
            }
            jobs.push(JobKind::Search { lang });
            jobs.push(JobKind::Feed { lang });
        }
        let listed = jobs.iter().filter(|kind| in_sitemap(**kind)).count();
        jobs.extend(sitemap_jobs(listed));
        jobs
    }

    pub fn path(&self, kind: JobKind) -> SitePath {
        let language = kind.language().map(|lang| &self.model.languages[lang]);
        match (kind, language) {
            (JobKind::Topic { topic, .. }, Some(language)) => language.topics[topic].path.clone(),
            (JobKind::Page { page, .. }, Some(language)) => language.pages[page].path.clone(),
            (JobKind::Home { page, .. }, Some(language)) => {
                page_path(&language.home_path(), &language.segments.page, page)
            }
            (JobKind::Tags { .. }, Some(language)) => {
                language.section_path(&language.segments.tags)
            }
            (JobKind::Tag { tag, page, .. }, Some(language)) => {
                page_path(&language.tags[tag].path, &language.segments.page, page)
            }
            (JobKind::Timeline { page, .. }, Some(language)) => page_path(
                &language.section_path(&language.segments.timeline),
                &language.segments.page,
                page,
            ),
            (JobKind::Glossary { .. }, Some(language)) => {
                language.section_path(&language.segments.glossary)
            }
            (JobKind::Search { .. }, Some(language)) => crate::search::search_page_path(language),
            (JobKind::Feed { .. }, Some(language)) => language.feed_path(),
            (JobKind::NotFound, _) => SitePath::file("404.html"),
            (JobKind::Sitemap { part, parts }, _) => sitemap_path(part, parts),
            (JobKind::SitemapIndex { .. }, _) => SitePath::file("sitemap.xml"),
            _ => SitePath::root(),
        }
    }

    /// The view of one output.
    pub fn build(&self, kind: JobKind) -> Result<Job, Diagnostic> {
        let language = kind.language().map(|lang| &self.model.languages[lang]);
        let job = match (kind, language) {
            (JobKind::Home { page, .. }, Some(language)) => self.home(language, page),
            (JobKind::Topic { topic, .. }, Some(language)) => {
                self.topic(language, &language.topics[topic])
            }
            (JobKind::Page { page, .. }, Some(language)) => {
                self.standalone(language, &language.pages[page])
            }
            (JobKind::Tags { .. }, Some(language)) => self.tags_list(language),
            (JobKind::Tag { tag, page, .. }, Some(language)) => self.tag_page(language, tag, page),
            (JobKind::Timeline { page, .. }, Some(language)) => self.timeline(language, page),
            (JobKind::Glossary { .. }, Some(language)) => self.glossary(language),
            (JobKind::Search { .. }, Some(language)) => self.search(language),
            (JobKind::Feed { .. }, Some(language)) => self.feed(language),
            (JobKind::NotFound, _) => self.not_found(),
            (JobKind::Sitemap { part, parts }, _) => self.sitemap(part, parts),
            (JobKind::SitemapIndex { parts }, _) => self.sitemap_index(parts),
            _ => self.chooser(),
        };
        job.map_err(LookupProblem::into_diagnostic)
    }

    /// Adds to `key` the parts of the model the view of `kind` is made from (the templates,
    /// the locale tables and the options are added by the renderer). Equal keys mean equal
    /// views; debug builds check it on every reuse.
    pub fn add_key(&self, kind: JobKind, key: &mut DigestHasher) {
        key.add(&kind);
        // Every page's "date modified" falls back on it, and the timeline's planned events.
        key.add(&self.newest);
        let language = kind.language().map(|lang| &self.model.languages[lang]);
        match (kind, language) {
            (JobKind::Home { page, .. }, Some(language)) => {
                key.add(&language.home.as_ref().map(|home| home.digest));
                key.add(&language.home_digest);
                let size = self.options.page_size;
                key.add(&language.topics.len());
                for topic in &language.topics[page_range(language.topics.len(), size, page)] {
                    // The weight cuts the home's topics into groups.
                    key.add(&(topic.card_digest, topic.page.weight));
                }
                // The page's translations: the same page of the other languages, if any.
                key.add(&self.translations(kind));
            }
            (JobKind::Topic { topic, .. }, Some(language)) => {
                let topic = &language.topics[topic];
                key.add(&topic.page.digest).add(&topic.body_digest);
                key.add(
                    &topic
                        .tags
                        .iter()
                        .map(|t| &language.tags[*t].id)
                        .collect::<Vec<_>>(),
                );
                for related in &topic.related {
                    key.add(&language.topics[*related].card_digest);
                }
                key.add(&topic.addresses_digest);
            }
            (JobKind::Page { page, .. }, Some(language)) => {
                let page = &language.pages[page];
                key.add(&page.page.digest).add(&page.body_digest);
                key.add(&page.addresses_digest);
            }
            (JobKind::Tags { .. }, Some(language)) => {
                for tag in &language.tags {
                    key.add(&tag.id).add(&tag.topics.len());
                }
            }
            (JobKind::Tag { tag, page, .. }, Some(language)) => {
                let tag = &language.tags[tag];
                key.add(&tag.id).add(&tag.topics.len());
                let size = self.options.page_size;
                for topic in &tag.topics[page_range(tag.topics.len(), size, page)] {
                    key.add(&language.topics[*topic].card_digest);
                }
                key.add(&self.translations(kind));
            }
            (JobKind::Timeline { page, .. }, Some(language)) => {
                let events = &language.timeline;
                for event in &events[page_range(events.len(), self.options.page_size, page)] {
                    let topic = &language.topics[event.topic];
                    key.add(&(event.date, event.end, &event.text, topic.card_digest));
                }
                key.add(&(events.len(), self.timeline_years(language)));
                key.add(&self.translations(kind));
            }
            (JobKind::Glossary { .. }, Some(language)) => {
                key.add(self.glossary.terms(&language.lang));
            }
            (JobKind::Feed { .. }, Some(language)) => {
                for topic in feed_topics(language) {
                    key.add(&(topic.card_digest, topic.body_digest, topic.page.updated));
                }
            }
            (JobKind::Sitemap { .. }, _) => {
                key.add(&self.model.addresses_digest);
                for language in &self.model.languages {
                    key.add(&language.tags.iter().map(|t| &t.id).collect::<Vec<_>>());
                    for topic in language.topics.iter().chain(&language.pages) {
                        key.add(&(topic.page.date, topic.page.updated));
                    }
                }
            }
            // The chooser, the 404 and search pages read only the locale tables and options.
            _ => {}
        }
    }

    /// For a model patched from another (`Revision::patch`): that model's revision, and
    /// which outputs the patch may have changed the key of. Every key reads the model
    /// through `add_key` only, so an output the patch does not reach keeps its last key.
    pub fn patch_reach(&self) -> Option<(u64, PatchReach)> {
        let patch = self.model.revision.patch.as_ref()?;
        let languages = self.model.languages.len();
        let mut reach = PatchReach {
            topics: HashSet::new(),
            feeds: vec![false; languages],
            lists: vec![false; languages],
            dates: false,
        };
        for patched in &patch.topics {
            reach.topics.insert((patched.lang, patched.topic));
            reach.feeds[patched.lang] = true;
            reach.lists[patched.lang] |= patched.card_changed;
            reach.dates |= patched.updated_changed;
        }
        // A changed card shows on the pages of the topics it is related to.
        let cards: HashSet<(usize, usize)> = patch
            .topics
            .iter()
            .filter(|patched| patched.card_changed)
            .map(|patched| (patched.lang, patched.topic))
            .collect();
        for (lang, language) in self.model.languages.iter().enumerate() {
            if !reach.lists[lang] {
                continue;
            }
            for (index, topic) in language.topics.iter().enumerate() {
                if topic.related.iter().any(|r| cards.contains(&(lang, *r))) {
                    reach.topics.insert((lang, index));
                }
            }
        }
        Some((patch.base, reach))
    }

    /// The revision of the model the views are made from.
    pub fn model_revision(&self) -> u64 {
        self.model.revision.id
    }

    /// The newest date of the site, which every key reads.
    pub fn newest(&self) -> Option<crate::content::date::Date> {
        self.newest
    }

    /// The pages of an output in every language: its alternates.
    pub(super) fn translations(&self, kind: JobKind) -> Vec<(String, SitePath)> {
        let language = kind.language().map(|lang| &self.model.languages[lang]);
        match (kind, language) {
            (JobKind::Chooser | JobKind::Home { page: 0, .. }, _) => {
                self.every_language(LanguageModel::home_path)
            }
            (JobKind::Home { page, .. }, _) => self.same_page_everywhere(page, |language| {
                Some((language.home_path(), language.topics.len()))
            }),
            (JobKind::Topic { topic, .. }, Some(language)) => {
                self.topic_translations(&language.topics[topic].page.topic)
            }
            (JobKind::Page { page, .. }, Some(language)) => {
                self.topic_translations(&language.pages[page].page.topic)
            }
            (JobKind::Tags { .. }, _) => self.every_language(|l| l.section_path(&l.segments.tags)),
            (JobKind::Tag { tag, page: 0, .. }, Some(language)) => {
                self.tag_translations(&language.tags[tag].id)
            }
            (JobKind::Tag { tag, page, .. }, Some(language)) => {
                let id = &language.tags[tag].id;
                self.same_page_everywhere(page, |language| {
                    let tag = language.tags.iter().find(|t| &t.id == id)?;
                    Some((tag.path.clone(), tag.topics.len()))
                })
            }
            (JobKind::Timeline { page: 0, .. }, _) => self.section_translations(Section::Timeline),
            (JobKind::Timeline { page, .. }, _) => self.same_page_everywhere(page, |language| {
                self.has_section(language, Section::Timeline).then(|| {
                    let first = language.section_path(&language.segments.timeline);
                    (first, language.timeline.len())
                })
            }),
            (JobKind::Glossary { .. }, _) => self.section_translations(Section::Glossary),
            (JobKind::Search { .. }, _) => self.every_language(crate::search::search_page_path),
            _ => Vec::new(),
        }
    }

    /// Page `page` (from 1 on) of a list in every language whose list has that many pages;
    /// `list` gives a language's first page and item count, if it has the list.
    fn same_page_everywhere<L>(&self, page: usize, list: L) -> Vec<(String, SitePath)>
    where
        L: Fn(&LanguageModel) -> Option<(SitePath, usize)>,
    {
        self.model
            .languages
            .iter()
            .filter_map(|language| {
                let (first, items) = list(language)?;
                (page < page_count(items, self.options.page_size)).then(|| {
                    let path = page_path(&first, &language.segments.page, page);
                    (language.lang.clone(), path)
                })
            })
            .collect()
    }
}
