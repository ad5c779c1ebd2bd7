//! The Fluent messages briefing's own code formats (templates ask for theirs with `t()`), each
//! with the variables the code passes. Declared once here: the code formats them through these
//! constants, and `check` reads the same list to know which messages are used and with what.

/// A message the code formats, and the variables it always passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeMessage {
    pub id: &'static str,
    pub variables: &'static [&'static str],
}

/// Declares each message as a constant and gathers them all in `CODE_MESSAGES`, so that a
/// message cannot be used by the code without being known to `check`.
macro_rules! code_messages {
    ($($(#[$doc:meta])* $name:ident = $id:literal $([$($variable:literal),*])?;)*) => {
        $(
            $(#[$doc])*
            pub const $name: CodeMessage = CodeMessage {
                id: $id,
                variables: &[$($($variable),*)?],
            };
        )*
        /// Every message the code formats, but the tag names (`tag-<id>`).
        pub const CODE_MESSAGES: &[CodeMessage] = &[$($name),*];
    };
}

code_messages! {
    /// The site's name: page titles, the language chooser, feeds.
    SITE_TITLE = "site-title";
    SITE_DESCRIPTION = "site-description";
    /// A language's name in that language, for the switcher and the chooser.
    LANGUAGE_NAME = "language-name";
    NOT_FOUND_TITLE = "not-found-title";
    NOT_FOUND_TEXT = "not-found-text";
    TAGS_TITLE = "tags-title";
    TAGS_DESCRIPTION = "tags-description";
    TAG_PAGE_TITLE = "tag-page-title" ["tag"];
    TAG_PAGE_DESCRIPTION = "tag-page-description" ["tag", "count"];
    TIMELINE_TITLE = "timeline-title";
    TIMELINE_DESCRIPTION = "timeline-description";
    GLOSSARY_TITLE = "glossary-title";
    GLOSSARY_DESCRIPTION = "glossary-description";
    SEARCH_TITLE = "search-title";
    SEARCH_DESCRIPTION = "search-description";
    /// URL segments of each language's own pages.
    URL_TAGS = "url-tags";
    URL_TIMELINE = "url-timeline";
    URL_GLOSSARY = "url-glossary";
    URL_SEARCH = "url-search";
    URL_PAGE = "url-page";
    /// Dates, from the month names below.
    DATE_FULL = "date-full" ["day", "month", "year"];
    DATE_MONTH = "date-month" ["month", "year"];
    DATE_YEAR = "date-year" ["year"];
    DATE_RANGE = "date-range" ["start", "end"];
    DATE_RANGE_DAYS = "date-range-days" ["first", "last", "month", "year"];
    MONTH_1 = "month-1";
    MONTH_2 = "month-2";
    MONTH_3 = "month-3";
    MONTH_4 = "month-4";
    MONTH_5 = "month-5";
    MONTH_6 = "month-6";
    MONTH_7 = "month-7";
    MONTH_8 = "month-8";
    MONTH_9 = "month-9";
    MONTH_10 = "month-10";
    MONTH_11 = "month-11";
    MONTH_12 = "month-12";
    /// The organisation that publishes the site: header and publisher of the structured data.
    ORGANISATION_NAME = "organisation-name";
    /// The alternative text of the organisation's logo (`logo` in briefing.toml).
    LOGO_ALT = "logo-alt";
    /// Labels of the built-in pages in menus and breadcrumbs.
    NAV_HOME = "nav-home";
    NAV_TIMELINE = "nav-timeline";
    NAV_TAGS = "nav-tags";
    NAV_GLOSSARY = "nav-glossary";
    NAV_SEARCH = "nav-search";
    /// The language's locale for Open Graph (`fr_CA`, `en_CA`).
    OG_LOCALE = "og-locale";
    /// Labels of the call-outs (`> [!NOTE]` …) in pages.
    CALLOUT_NOTE = "callout-note";
    CALLOUT_TIP = "callout-tip";
    CALLOUT_IMPORTANT = "callout-important";
    CALLOUT_WARNING = "callout-warning";
    CALLOUT_CAUTION = "callout-caution";
    /// The title `briefing new` writes into a new topic's files.
    NEW_TOPIC_TITLE = "new-topic-title";
}

/// Month names, January first.
pub const MONTHS: [CodeMessage; 12] = [
    MONTH_1, MONTH_2, MONTH_3, MONTH_4, MONTH_5, MONTH_6, MONTH_7, MONTH_8, MONTH_9, MONTH_10,
    MONTH_11, MONTH_12,
];

/// The URL segments, in the order of `model::Segments`' fields.
pub const SEGMENTS: [CodeMessage; 5] = [URL_TAGS, URL_TIMELINE, URL_GLOSSARY, URL_SEARCH, URL_PAGE];

/// The name of the tag `id` in a language: `tag-<id>`.
pub fn tag_message(id: &str) -> String {
    format!("tag-{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_message_is_listed_once() {
        let mut ids: Vec<&str> = CODE_MESSAGES.iter().map(|message| message.id).collect();
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count);
        assert!(ids.contains(&"month-12") && ids.contains(&"new-topic-title"));
        assert!(MONTHS.iter().all(|month| CODE_MESSAGES.contains(month)));
    }
}
