//! Render stage: `SiteModel` → one view struct per output, made for the templates (never the
//! internal model). Every URL is computed here, relative to the page that shows it.

use std::path::{Path, PathBuf};

use crate::content::date::Date;
use crate::content::glossary::Glossary;
use crate::diagnostic::Diagnostic;
use crate::i18n::{Arg, Locales, LookupError};
use crate::messages::{self, CodeMessage};
use crate::model::{LanguageModel, SiteModel};
use crate::urls::{LinkStyle, SitePath, relative};

mod chrome;
mod data;
mod jobs;
mod listings;
mod pages;
mod paging;
mod sitemaps;
mod social;
mod standalone;
mod typography;

/// The pages a language has only when it has something to list on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Timeline,
    Glossary,
}

pub use chrome::LogoFile;
pub use data::*;
pub use jobs::{JobKind, PatchReach};
pub use paging::Pagination;
/// One output to render: where it goes, with which template, from which view.
#[derive(Debug, Clone)]
pub struct Job {
    pub path: SitePath,
    pub template: &'static str,
    pub view: View,
    /// The content file this output shows, named in render errors.
    pub source: Option<PathBuf>,
    /// The languages whose tables this output reads.
    pub languages: Vec<String>,
}

/// A feed carries the most recently published or updated topics, as feed readers expect.
pub const FEED_ENTRIES: usize = 50;

pub struct ViewOptions<'a> {
    pub base_url: &'a str,
    pub link_style: LinkStyle,
    pub languages: &'a [String],
    pub menus: &'a crate::menus::Menus,
    pub logo: Option<&'a LogoFile>,
    /// Topics per home or tag page.
    pub page_size: usize,
}

/// Makes the views of a site's outputs, one at a time, and the digests that say when an
/// output's view may have changed.
pub struct Planner<'a> {
    model: &'a SiteModel,
    glossary: &'a Glossary,
    locales: &'a Locales,
    options: &'a ViewOptions<'a>,
    /// The newest date of the site (a topic's `date` or `updated`, a home's `updated`): the
    /// date the briefing is current to, hence every page's default "date modified" and the
    /// line between past and planned events.
    newest: Option<Date>,
    /// Each language's list of timeline years (`Planner::timeline_years`), made once: every
    /// page of the timeline shows it.
    timeline_years: Vec<std::sync::OnceLock<Vec<(String, usize, usize)>>>,
}

impl<'a> Planner<'a> {
    pub fn new(
        model: &'a SiteModel,
        glossary: &'a Glossary,
        locales: &'a Locales,
        options: &'a ViewOptions<'a>,
    ) -> Planner<'a> {
        Planner {
            model,
            glossary,
            locales,
            options,
            newest: newest_date(model),
            timeline_years: model
                .languages
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }
}

fn newest_date(model: &SiteModel) -> Option<Date> {
    let topics = model.languages.iter().filter_map(|language| {
        let page = &language.last_changed()?.page;
        Some(page.updated.unwrap_or(page.date))
    });
    let homes = model
        .languages
        .iter()
        .filter_map(|language| language.home.as_ref()?.updated);
    topics.chain(homes).max_by_key(Date::sort_key)
}

/// A Fluent lookup failed while building a view; `needed_for` is the file being shown.
struct LookupProblem {
    error: LookupError,
    needed_for: Option<PathBuf>,
}

impl LookupProblem {
    fn into_diagnostic(self) -> Diagnostic {
        let lang = match &self.error {
            LookupError::MissingMessage { lang, .. } | LookupError::Format { lang, .. } => {
                lang.clone()
            }
        };
        let mut diagnostic = Diagnostic::error(
            "fluent-missing",
            Path::new("locales").join(&lang),
            self.error.to_string(),
        );
        if let Some(file) = self.needed_for {
            diagnostic = diagnostic.with_help(format!("needed to render {}", file.display()));
        }
        diagnostic
    }
}

type Lookup<T> = Result<T, LookupProblem>;

impl Planner<'_> {
    fn message(&self, lang: &str, message: &CodeMessage, args: &[(&str, Arg)]) -> Lookup<String> {
        self.locales
            .code_message(lang, message, args)
            .map_err(|error| LookupProblem {
                error,
                needed_for: None,
            })
    }

    fn date(&self, lang: &str, date: &Date, file: &Path) -> Lookup<DateView> {
        let text = self
            .locales
            .format_date(lang, date)
            .map_err(|error| LookupProblem {
                error,
                needed_for: Some(file.to_path_buf()),
            })?;
        Ok(DateView {
            iso: date.iso(),
            html: typography::date_html(&text),
            text,
        })
    }

    fn date_range(
        &self,
        lang: &str,
        start: &Date,
        end: Option<&Date>,
        file: &Path,
    ) -> Lookup<DateView> {
        let Some(end) = end else {
            return self.date(lang, start, file);
        };
        let text = self
            .locales
            .format_date_range(lang, start, end)
            .map_err(|error| LookupProblem {
                error,
                needed_for: Some(file.to_path_buf()),
            })?;
        Ok(DateView {
            iso: start.iso(),
            html: typography::date_html(&text),
            text,
        })
    }

    fn href(&self, from: &SitePath, to: &SitePath) -> String {
        relative(from, to, self.options.link_style)
    }

    fn absolute(&self, path: &SitePath) -> String {
        path.absolute(self.options.base_url)
    }

    /// The same page in every language that has it: (lang, path).
    fn page_context(
        &self,
        kind: &'static str,
        path: &SitePath,
        lang: &str,
        title: String,
        description: String,
        translations: &[(String, SitePath)],
    ) -> Lookup<PageContext> {
        let (alternates, x_default) = self.alternate_links(kind, path, translations);
        let mut switcher = Vec::new();
        for other in self.options.languages.iter().filter(|other| *other != lang) {
            let (target, translated) = match translations.iter().find(|(l, _)| l == other) {
                Some((_, target)) => (target.clone(), true),
                None => (SitePath::folder(&[other]), false),
            };
            switcher.push(LanguageLink {
                lang: other.clone(),
                name: self.message(other, &messages::LANGUAGE_NAME, &[])?,
                href: self.href(path, &target),
                translated,
            });
        }
        let nav = self.model.language(lang).map(|language| Nav {
            chooser: self.href(path, &SitePath::root()),
            home: self.href(path, &language.home_path()),
            tags: self.href(path, &language.section_path(&language.segments.tags)),
            timeline: self
                .has_section(language, Section::Timeline)
                .then(|| self.href(path, &language.section_path(&language.segments.timeline))),
            glossary: self
                .has_section(language, Section::Glossary)
                .then(|| self.href(path, &language.section_path(&language.segments.glossary))),
            search: self.href(path, &crate::search::search_page_path(language)),
            feed: self.href(path, &language.feed_path()),
        });
        let root = relative(path, &SitePath::root(), LinkStyle::Server);
        let (breadcrumbs, breadcrumb_data) = self.breadcrumbs(kind, lang, path, &title)?;
        let canonical = self.absolute(path);
        let social = self.social(lang, &title, &description, &canonical, translations)?;
        let modified = match self.newest {
            Some(date) => Some(self.date(lang, &date, Path::new("content"))?),
            None => None,
        };
        Ok(PageContext {
            identity: self.identity(lang, path)?,
            menus: self.menus(lang, path)?,
            breadcrumbs,
            json_ld: breadcrumb_data.into_iter().collect(),
            social,
            kind,
            title,
            description,
            canonical,
            alternates,
            x_default,
            switcher,
            root: if root == "./" { String::new() } else { root },
            nav,
            offline: self.options.link_style == LinkStyle::Offline,
            modified,
            pagination: None,
        })
    }

    /// The page in each language (absolute URLs), and the one for `x-default`.
    fn alternate_links(
        &self,
        kind: &str,
        path: &SitePath,
        translations: &[(String, SitePath)],
    ) -> (Vec<Alternate>, String) {
        let alternates = translations
            .iter()
            .map(|(lang, path)| Alternate {
                lang: lang.clone(),
                href: self.absolute(path),
            })
            .collect();
        let x_default = match kind {
            "home" | "chooser" => self.absolute(&SitePath::root()),
            _ => translations
                .iter()
                .find(|(l, _)| Some(l) == self.options.languages.first())
                .or(translations.first())
                .map_or_else(|| self.absolute(path), |(_, path)| self.absolute(path)),
        };
        (alternates, x_default)
    }

    /// The same topic in every language that has it, in the site's order of languages.
    fn topic_translations(&self, topic: &str) -> Vec<(String, SitePath)> {
        self.model
            .translations
            .get(topic)
            .map(|languages| {
                self.options
                    .languages
                    .iter()
                    .filter_map(|l| languages.get(l).map(|p| (l.clone(), p.clone())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The page of a tag in every language that uses the tag.
    fn tag_translations(&self, id: &str) -> Vec<(String, SitePath)> {
        self.model
            .languages
            .iter()
            .filter_map(|l| {
                l.tags
                    .iter()
                    .find(|t| t.id == id)
                    .map(|t| (l.lang.clone(), t.path.clone()))
            })
            .collect()
    }

    /// The timeline and glossary pages in every language that has them.
    fn section_translations(&self, section: Section) -> Vec<(String, SitePath)> {
        self.model
            .languages
            .iter()
            .filter(|language| self.has_section(language, section))
            .map(|language| {
                let segment = match section {
                    Section::Timeline => &language.segments.timeline,
                    Section::Glossary => &language.segments.glossary,
                };
                (language.lang.clone(), language.section_path(segment))
            })
            .collect()
    }

    /// Whether a language has the page at all: a site without events has no timeline, one
    /// without terms no glossary, and no menu links to them.
    pub(super) fn has_section(&self, language: &LanguageModel, section: Section) -> bool {
        match section {
            Section::Timeline => !language.timeline.is_empty(),
            Section::Glossary => !self.glossary.terms(&language.lang).is_empty(),
        }
    }

    fn every_language(
        &self,
        path_of: impl Fn(&LanguageModel) -> SitePath,
    ) -> Vec<(String, SitePath)> {
        self.model
            .languages
            .iter()
            .map(|language| (language.lang.clone(), path_of(language)))
            .collect()
    }
}
