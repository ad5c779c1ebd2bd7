//! Assemble stage: parsed pages of every file → `SiteModel`. Cross-file work happens here
//! and only here: pairing translations, resolving `@/` links, tags, timeline, related topics.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::content::date::Date;
use crate::content::page::{HomeText, Page, is_safe_segment};
use crate::diagnostic::Diagnostic;
use crate::i18n::Locales;
use crate::source::{Digest, digest_of};
use crate::urls::{LinkStyle, SitePath};

mod addresses;
mod cache;
pub mod held_back;
mod links;
mod related;
mod reuse;

use addresses::{check_slugs, check_tag_slugs, segments, tag_model};
pub use cache::AssembleCache;
use cache::{Fresh, TopicParts, card_digest, topic_parts};
pub use held_back::HeldBack;
pub use links::ResolvedBody;
use links::{filled_html, resolve_links};

/// The URL segments of a language's own pages, from its locale tables.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Segments {
    pub tags: String,
    pub timeline: String,
    pub glossary: String,
    pub search: String,
    /// The folder of a list's further pages: `fr/<page>/2/`.
    pub page: String,
}

#[derive(Debug, Clone)]
pub struct TopicModel {
    pub page: Arc<Page>,
    pub path: SitePath,
    /// The body with `@/` links made relative to this page.
    pub body: ResolvedBody,
    /// Digest of `body`.
    pub body_digest: Digest,
    /// Digest of the topic's pages in every language (`SiteModel::translations`).
    pub addresses_digest: Digest,
    /// Digest of what a list shows of this topic (title, summary, date, tags, address), so
    /// that pages listing it are re-rendered when that changes and not when its body does.
    pub card_digest: Digest,
    /// Indexes into the language's `tags`.
    pub tags: Vec<usize>,
    /// Indexes into the language's `topics`: topics sharing a tag, closest first.
    pub related: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct TagModel {
    pub id: String,
    pub name: String,
    pub path: SitePath,
    /// Indexes into the language's `topics`.
    pub topics: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct TimelineEvent {
    pub date: Date,
    pub end: Option<Date>,
    pub text: String,
    /// Index into the language's `topics`.
    pub topic: usize,
}

#[derive(Debug, Clone)]
pub struct LanguageModel {
    pub lang: String,
    pub segments: Segments,
    pub home: Option<Arc<HomeText>>,
    pub home_html: Arc<str>,
    /// Digest of `home_html`.
    pub home_digest: Digest,
    /// In home-page order: weight, then newest first. Shared, so that a run which changes
    /// one topic's body replaces that topic and keeps the others.
    pub topics: Vec<Arc<TopicModel>>,
    /// The standalone pages (`content/_pages/`), by id: in no list, tag, timeline or feed.
    pub pages: Vec<Arc<TopicModel>>,
    pub tags: Vec<TagModel>,
    /// Newest first.
    pub timeline: Arc<[TimelineEvent]>,
    /// Indices of `topics` by their last change (`updated`, else `date`), latest first, ties
    /// in home-page order: the feed's order, kept so that no run sorts every topic again.
    pub by_last_change: Arc<[u32]>,
}

impl LanguageModel {
    /// `by_last_change` for these topics.
    pub fn order_by_last_change(topics: &[Arc<TopicModel>]) -> Arc<[u32]> {
        let mut order: Vec<u32> = (0..topics.len() as u32).collect();
        let last_change = |at: &u32| {
            let page = &topics[*at as usize].page;
            std::cmp::Reverse(page.updated.unwrap_or(page.date).sort_key())
        };
        order.sort_by_cached_key(last_change);
        order.into()
    }

    /// The topic changed last, if any.
    pub fn last_changed(&self) -> Option<&TopicModel> {
        let first = *self.by_last_change.first()?;
        Some(&self.topics[first as usize])
    }

    pub fn home_path(&self) -> SitePath {
        SitePath::folder(&[&self.lang])
    }

    pub fn section_path(&self, segment: &str) -> SitePath {
        SitePath::folder(&[&self.lang, segment])
    }

    pub fn feed_path(&self) -> SitePath {
        SitePath::file(format!("{}/atom.xml", self.lang))
    }
}

/// Topic id → language → the page of that translation.
pub type Addresses = BTreeMap<String, BTreeMap<String, SitePath>>;

#[derive(Debug, Clone)]
pub struct SiteModel {
    pub languages: Vec<LanguageModel>,
    /// Topic id → language → where that translation lives.
    pub translations: Arc<Addresses>,
    /// Digest of `translations`.
    pub addresses_digest: Digest,
    /// The topics the publication rule holds back (in the model only when drafts are on).
    pub held_back: Arc<HeldBack>,
    /// Which assembly made this model, and what it changed of the model before it.
    pub revision: Revision,
}

/// Names a model, and says what a patched one changed of the model it was patched from, so
/// that rendering works out again only the outputs those changes reach.
#[derive(Debug, Clone, Default)]
pub struct Revision {
    /// Unique within the process.
    pub id: u64,
    pub patch: Option<Patch>,
}

/// The model `base` with some topics replaced: only their pages changed (see `reuse`).
#[derive(Debug, Clone)]
pub struct Patch {
    pub base: u64,
    pub topics: Vec<PatchedTopic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PatchedTopic {
    pub lang: usize,
    pub topic: usize,
    /// Whether what lists show of the topic (`card_digest`) changed too.
    pub card_changed: bool,
    /// Whether its `updated` date changed (the sitemaps show it).
    pub updated_changed: bool,
}

impl Revision {
    fn next(patch: Option<Patch>) -> Revision {
        static LAST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let id = LAST.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        Revision { id, patch }
    }
}

impl SiteModel {
    pub fn language(&self, lang: &str) -> Option<&LanguageModel> {
        self.languages.iter().find(|language| language.lang == lang)
    }
}

pub struct AssembleInput<'a> {
    pub languages: &'a [String],
    pub pages: &'a [Arc<Page>],
    pub homes: &'a [Arc<HomeText>],
    pub locales: &'a Locales,
    pub drafts: bool,
    pub link_style: LinkStyle,
    /// (topic, language) of the pages whose file did not parse: their own errors are
    /// reported, so links to them are not reported again as broken.
    pub unparsed: &'a [(String, String)],
    /// The topics `[translations] publish = "together"` keeps out of the site.
    pub held_back: &'a HeldBack,
}

impl AssembleInput<'_> {
    /// Whether this run leaves `page` out of the site: a draft, or a topic held back, when
    /// drafts are off.
    fn leaves_out(&self, page: &Page) -> bool {
        !self.drafts && (page.draft || self.held_back.contains_key(&page.topic))
    }
}

/// Assembles the model, for a run that is the pipeline's only one (nothing is kept for a
/// later run); fails with every problem found.
pub fn assemble(input: &AssembleInput<'_>) -> Result<SiteModel, Vec<Diagnostic>> {
    let (model, problems) = assemble_site(input, &AssembleCache::default(), &mut Fresh::default());
    if problems.is_empty() {
        Ok(model)
    } else {
        Err(problems)
    }
}

/// `assemble`, reusing what `cache` holds from earlier runs whose inputs were the same.
pub fn assemble_with_cache(
    input: &AssembleInput<'_>,
    cache: &mut AssembleCache,
) -> Result<SiteModel, Vec<Diagnostic>> {
    if let Some(patched) = reuse::patch(input, cache) {
        return patched;
    }
    let mut fresh = Fresh::keeping();
    let (model, problems) = assemble_site(input, cache, &mut fresh);
    cache.related = fresh.related;
    cache.topics = fresh.topics;
    if problems.is_empty() {
        cache.translations = model.translations.clone();
        cache.last = Some(reuse::LastRun::record(input, &model));
        Ok(model)
    } else {
        cache.translations = Arc::default();
        cache.last = None;
        Err(problems)
    }
}

/// Assembles the model from every page given, and reports every problem found on the way
/// (links, tags, slugs), so that `check` sees them all at once.
pub fn assemble_all(input: &AssembleInput<'_>) -> (SiteModel, Vec<Diagnostic>) {
    assemble_site(input, &AssembleCache::default(), &mut Fresh::default())
}

fn assemble_site(
    input: &AssembleInput<'_>,
    cache: &AssembleCache,
    fresh: &mut Fresh,
) -> (SiteModel, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut published: BTreeMap<&str, Vec<Arc<Page>>> = BTreeMap::new();
    let mut left_out_drafts = BTreeSet::new();
    for page in input.pages {
        if !is_safe_segment(page.id()) {
            problems.push(Diagnostic::error(
                "topic-id",
                page.path.parent().unwrap_or(&page.path),
                format!(
                    "topic folder \"{}\" must be named with lowercase letters, digits and hyphens",
                    page.topic
                ),
            ));
        }
        if input.leaves_out(page) {
            left_out_drafts.insert((page.topic.clone(), page.lang.clone()));
            continue;
        }
        published.entry(&page.lang).or_default().push(page.clone());
    }

    let mut translations: BTreeMap<String, BTreeMap<String, SitePath>> = BTreeMap::new();
    let mut segments_by_lang = BTreeMap::new();
    for lang in input.languages {
        let segments = segments(input.locales, lang, &mut problems);
        let pages = published.get(lang.as_str()).map_or(&[][..], Vec::as_slice);
        check_slugs(lang, pages, &segments, &mut problems);
        for page in pages {
            translations
                .entry(page.topic.clone())
                .or_default()
                .insert(lang.clone(), SitePath::folder(&[lang, &page.slug]));
        }
        segments_by_lang.insert(lang.clone(), segments);
    }

    let addresses_unchanged = translations == *cache.translations;
    let mut inputs = Vec::new();
    for lang in input.languages {
        let pages = published.get(lang.as_str()).cloned().unwrap_or_default();
        let home = input.homes.iter().find(|home| &home.lang == lang).cloned();
        let segments = segments_by_lang
            .remove(lang)
            .expect("segments of every language");
        inputs.push((lang, pages, home, segments));
    }
    // The languages are assembled on every core, each with its own entries and problems,
    // merged afterwards in the languages' order.
    let keep = fresh.keep;
    let assembled: Vec<(LanguageModel, Fresh, Vec<Diagnostic>)> = inputs
        .into_par_iter()
        .map(|(lang, pages, home, segments)| {
            let by_topic = pages_by_topic(&pages);
            let context = LanguageContext {
                lang,
                translations: &translations,
                pages: &by_topic,
                link_style: input.link_style,
                left_out_drafts: &left_out_drafts,
                held_back: input.held_back,
                unparsed: input.unparsed,
                cache,
                addresses_unchanged,
            };
            let mut own = Fresh {
                keep,
                ..Fresh::default()
            };
            let mut own_problems = Vec::new();
            let language = assemble_language(
                &context,
                &mut own,
                pages.clone(),
                home,
                segments,
                input.locales,
                &mut own_problems,
            );
            (language, own, own_problems)
        })
        .collect();
    let mut languages = Vec::new();
    for (language, own, own_problems) in assembled {
        languages.push(language);
        fresh.related.extend(own.related);
        fresh.topics.extend(own.topics);
        problems.extend(own_problems);
    }
    let model = SiteModel {
        languages,
        addresses_digest: digest_of(&translations),
        translations: Arc::new(translations),
        held_back: Arc::new(input.held_back.clone()),
        revision: Revision::next(None),
    };
    (model, problems)
}

/// What the assembly of one language reads of the others.
struct LanguageContext<'a> {
    lang: &'a str,
    translations: &'a BTreeMap<String, BTreeMap<String, SitePath>>,
    /// The language's published pages by topic, for the anchors of `@/topic#anchor` links.
    pages: &'a HashMap<&'a str, &'a Arc<Page>>,
    link_style: LinkStyle,
    /// (topic, language) of the drafts (and topics held back) this run leaves out.
    left_out_drafts: &'a BTreeSet<(String, String)>,
    held_back: &'a HeldBack,
    unparsed: &'a [(String, String)],
    cache: &'a AssembleCache,
    /// No topic moved, appeared or disappeared since the cached run.
    addresses_unchanged: bool,
}

fn pages_by_topic(pages: &[Arc<Page>]) -> HashMap<&str, &Arc<Page>> {
    pages
        .iter()
        .map(|page| (page.topic.as_str(), page))
        .collect()
}

fn assemble_language(
    context: &LanguageContext<'_>,
    fresh: &mut Fresh,
    mut pages: Vec<Arc<Page>>,
    home: Option<Arc<HomeText>>,
    segments: Segments,
    locales: &Locales,
    problems: &mut Vec<Diagnostic>,
) -> LanguageModel {
    let lang = context.lang;
    let standalone = standalone_pages(context, fresh, &mut pages, problems);
    pages.sort_by(|a, b| {
        let weight = |page: &Page| page.weight.unwrap_or(i64::MAX);
        weight(a)
            .cmp(&weight(b))
            .then_with(|| b.date.sort_key().cmp(&a.date.sort_key()))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.topic.cmp(&b.topic))
    });

    let mut tags: Vec<TagModel> = Vec::new();
    let mut tag_index: HashMap<String, usize> = HashMap::new();
    let mut topics = Vec::new();
    for (topic_index, page) in pages.iter().enumerate() {
        let mut page_tags = Vec::new();
        for tag in &page.tags {
            let index = match tag_index.get(&tag.id) {
                Some(index) => *index,
                None => {
                    let Some(tag_model) =
                        tag_model(locales, lang, &segments, page, &tag.id, tag.spot, problems)
                    else {
                        continue;
                    };
                    tags.push(tag_model);
                    tag_index.insert(tag.id.clone(), tags.len() - 1);
                    tags.len() - 1
                }
            };
            if !page_tags.contains(&index) {
                page_tags.push(index);
                tags[index].topics.push(topic_index);
            }
        }
        let parts = topic_parts(page, &page_tags, &tags, context, problems);
        fresh.keep_topic(page.digest, &parts);
        let TopicParts {
            path,
            addresses_digest,
            body,
            body_digest,
            card_digest,
        } = parts;
        topics.push(TopicModel {
            page: page.clone(),
            path,
            body,
            body_digest,
            addresses_digest,
            card_digest,
            tags: page_tags,
            related: Vec::new(),
        });
    }
    check_tag_slugs(lang, &tags, problems);
    // Related topics depend only on each topic's tags and date, in home-page order.
    let related_key = digest_of(
        &topics
            .iter()
            .map(|topic| (&topic.tags, topic.page.date.sort_key()))
            .collect::<Vec<_>>(),
    );
    let related = match context.cache.related.get(lang) {
        Some((key, related)) if *key == related_key => related.clone(),
        _ => related_topics(&topics, &tags),
    };
    for (topic, related) in topics.iter_mut().zip(&related) {
        topic.related.clone_from(related);
    }
    fresh.keep_related(lang, related_key, related);

    let mut timeline: Vec<TimelineEvent> = topics
        .iter()
        .enumerate()
        .flat_map(|(topic, model)| {
            model.page.events.iter().map(move |event| TimelineEvent {
                date: event.date,
                end: event.end,
                text: event.text.clone(),
                topic,
            })
        })
        .collect();
    timeline.sort_by(|a, b| {
        b.date
            .sort_key()
            .cmp(&a.date.sort_key())
            .then_with(|| a.text.cmp(&b.text))
    });

    let (home_html, home_digest) = match &home {
        Some(home) => {
            let (hrefs, digest) = resolve_links(
                &home.body,
                home.digest,
                &home.path,
                &SitePath::folder(&[lang]),
                context,
                problems,
            );
            (Arc::from(filled_html(&home.body.html, &hrefs)), digest)
        }
        None => (Arc::from(""), digest_of("")),
    };
    let topics: Vec<Arc<TopicModel>> = topics.into_iter().map(Arc::new).collect();
    LanguageModel {
        lang: lang.to_string(),
        segments,
        home,
        home_html,
        home_digest,
        by_last_change: LanguageModel::order_by_last_change(&topics),
        topics,
        pages: standalone,
        tags,
        timeline: timeline.into(),
    }
}

/// Takes the standalone pages out of `pages` and makes their models, by id. They carry no
/// tags or events: those would list them with the topics.
fn standalone_pages(
    context: &LanguageContext<'_>,
    fresh: &mut Fresh,
    pages: &mut Vec<Arc<Page>>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Arc<TopicModel>> {
    let (mut standalone, topics): (Vec<_>, Vec<_>) =
        pages.drain(..).partition(|page| page.is_standalone());
    *pages = topics;
    standalone.sort_by(|a, b| a.topic.cmp(&b.topic));
    let mut models = Vec::with_capacity(standalone.len());
    for page in standalone {
        for (field, present) in [
            ("tags", !page.tags.is_empty()),
            ("events", !page.events.is_empty()),
        ] {
            if present {
                problems.push(
                    Diagnostic::error(
                        "page-listed",
                        &page.path,
                        format!(
                            "a page of content/_pages/ has no {field}: they would list it with the topics"
                        ),
                    )
                    .with_help(format!("remove `{field}`, or make it a topic in content/{}/", page.id()))
                    .for_page(&page.topic, context.lang),
                );
            }
        }
        let parts = topic_parts(&page, &[], &[], context, problems);
        fresh.keep_topic(page.digest, &parts);
        models.push(Arc::new(TopicModel {
            page: page.clone(),
            path: parts.path,
            body: parts.body,
            body_digest: parts.body_digest,
            addresses_digest: parts.addresses_digest,
            card_digest: parts.card_digest,
            tags: Vec::new(),
            related: Vec::new(),
        }));
    }
    models
}

/// Related topics of a language's topics (see `related`).
fn related_topics(topics: &[TopicModel], tags: &[TagModel]) -> Vec<Vec<usize>> {
    let topic_tags: Vec<&[usize]> = topics.iter().map(|topic| topic.tags.as_slice()).collect();
    let dates: Vec<_> = topics
        .iter()
        .map(|topic| topic.page.date.sort_key())
        .collect();
    let tag_topics: Vec<&[usize]> = tags.iter().map(|tag| tag.topics.as_slice()).collect();
    let input = related::RelatedInput {
        topic_tags: &topic_tags,
        dates: &dates,
        tag_topics: &tag_topics,
    };
    related::related_topics(&input, &mut 0)
}
