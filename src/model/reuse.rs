//! Assemble stage, the quick way: when a run changed only the bodies of pages (nothing the
//! assembly of other pages reads: addresses, order, tags, events, headings), the last model
//! is patched instead of made anew: the changed topics get their new page and body, every
//! other topic is shared with the last model.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{
    AssembleCache, AssembleInput, LanguageContext, LanguageModel, Patch, PatchedTopic,
    ResolvedBody, Revision, SiteModel, TopicModel, card_digest, pages_by_topic, resolve_links,
};
use crate::content::page::Page;
use crate::diagnostic::Diagnostic;
use crate::source::{Digest, DigestHasher, digest_of};

/// What the last successful assembly was made from, and where each page went.
#[derive(Debug)]
pub(super) struct LastRun {
    model: SiteModel,
    /// Digest of the languages, options and locale tables.
    context: Digest,
    homes: Vec<Digest>,
    /// The input pages in order, with the digest of what assembly reads of each.
    pages: Vec<(Arc<Page>, Digest)>,
    /// For each input page, its (language, topic) place in the model; `None` for a draft
    /// left out.
    places: Vec<Option<(usize, usize)>>,
}

impl LastRun {
    pub(super) fn record(input: &AssembleInput<'_>, model: &SiteModel) -> LastRun {
        let mut place_of = std::collections::HashMap::new();
        for (lang, language) in model.languages.iter().enumerate() {
            for (index, topic) in language.topics.iter().enumerate() {
                place_of.insert(topic.page.path.as_path(), (lang, index));
            }
        }
        LastRun {
            model: model.clone(),
            context: context_digest(input),
            homes: input.homes.iter().map(|home| home.digest).collect(),
            pages: input
                .pages
                .iter()
                .map(|page| (page.clone(), shape_digest(page)))
                .collect(),
            places: input
                .pages
                .iter()
                .map(|page| place_of.get(page.path.as_path()).copied())
                .collect(),
        }
    }
}

/// Everything every page's assembly reads besides the pages.
fn context_digest(input: &AssembleInput<'_>) -> Digest {
    let mut digest = DigestHasher::default();
    digest
        .add(input.languages)
        .add(&input.drafts)
        .add(&input.link_style)
        .add(input.held_back);
    for lang in input.languages {
        digest.add(&input.locales.digest(lang));
    }
    digest.digest()
}

/// What assembling the *other* pages reads of a page: its address, its place in the order,
/// its tags, events and headings (anchors of links to it). A page whose shape is unchanged
/// changes nothing but its own topic.
fn shape_digest(page: &Page) -> Digest {
    let tags: Vec<&str> = page.tags.iter().map(|tag| tag.id.as_str()).collect();
    let headings: Vec<&str> = page.body.headings.iter().map(|h| h.id.as_str()).collect();
    digest_of(&(
        &page.path,
        &page.topic,
        &page.lang,
        &page.slug,
        &page.draft,
        &page.title,
        &page.date,
        &page.weight,
        &tags,
        &page.events,
        &headings,
    ))
}

/// The model patched for the pages whose body alone changed, or `None` when the change
/// needs a full assembly.
pub(super) fn patch(
    input: &AssembleInput<'_>,
    cache: &mut AssembleCache,
) -> Option<Result<SiteModel, Vec<Diagnostic>>> {
    let last = cache.last.as_ref()?;
    if !input.unparsed.is_empty() {
        return None;
    }
    let homes: Vec<Digest> = input.homes.iter().map(|home| home.digest).collect();
    if input.pages.len() != last.pages.len()
        || homes != last.homes
        || context_digest(input) != last.context
    {
        return None;
    }
    let mut changed = Vec::new();
    for (index, (page, (old, shape))) in input.pages.iter().zip(&last.pages).enumerate() {
        if page.digest == old.digest {
            continue;
        }
        // A standalone page has no place among the topics: assemble anew.
        if page.path != old.path || shape_digest(page) != *shape || page.is_standalone() {
            return None;
        }
        changed.push(index);
    }
    let mut model = last.model.clone();
    let mut patched_topics = Vec::with_capacity(changed.len());
    let mut problems = Vec::new();
    let left_out_drafts: BTreeSet<(String, String)> = input
        .pages
        .iter()
        .filter(|page| input.leaves_out(page))
        .map(|page| (page.topic.clone(), page.lang.clone()))
        .collect();
    for &index in &changed {
        let Some((lang, topic)) = last.places[index] else {
            continue;
        };
        let page = &input.pages[index];
        // Only links to an anchor look at the pages they point to.
        let checks_anchors = page.body.topic_links.iter().any(|l| l.anchor.is_some());
        let published: Vec<Arc<Page>> = if checks_anchors {
            input
                .pages
                .iter()
                .filter(|p| p.lang == page.lang && !input.leaves_out(p))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let by_topic = pages_by_topic(&published);
        let context = LanguageContext {
            lang: &page.lang,
            translations: &model.translations,
            pages: &by_topic,
            link_style: input.link_style,
            left_out_drafts: &left_out_drafts,
            held_back: input.held_back,
            unparsed: input.unparsed,
            cache,
            addresses_unchanged: true,
        };
        let language = &model.languages[lang];
        let old = &language.topics[topic];
        let (hrefs, body_digest) = resolve_links(
            &page.body,
            page.digest,
            &page.path,
            &old.path,
            &context,
            &mut problems,
        );
        let patched = TopicModel {
            page: page.clone(),
            path: old.path.clone(),
            body: ResolvedBody::new(page.clone(), hrefs),
            body_digest,
            addresses_digest: old.addresses_digest,
            card_digest: card_digest(page, &old.path, &old.tags, &language.tags),
            tags: old.tags.clone(),
            related: old.related.clone(),
        };
        patched_topics.push(PatchedTopic {
            lang,
            topic,
            card_changed: patched.card_digest != old.card_digest,
            updated_changed: page.updated != old.page.updated,
        });
        model.languages[lang].topics[topic] = Arc::new(patched);
    }
    if !problems.is_empty() {
        cache.last = None;
        return Some(Err(problems));
    }
    for patched in &patched_topics {
        if patched.updated_changed {
            let language = &mut model.languages[patched.lang];
            language.by_last_change = LanguageModel::order_by_last_change(&language.topics);
        }
    }
    let last = cache.last.as_mut().expect("checked above");
    model.revision = Revision::next(Some(Patch {
        base: last.model.revision.id,
        topics: patched_topics,
    }));
    let mut replaced = Vec::with_capacity(changed.len());
    for &index in &changed {
        let page = &input.pages[index];
        let old = std::mem::replace(&mut last.pages[index], (page.clone(), shape_digest(page)));
        replaced.push(old.0.digest);
    }
    // The parts of the pages replaced will not be asked for again.
    for digest in replaced {
        cache.topics.remove(&digest);
    }
    last.model = model.clone();
    Some(Ok(model))
}
