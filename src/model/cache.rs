//! Assemble stage, what it remembers between runs: related topics, each topic's address,
//! resolved body and digests, and the last model, each under the digest of what it was made
//! from.

use std::collections::HashMap;
use std::sync::Arc;

use super::links::{ResolvedBody, resolve_links};
use super::{Addresses, LanguageContext, TagModel, reuse};
use crate::content::page::Page;
use crate::diagnostic::Diagnostic;
use crate::source::{Digest, digest_of};
use crate::urls::SitePath;

/// What assembling remembers between runs: related topics and each topic's parts, each
/// under the digest of everything it was computed from, and the last model.
#[derive(Debug, Default)]
pub struct AssembleCache {
    pub(super) related: HashMap<String, (Digest, Vec<Vec<usize>>)>,
    /// By page digest: what a topic's model was made of that page, valid while every topic
    /// keeps its address (`translations` unchanged).
    pub(super) topics: HashMap<Digest, TopicParts>,
    pub(super) translations: Arc<Addresses>,
    /// The last model made, to patch when only bodies changed.
    pub(super) last: Option<reuse::LastRun>,
}

#[derive(Debug, Clone)]
pub(super) struct TopicParts {
    pub(super) path: SitePath,
    pub(super) addresses_digest: Digest,
    pub(super) body: ResolvedBody,
    pub(super) body_digest: Digest,
    pub(super) card_digest: Digest,
}

/// The entries of one run, which replace the cache's when the run is over; none are kept
/// for a run that is the only one (`Fresh::default`).
#[derive(Default)]
pub(super) struct Fresh {
    pub(super) keep: bool,
    pub(super) related: HashMap<String, (Digest, Vec<Vec<usize>>)>,
    pub(super) topics: HashMap<Digest, TopicParts>,
}

impl Fresh {
    pub(super) fn keeping() -> Fresh {
        Fresh {
            keep: true,
            ..Fresh::default()
        }
    }

    pub(super) fn keep_topic(&mut self, page: Digest, parts: &TopicParts) {
        if self.keep {
            self.topics.insert(page, parts.clone());
        }
    }

    pub(super) fn keep_related(&mut self, lang: &str, key: Digest, related: Vec<Vec<usize>>) {
        if self.keep {
            self.related.insert(lang.to_string(), (key, related));
        }
    }
}

/// The address, body and digests of a topic: from the cache when neither the page nor any
/// address changed (and no anchor of another page is checked), else made anew.
pub(super) fn topic_parts(
    page: &Arc<Page>,
    page_tags: &[usize],
    tags: &[TagModel],
    context: &LanguageContext<'_>,
    problems: &mut Vec<Diagnostic>,
) -> TopicParts {
    let checks_anchors = page.body.topic_links.iter().any(|l| l.anchor.is_some());
    if context.addresses_unchanged
        && !checks_anchors
        && let Some(parts) = context.cache.topics.get(&page.digest)
    {
        return parts.clone();
    }
    let path = SitePath::folder(&[context.lang, &page.slug]);
    let (hrefs, body_digest) = resolve_links(
        &page.body,
        page.digest,
        &page.path,
        &path,
        context,
        problems,
    );
    let card_digest = card_digest(page, &path, page_tags, tags);
    TopicParts {
        path,
        addresses_digest: digest_of(&context.translations.get(&page.topic)),
        body: ResolvedBody::new(page.clone(), hrefs),
        body_digest,
        card_digest,
    }
}

/// Digest of what a list shows of a topic: its title, summary, date, tags and address.
pub(super) fn card_digest(
    page: &Page,
    path: &SitePath,
    page_tags: &[usize],
    tags: &[TagModel],
) -> Digest {
    let tag_ids: Vec<&str> = page_tags.iter().map(|i| tags[*i].id.as_str()).collect();
    digest_of(&(
        &page.topic,
        &page.title,
        &page.summary,
        &page.date,
        &page.path,
        path,
        &tag_ids,
    ))
}
