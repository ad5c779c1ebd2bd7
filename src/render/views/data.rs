//! Render stage, the view data: what each template receives, made for it (never the
//! internal model).

use serde::Serialize;

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
    /// On the pages of a list cut into several (home, tag pages).
    pub pagination: Option<super::Pagination>,
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
        /// This page's topics.
        topics: Vec<TopicCard>,
        /// Every topic of the language, on all pages.
        topic_count: usize,
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
    SitemapIndex {
        /// The sitemaps' absolute addresses.
        sitemaps: Vec<String>,
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
