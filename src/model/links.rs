//! Assemble stage, links: the `@/topic` and `@/topic#anchor` placeholders a body holds become
//! relative links to the topic's page in the same language, or findings naming why not.

use std::path::Path;
use std::sync::Arc;

use crate::content::markdown::{Body, TOPIC_LINK_PLACEHOLDER, TopicLink};
use crate::content::page::Page;
use crate::diagnostic::{Diagnostic, nearest};
use crate::source::{Digest, digest_of};
use crate::urls::{SitePath, relative};

use super::LanguageContext;

/// Where each `@/` link of a body leads from `from` (`None` for a broken one: its finding is
/// in `problems`), and the digest of the body they make: the HTML itself is filled in only
/// when something shows it (`ResolvedBody::html`), so a run that renders few pages does
/// not copy every body.
pub(super) fn resolve_links(
    body: &Body,
    page_digest: Digest,
    file: &Path,
    from: &SitePath,
    context: &LanguageContext<'_>,
    problems: &mut Vec<Diagnostic>,
) -> (Arc<[Option<String>]>, Digest) {
    let mut hrefs = Vec::with_capacity(body.topic_links.len());
    for link in &body.topic_links {
        match link_href(link, file, from, context) {
            Ok(href) => hrefs.push(Some(href)),
            Err(problem) => {
                problems.extend(problem);
                hrefs.push(None);
            }
        }
    }
    let digest = digest_of(&(page_digest, from, &hrefs));
    (hrefs.into(), digest)
}

/// A topic's body with its `@/` links made relative to its page: the page's HTML and the
/// hrefs its placeholders stand for, put together when a view is made of it.
#[derive(Debug, Clone)]
pub struct ResolvedBody {
    page: Arc<Page>,
    hrefs: Arc<[Option<String>]>,
}

impl ResolvedBody {
    pub(super) fn new(page: Arc<Page>, hrefs: Arc<[Option<String>]>) -> ResolvedBody {
        ResolvedBody { page, hrefs }
    }

    /// The HTML as the page shows it.
    pub fn html(&self) -> String {
        filled_html(&self.page.body.html, &self.hrefs)
    }
}

/// A body's HTML with the hrefs `resolve_links` found put in its placeholders.
pub(super) fn filled_html(html: &str, hrefs: &[Option<String>]) -> String {
    if hrefs.is_empty() {
        // No placeholder to fill: the parse's HTML is the page's.
        return html.to_string();
    }
    let filled = fill_topic_links(html, hrefs);
    debug_assert_eq!(filled.bytes_examined, html.len());
    filled.html
}

/// A body's HTML with its `@/` placeholders filled in.
pub(crate) struct Filled {
    pub html: String,
    /// Bytes of the body's HTML looked at: the work done, which must stay linear in its size
    /// however many links it holds.
    pub bytes_examined: usize,
}

/// Replaces each `"briefing-topic-link:N"` of `html` by the quoted href of link N, in one
/// pass over the HTML (a replacement per link would copy the page once per link). A link
/// without an href (it is broken: the run fails) keeps its placeholder.
pub(crate) fn fill_topic_links(html: &str, hrefs: &[Option<String>]) -> Filled {
    let needle = format!("\"{TOPIC_LINK_PLACEHOLDER}");
    let mut filled = String::with_capacity(html.len() + hrefs.len() * 16);
    let mut bytes_examined = 0;
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        bytes_examined += at + needle.len();
        filled.push_str(&rest[..at]);
        let after = &rest[at + needle.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        bytes_examined += digits;
        let href = after[..digits]
            .parse::<usize>()
            .ok()
            .filter(|_| after[digits..].starts_with('"'))
            .and_then(|index| hrefs.get(index)?.as_deref());
        match href {
            Some(href) => {
                filled.push('"');
                filled.push_str(href);
                filled.push('"');
                bytes_examined += 1;
                rest = &after[digits + 1..];
            }
            None => {
                filled.push_str(&needle);
                filled.push_str(&after[..digits]);
                rest = &after[digits..];
            }
        }
    }
    bytes_examined += rest.len();
    filled.push_str(rest);
    Filled {
        html: filled,
        bytes_examined,
    }
}

/// Where one `@/` link leads from `from`, or the finding that says why it leads nowhere
/// (none when the target did not parse: its own errors say why).
fn link_href(
    link: &TopicLink,
    file: &Path,
    from: &SitePath,
    context: &LanguageContext<'_>,
) -> Result<String, Option<Diagnostic>> {
    let lang = context.lang;
    let problem = |message: String| {
        Diagnostic::error("link-broken", file, message).at_line_column(
            None,
            link.spot.line,
            link.spot.column,
        )
    };
    let Some(target_path) = context
        .translations
        .get(&link.topic)
        .and_then(|languages| languages.get(lang))
    else {
        return Err(missing_target_problem(link, context, problem));
    };
    let mut href = relative(from, target_path, context.link_style);
    if let Some(anchor) = &link.anchor {
        let target = context
            .pages
            .get(link.topic.as_str())
            .expect("a translated topic has its page");
        let ids: Vec<&str> = target.body.headings.iter().map(|h| h.id.as_str()).collect();
        if !ids.contains(&anchor.as_str()) {
            let mut diagnostic = problem(format!(
                "link to missing anchor \"#{anchor}\" in topic \"{}\" ({lang})",
                link.topic
            ));
            if let Some(candidate) = nearest(anchor, &ids) {
                diagnostic = diagnostic.with_help(format!("did you mean \"#{candidate}\"?"));
            }
            return Err(Some(diagnostic));
        }
        href.push('#');
        href.push_str(anchor);
    }
    Ok(href)
}

/// Why a link's topic has no page in the link's language; `None` when the page exists but did
/// not parse (its own errors say why).
fn missing_target_problem(
    link: &TopicLink,
    context: &LanguageContext<'_>,
    problem: impl Fn(String) -> Diagnostic,
) -> Option<Diagnostic> {
    let lang = context.lang;
    let key = (link.topic.clone(), lang.to_string());
    if context.unparsed.contains(&key) {
        return None;
    }
    if let Some(holds) = context.held_back.get(&link.topic)
        && context.left_out_drafts.contains(&key)
    {
        return Some(
            problem(format!(
                "link to topic \"{}\", which is held back: {}",
                link.topic,
                super::held_back::reasons(holds)
            ))
            .with_help(
                "with [translations] publish = \"together\", every language goes out at once",
            ),
        );
    }
    if context.left_out_drafts.contains(&key) {
        return Some(
            problem(format!(
                "link to topic \"{}\", which is a draft in \"{lang}\"",
                link.topic
            ))
            .with_help("drafts are built only by `serve` and `build --drafts`"),
        );
    }
    let message = if context.translations.contains_key(&link.topic) {
        format!(
            "link to topic \"{}\", which has no page in \"{lang}\"",
            link.topic
        )
    } else {
        format!("link to missing topic \"{}\"", link.topic)
    };
    let ids: Vec<&str> = context.translations.keys().map(String::as_str).collect();
    let mut diagnostic = problem(message);
    if let Some(candidate) = nearest(&link.topic, &ids) {
        diagnostic = diagnostic.with_help(format!("did you mean \"@/{candidate}\"?"));
    }
    Some(diagnostic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_with_links(count: usize) -> (String, Vec<Option<String>>) {
        let html = (0..count)
            .map(|i| format!("<a href=\"{TOPIC_LINK_PLACEHOLDER}{i}\">lien {i}</a> "))
            .collect();
        let hrefs = (0..count)
            .map(|i| (i % 7 != 3).then(|| format!("../topic-{i}/#s")))
            .collect();
        (html, hrefs)
    }

    #[test]
    fn placeholders_are_filled_by_index_and_broken_links_keep_theirs() {
        let (html, hrefs) = page_with_links(13);
        let filled = fill_topic_links(&html, &hrefs).html;
        assert!(filled.contains("<a href=\"../topic-1/#s\">lien 1</a>"));
        assert!(filled.contains("<a href=\"../topic-12/#s\">lien 12</a>"));
        assert!(filled.contains(&format!("\"{TOPIC_LINK_PLACEHOLDER}3\"")));
        assert!(filled.contains(&format!("\"{TOPIC_LINK_PLACEHOLDER}10\"")));
        assert_eq!(filled.matches(TOPIC_LINK_PLACEHOLDER).count(), 2);
        assert_eq!(
            fill_topic_links("no links, \"briefing-topic-link:x", &[]).html,
            "no links, \"briefing-topic-link:x"
        );
    }

    #[test]
    fn filling_is_one_pass_however_many_links() {
        for count in [5_000, 10_000, 20_000] {
            let (html, hrefs) = page_with_links(count);
            let filled = fill_topic_links(&html, &hrefs);
            // Each byte of the page is looked at once: one replacement per link looked at
            // the page `count` times.
            assert_eq!(filled.bytes_examined, html.len(), "{count} links");
            let broken = hrefs.iter().filter(|href| href.is_none()).count();
            assert_eq!(filled.html.matches(TOPIC_LINK_PLACEHOLDER).count(), broken);
        }
    }
}
