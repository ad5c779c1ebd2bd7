//! Render stage, the view data: what each template receives, made for it (never the
//! internal model).

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct Link {
    pub text: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct DateView {
    /// For `<time datetime>`: `2024-05-14`, `2023-07` or `2012`.
    pub iso: String,
    pub text: String,
    /// The text for display: a raised ordinal and no-break spaces (`typography::date_html`).
    pub html: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct Alternate {
    pub lang: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct LanguageLink {
    pub lang: String,
    /// The language's name in that language.
    pub name: String,
    pub href: String,
    /// Whether the link leads to the same page in that language (or, lacking a
    /// translation, to that language's home page).
    pub translated: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct Nav {
    pub chooser: String,
    pub home: String,
    pub tags: String,
    /// None when the language has no events.
    pub timeline: Option<String>,
    /// None when the language has no glossary terms.
    pub glossary: Option<String>,
    pub search: String,
    pub feed: String,
}

/// One entry of a menu (`page.menus.main`, `page.menus.footer`).
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct MenuItem {
    pub label: String,
    pub href: String,
    /// The entry leads to the page that shows it (`aria-current="page"`).
    pub current: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default, Hash)]
pub struct MenusView {
    pub main: Vec<MenuItem>,
    pub footer: Vec<MenuItem>,
}

/// One step of the breadcrumbs: `page.breadcrumbs`.
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct Crumb {
    pub label: String,
    pub href: String,
}

/// The organisation's logo: `page.identity.logo`.
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct LogoView {
    pub src: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
}

/// Who publishes the site, for the header: `page.identity`.
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct Identity {
    pub organisation: String,
    pub site: String,
    pub logo: Option<LogoView>,
}

/// What every HTML page has: `page` in the templates.
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
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
    /// The "date modified" every page ends with: the page's own `updated` or `date`, or else
    /// the newest date of the site.
    pub modified: Option<DateView>,
    pub identity: Identity,
    pub menus: MenusView,
    /// From the home page to this page (the last entry), for every page below the home.
    pub breadcrumbs: Vec<Crumb>,
    /// `<script type="application/ld+json">` contents: the `BreadcrumbList` and, on topics
    /// and pages, the `Article`; escaped for a script element. Empty when there is none.
    pub json_ld: Vec<String>,
    /// Open Graph and Twitter card properties: (property, content).
    pub social: Vec<MetaTag>,
}

/// A `<meta>` element of the head: `property` for Open Graph, `name` for Twitter cards.
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct MetaTag {
    /// `property` or `name`.
    pub attribute: &'static str,
    pub key: String,
    pub content: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct TopicCard {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub href: String,
    pub date: DateView,
    pub tags: Vec<Link>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct SourceView {
    pub publisher: String,
    pub title: String,
    pub date: Option<DateView>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct EventView {
    pub date: DateView,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct TocEntry {
    pub id: String,
    pub text: String,
    pub level: u8,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
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

/// A standalone page (About, Accessibility…): `standalone` in `page.html`.
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct StandaloneView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub date: DateView,
    pub updated: Option<DateView>,
    pub body: String,
    pub toc: Vec<TocEntry>,
    pub sources: Vec<SourceView>,
    pub draft: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct TagSummary {
    pub name: String,
    pub href: String,
    pub count: usize,
    /// From the message `tag-<id>-description`, where the locale tables have one.
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct TimelineItem {
    pub date: DateView,
    /// The date as HTML without the year its heading already gives.
    pub within_year: String,
    pub text: String,
    pub topic: Link,
    /// Dated after the newest date of the site: announced, not yet happened.
    pub planned: bool,
}

/// One entry of the timeline's list of years: `year` is empty for the planned events.
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct TimelineYearLink {
    pub year: String,
    pub count: usize,
    pub href: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct TimelineYear {
    pub year: String,
    pub events: Vec<TimelineItem>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct GlossaryEntry {
    pub short: String,
    pub expansion: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct PluralSample {
    pub category: &'static str,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct ChooserEntry {
    pub lang: String,
    pub name: String,
    pub href: String,
    /// The language's search page, which the 404 page's search form goes to.
    pub search: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct FeedEntry {
    pub title: String,
    pub url: String,
    pub published: String,
    pub updated: String,
    pub summary: String,
    pub content: String,
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct SitemapEntry {
    pub loc: String,
    pub lastmod: Option<String>,
    pub alternates: Vec<Alternate>,
}

/// The data of one output, by kind of page.
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
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
        /// The topics in home-page order, cut where the hundreds of their `weight` change
        /// (topics without a weight come last, together); one group when no weight is set.
        groups: Vec<Vec<TopicCard>>,
        /// Every topic of the language, on all pages.
        topic_count: usize,
    },
    Topic {
        topic: TopicView,
    },
    Standalone {
        standalone: StandaloneView,
    },
    Tags {
        tags: Vec<TagSummary>,
    },
    Tag {
        tag: TagSummary,
        topics: Vec<TopicCard>,
    },
    Timeline {
        /// Events after the newest date of the site, soonest first, set apart from the years.
        planned: Vec<TimelineItem>,
        /// The years of this page of the timeline, with their events.
        years: Vec<TimelineYear>,
        /// Every year of the whole timeline (and the planned events first, if any), each
        /// linked on the page where it starts.
        index: Vec<TimelineYearLink>,
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
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct View {
    /// The page's language: the one `t()` looks messages up in.
    pub lang: String,
    pub page: Option<PageContext>,
    #[serde(flatten)]
    pub data: ViewData,
}
