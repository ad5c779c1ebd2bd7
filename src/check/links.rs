//! Check stage: the links of every page that parsed, beyond the `@/` links the assemble stage
//! resolves. Anchors within the page, relative links and images to files (which must exist,
//! and be published where the link leads on the site), and the list of external links, which
//! are never fetched.

use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use percent_encoding::percent_decode_str;

use crate::content::markdown::{Body, OtherLink};
use crate::content::page::{HomeText, Page};
use crate::diagnostic::{Diagnostic, display_path, nearest};
use crate::model::SiteModel;
use crate::source::{SourceKind, Sources};
use crate::urls::SitePath;

pub struct LinksInput<'a> {
    pub sources: &'a Sources,
    pub pages: &'a [Arc<Page>],
    pub homes: &'a [Arc<HomeText>],
    /// The site as `build --drafts` makes it: where each page is published.
    pub model: &'a SiteModel,
    /// Anchors every page gets from the theme's templates.
    pub template_ids: &'a BTreeSet<String>,
    /// Whether each external link is listed too (an informational finding of `check`); a
    /// build wants only the links that are wrong.
    pub list_external: bool,
}

/// One Markdown file, and where the site publishes it.
struct LinkSource<'a> {
    file: &'a Path,
    lang: &'a str,
    topic: Option<&'a str>,
    body: &'a Body,
    published_at: Option<SitePath>,
}

/// Where each topic is published: (language, topic) → its folder on the site.
type Published<'a> = HashMap<(&'a str, &'a str), &'a SitePath>;

pub fn link_findings(input: &LinksInput<'_>) -> Vec<Diagnostic> {
    let published: Published<'_> = input
        .model
        .languages
        .iter()
        .flat_map(|language| {
            language.topics.iter().chain(&language.pages).map(|topic| {
                let key = (language.lang.as_str(), topic.page.topic.as_str());
                (key, &topic.path)
            })
        })
        .collect();
    let context = Context {
        input,
        published: &published,
    };
    // Each page on its own, on every core; gathered in the pages' order.
    let mut findings: Vec<Diagnostic> = input
        .pages
        .par_iter()
        .flat_map_iter(|page| {
            let mut findings = Vec::new();
            let published_at = published
                .get(&(page.lang.as_str(), page.topic.as_str()))
                .map(|path| (*path).clone());
            let source = LinkSource {
                file: &page.path,
                lang: &page.lang,
                topic: Some(&page.topic),
                body: &page.body,
                published_at,
            };
            body_links(&context, &source, &mut findings);
            if !input.list_external {
                return findings;
            }
            for source in &page.sources {
                if let (Some(url), Some(spot)) = (&source.url, source.url_spot) {
                    findings.push(
                        Diagnostic::info("link-external", &page.path, format!("source link {url}"))
                            .at_line_column(None, spot.line, spot.column),
                    );
                }
            }
            findings
        })
        .collect();
    for home in input.homes {
        let source = LinkSource {
            file: &home.path,
            lang: &home.lang,
            topic: None,
            body: &home.body,
            published_at: Some(SitePath::folder(&[&home.lang])),
        };
        body_links(&context, &source, &mut findings);
    }
    findings
}

/// What every link check reads.
struct Context<'a> {
    input: &'a LinksInput<'a>,
    published: &'a Published<'a>,
}

fn body_links(context: &Context<'_>, source: &LinkSource<'_>, findings: &mut Vec<Diagnostic>) {
    let input = context.input;
    let at = |diagnostic: Diagnostic, link: &OtherLink| {
        diagnostic.at_line_column(None, link.spot.line, link.spot.column)
    };
    let external = if input.list_external {
        &source.body.external_links[..]
    } else {
        &[]
    };
    for link in external {
        let what = if link.is_image { "image" } else { "link" };
        let message = format!("external {what} {}", link.target);
        findings.push(at(
            Diagnostic::info("link-external", source.file, message),
            link,
        ));
    }
    let mut anchors: Vec<&str> = source.body.headings.iter().map(|h| h.id.as_str()).collect();
    anchors.extend(input.template_ids.iter().map(String::as_str));
    for link in &source.body.anchor_links {
        let anchor = decode(link.target.trim_start_matches('#'));
        if anchor.is_empty() || anchors.contains(&anchor.as_str()) {
            continue;
        }
        let mut finding = Diagnostic::error(
            "link-anchor",
            source.file,
            format!("link to missing anchor \"#{anchor}\" in this page"),
        );
        if let Some(candidate) = nearest(&anchor, &anchors) {
            finding = finding.with_help(format!("did you mean \"#{candidate}\"?"));
        }
        findings.push(at(finding, link));
    }
    for link in &source.body.file_links {
        if let Some(finding) = file_link(context, source, link) {
            findings.push(at(finding, link));
        }
    }
}

/// A relative link or image must name a file of the project that the build publishes, at the
/// address the link leads to from the page.
fn file_link(
    context: &Context<'_>,
    source: &LinkSource<'_>,
    link: &OtherLink,
) -> Option<Diagnostic> {
    let input = context.input;
    let target = decode(link_path(&link.target));
    if target.is_empty() {
        return None;
    }
    let what = if link.is_image { "image" } else { "link" };
    let problem = |message: String| Diagnostic::error("link-file", source.file, message);
    if target.starts_with('/') {
        return Some(
            Diagnostic::error(
                "link-absolute",
                source.file,
                format!("{what} \"{}\" starts with /", link.target),
            )
            .with_help(
                "the site must work from any sub-path: write the path relative to this file",
            ),
        );
    }
    let folder = display_path(source.file.parent().unwrap_or(Path::new("")));
    let Some(on_disk) = join_normalized(&folder, &target) else {
        return Some(problem(format!(
            "{what} \"{}\" leads outside the project",
            link.target
        )));
    };
    if !on_disk.starts_with("content/") {
        return Some(problem(format!(
            "{what} to {on_disk}, outside content/: only the files of topic folders are published"
        )));
    }
    let Some(file) = input.sources.files.get(Path::new(&on_disk)) else {
        let mut finding = problem(format!("{what} to {on_disk}, which does not exist"));
        if let Some(candidate) = nearest_asset(input.sources, source.topic, &on_disk) {
            finding = finding.with_help(format!("did you mean \"{candidate}\"?"));
        }
        return Some(finding);
    };
    match &file.kind {
        SourceKind::Asset { topic, relative } => {
            published_asset(context, source, &target, topic, relative)
                .map(|message| problem(format!("{what} \"{}\": {message}", link.target)))
        }
        SourceKind::TopicPage { topic, .. } => Some(
            problem(format!("{what} to the Markdown file {on_disk}"))
                .with_help(format!("link to the topic with \"@/{topic}\"")),
        ),
        _ => Some(problem(format!(
            "{what} to {on_disk}, which is not published: only the files of topic folders are"
        ))),
    }
}

/// Why the asset `relative` of `topic` is not at the address the link leads to, if it is not.
fn published_asset(
    context: &Context<'_>,
    source: &LinkSource<'_>,
    target: &str,
    topic: &str,
    relative: &str,
) -> Option<String> {
    let Some(topic_path) = context.published.get(&(source.lang, topic)) else {
        return Some(format!(
            "the file is published next to the pages of topic \"{topic}\", which has no \"{}\" page",
            source.lang
        ));
    };
    let published = format!("{}{relative}", topic_path.as_str());
    let page = source.published_at.as_ref()?;
    let from = page.as_str().trim_end_matches('/');
    let leads_to = join_normalized(from, target);
    if leads_to.as_deref() == Some(published.as_str()) {
        return None;
    }
    Some(format!(
        "on the site it leads to {}, but the file is published at {published}",
        leads_to.unwrap_or_else(|| "outside the site".into())
    ))
}

/// The path of a link, without its query or fragment.
fn link_path(target: &str) -> &str {
    let end = target.find(['?', '#']).unwrap_or(target.len());
    &target[..end]
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// `base` (a folder, `/`-separated) joined with `relative`, with `.` and `..` resolved;
/// `None` when it climbs above the root.
fn join_normalized(base: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|part| !part.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The file of the page's own topic nearest to `missing`, as the link would name it.
fn nearest_asset(sources: &Sources, topic: Option<&str>, missing: &str) -> Option<String> {
    let topic = topic?;
    let assets: Vec<&str> = sources
        .files
        .values()
        .filter_map(|file| match &file.kind {
            SourceKind::Asset { topic: t, relative } if t == topic => Some(relative.as_str()),
            _ => None,
        })
        .collect();
    let name = PathBuf::from(missing);
    let name = name.strip_prefix(format!("content/{topic}")).ok()?;
    nearest(&display_path(name), &assets).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_joined_like_a_browser_does() {
        assert_eq!(
            join_normalized("content/cyber", "./img/../carte.svg").as_deref(),
            Some("content/cyber/carte.svg")
        );
        assert_eq!(
            join_normalized("fr/cyber", "../otan/x.png").as_deref(),
            Some("fr/otan/x.png")
        );
        assert_eq!(join_normalized("content", "../../x"), None);
        assert_eq!(link_path("carte.svg?v=2#top"), "carte.svg");
        assert_eq!(decode("carte%20cor%C3%A9e.svg"), "carte corée.svg");
    }
}
