//! Assemble stage, links: the `@/topic` and `@/topic#anchor` placeholders a body holds become
//! relative links to the topic's page in the same language, or findings naming why not.

use std::path::Path;
use std::sync::Arc;

use crate::content::markdown::{Body, TOPIC_LINK_PLACEHOLDER, TopicLink};
use crate::diagnostic::{Diagnostic, nearest};
use crate::source::{Digest, digest_of};
use crate::urls::{SitePath, relative};

use super::{Fresh, LanguageContext};

/// Replaces the `@/` placeholders of a body with relative links from `from`. The result is
/// reused from the last run when the page and where its links lead are the same.
pub(super) fn resolve_links(
    body: &Body,
    page_digest: Digest,
    file: &Path,
    from: &SitePath,
    context: &LanguageContext<'_>,
    fresh: &mut Fresh,
    problems: &mut Vec<Diagnostic>,
) -> (Arc<str>, Digest) {
    let mut hrefs = Vec::with_capacity(body.topic_links.len());
    for (index, link) in body.topic_links.iter().enumerate() {
        match link_href(link, file, from, context) {
            Ok(href) => hrefs.push((index, href)),
            Err(problem) => problems.extend(problem),
        }
    }
    let key = digest_of(&(page_digest, from, &hrefs));
    let html = match context.cache.bodies.get(file) {
        Some((cached, html)) if *cached == key => html.clone(),
        _ => {
            let mut html = body.html.clone();
            // Highest index first, so that `…:1` never matches inside `…:12`.
            for (index, href) in hrefs.iter().rev() {
                html = html.replace(
                    &format!("\"{TOPIC_LINK_PLACEHOLDER}{index}\""),
                    &format!("\"{href}\""),
                );
            }
            Arc::from(html)
        }
    };
    fresh.bodies.insert(file.to_path_buf(), (key, html.clone()));
    (html, key)
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
