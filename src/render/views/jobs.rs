//! Render stage, the jobs: every output of the site named before its view is built, where
//! it goes, and the digest of the model parts its view is made from, so that rendering builds
//! the views of changed outputs only. Also the sitemap, which lists every job.

use super::pages::feed_topics;
use super::{
    Alternate, Job, LanguageModel, Lookup, LookupProblem, Planner, SitemapEntry, View, ViewData,
};
use crate::diagnostic::Diagnostic;
use crate::source::DigestHasher;
use crate::urls::SitePath;

/// One output of the site, named before its view is built: rendering asks for the view of
/// an output only when the digest of its inputs (`Planner::key`) is new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    Chooser,
    NotFound,
    Home {
        lang: usize,
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
    },
    Timeline {
        lang: usize,
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
    Sitemap,
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
            JobKind::Sitemap => "sitemap.xml",
        }
    }

    fn language(self) -> Option<usize> {
        match self {
            JobKind::Home { lang }
            | JobKind::Topic { lang, .. }
            | JobKind::Page { lang, .. }
            | JobKind::Tags { lang }
            | JobKind::Tag { lang, .. }
            | JobKind::Timeline { lang }
            | JobKind::Glossary { lang }
            | JobKind::Search { lang }
            | JobKind::Feed { lang } => Some(lang),
            JobKind::Chooser | JobKind::NotFound | JobKind::Sitemap => None,
        }
    }
}

impl Planner<'_> {
    /// Every output of the site, in a stable order.
    pub fn jobs(&self) -> Vec<JobKind> {
        let mut jobs = vec![JobKind::Chooser, JobKind::NotFound];
        for (lang, language) in self.model.languages.iter().enumerate() {
            jobs.push(JobKind::Home { lang });
            jobs.extend((0..language.topics.len()).map(|topic| JobKind::Topic { lang, topic }));
            jobs.extend((0..language.pages.len()).map(|page| JobKind::Page { lang, page }));
            jobs.push(JobKind::Tags { lang });
            jobs.extend((0..language.tags.len()).map(|tag| JobKind::Tag { lang, tag }));
            jobs.push(JobKind::Timeline { lang });
            jobs.push(JobKind::Glossary { lang });
            jobs.push(JobKind::Search { lang });
            jobs.push(JobKind::Feed { lang });
        }
        jobs.push(JobKind::Sitemap);
        jobs
    }

    pub fn path(&self, kind: JobKind) -> SitePath {
        let language = kind.language().map(|lang| &self.model.languages[lang]);
        match (kind, language) {
            (JobKind::Topic { topic, .. }, Some(language)) => language.topics[topic].path.clone(),
            (JobKind::Page { page, .. }, Some(language)) => language.pages[page].path.clone(),
            (JobKind::Home { .. }, Some(language)) => language.home_path(),
            (JobKind::Tags { .. }, Some(language)) => {
                language.section_path(&language.segments.tags)
            }
            (JobKind::Tag { tag, .. }, Some(language)) => language.tags[tag].path.clone(),
            (JobKind::Timeline { .. }, Some(language)) => {
                language.section_path(&language.segments.timeline)
            }
            (JobKind::Glossary { .. }, Some(language)) => {
                language.section_path(&language.segments.glossary)
            }
            (JobKind::Search { .. }, Some(language)) => crate::search::search_page_path(language),
            (JobKind::Feed { .. }, Some(language)) => language.feed_path(),
            (JobKind::NotFound, _) => SitePath::file("404.html"),
            (JobKind::Sitemap, _) => SitePath::file("sitemap.xml"),
            _ => SitePath::root(),
        }
    }

    /// The view of one output.
    pub fn build(&self, kind: JobKind) -> Result<Job, Diagnostic> {
        let language = kind.language().map(|lang| &self.model.languages[lang]);
        let job = match (kind, language) {
            (JobKind::Home { .. }, Some(language)) => self.home(language),
            (JobKind::Topic { topic, .. }, Some(language)) => {
                self.topic(language, &language.topics[topic])
            }
            (JobKind::Page { page, .. }, Some(language)) => {
                self.standalone(language, &language.pages[page])
            }
            (JobKind::Tags { .. }, Some(language)) => self.tags_list(language),
            (JobKind::Tag { tag, .. }, Some(language)) => self.tag_page(language, tag),
            (JobKind::Timeline { .. }, Some(language)) => self.timeline(language),
            (JobKind::Glossary { .. }, Some(language)) => self.glossary(language),
            (JobKind::Search { .. }, Some(language)) => self.search(language),
            (JobKind::Feed { .. }, Some(language)) => self.feed(language),
            (JobKind::NotFound, _) => self.not_found(),
            (JobKind::Sitemap, _) => self.sitemap(),
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
            (JobKind::Home { .. }, Some(language)) => {
                key.add(&language.home.as_ref().map(|home| home.digest));
                key.add(&language.home_digest);
                for topic in &language.topics {
                    // The weight cuts the home's topics into groups.
                    key.add(&(topic.card_digest, topic.page.weight));
                }
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
            (JobKind::Tag { tag, .. }, Some(language)) => {
                let tag = &language.tags[tag];
                key.add(&tag.id);
                for topic in &tag.topics {
                    key.add(&language.topics[*topic].card_digest);
                }
                key.add(&self.tag_translations(&tag.id));
            }
            (JobKind::Timeline { .. }, Some(language)) => {
                for event in language.timeline.iter() {
                    let topic = &language.topics[event.topic];
                    key.add(&(event.date, event.end, &event.text, topic.card_digest));
                }
            }
            (JobKind::Glossary { .. }, Some(language)) => {
                key.add(self.glossary.terms(&language.lang));
            }
            (JobKind::Feed { .. }, Some(language)) => {
                for topic in feed_topics(language) {
                    key.add(&(topic.card_digest, topic.body_digest, topic.page.updated));
                }
            }
            (JobKind::Sitemap, _) => {
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

    /// The pages of an output in every language: its alternates.
    fn translations(&self, kind: JobKind) -> Vec<(String, SitePath)> {
        let language = kind.language().map(|lang| &self.model.languages[lang]);
        match (kind, language) {
            (JobKind::Chooser | JobKind::Home { .. }, _) => {
                self.every_language(LanguageModel::home_path)
            }
            (JobKind::Topic { topic, .. }, Some(language)) => {
                self.topic_translations(&language.topics[topic].page.topic)
            }
            (JobKind::Page { page, .. }, Some(language)) => {
                self.topic_translations(&language.pages[page].page.topic)
            }
            (JobKind::Tags { .. }, _) => self.every_language(|l| l.section_path(&l.segments.tags)),
            (JobKind::Tag { tag, .. }, Some(language)) => {
                self.tag_translations(&language.tags[tag].id)
            }
            (JobKind::Timeline { .. }, _) => {
                self.every_language(|l| l.section_path(&l.segments.timeline))
            }
            (JobKind::Glossary { .. }, _) => {
                self.every_language(|l| l.section_path(&l.segments.glossary))
            }
            (JobKind::Search { .. }, _) => self.every_language(crate::search::search_page_path),
            _ => Vec::new(),
        }
    }

    /// Every HTML page of the site but the 404, with its alternates.
    fn sitemap(&self) -> Lookup<Job> {
        let entries = self
            .jobs()
            .into_iter()
            .filter(|kind| !matches!(kind, JobKind::NotFound))
            .map(|kind| (kind, self.path(kind)))
            .filter(|(_, path)| path.is_folder())
            .map(|(kind, path)| {
                let lastmod = match kind {
                    JobKind::Topic { lang, topic } => {
                        let page = &self.model.languages[lang].topics[topic].page;
                        Some(page.updated.unwrap_or(page.date).iso())
                    }
                    JobKind::Page { lang, page } => {
                        let page = &self.model.languages[lang].pages[page].page;
                        Some(page.updated.unwrap_or(page.date).iso())
                    }
                    _ => None,
                };
                let page_kind = if kind == JobKind::Chooser {
                    "chooser"
                } else if matches!(kind, JobKind::Home { .. }) {
                    "home"
                } else {
                    "page"
                };
                let translations = self.translations(kind);
                let (mut alternates, x_default) =
                    self.alternate_links(page_kind, &path, &translations);
                if !alternates.is_empty() {
                    alternates.push(Alternate {
                        lang: "x-default".into(),
                        href: x_default,
                    });
                }
                SitemapEntry {
                    loc: self.absolute(&path),
                    lastmod,
                    alternates,
                }
            })
            .collect();
        Ok(Job {
            path: SitePath::file("sitemap.xml"),
            template: "sitemap.xml",
            view: View {
                lang: self.options.languages[0].clone(),
                page: None,
                data: ViewData::Sitemap { entries },
            },
            source: None,
            languages: Vec::new(),
        })
    }
}
