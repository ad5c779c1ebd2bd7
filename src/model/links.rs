//! Assemble stage, links: the `@/topic` and `@/topic#anchor` placeholders a body holds become
//! relative links to the topic's page in the same language, or findings naming why not.

use std::path::Path;

use crate::content::markdown::{Body, TOPIC_LINK_PLACEHOLDER, TopicLink};
use crate::diagnostic::{Diagnostic, nearest};
use crate::urls::{SitePath, relative};

use super::LanguageContext;

/// Replaces the `@/` placeholders of a body with relative links from `from`.
pub(super) fn resolve_links(
    body: &Body,
    file: &Path,
    from: &SitePath,
    context: &LanguageContext<'_>,
    problems: &mut Vec<Diagnostic>,
) -> String {
    let lang = context.lang;
    let mut html = body.html.clone();
    // Highest index first, so that `…:1` never matches inside `…:12`.
    for (index, link) in body.topic_links.iter().enumerate().rev() {
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
            problems.extend(missing_target_problem(link, context, problem));
            continue;
        };
        let mut href = relative(from, target_path, context.link_style);
        if let Some(anchor) = &link.anchor {
            let target = context
                .pages
                .iter()
                .find(|page| page.topic == link.topic)
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
                problems.push(diagnostic);
                continue;
            }
            href.push('#');
            href.push_str(anchor);
        }
        html = html.replace(
            &format!("\"{TOPIC_LINK_PLACEHOLDER}{index}\""),
            &format!("\"{href}\""),
        );
    }
    html
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
