//! Render stage, what surrounds every page's content: the organisation's identity (name,
//! site name, logo), the menus of briefing.toml in the page's language, the breadcrumbs and
//! their `BreadcrumbList` structured data.

use super::Section;
use super::data::{Crumb, Identity, LogoView, MenuItem, MenusView};
use super::{LanguageModel, Lookup, Planner};
use crate::menus::MenuTarget;
use crate::messages;
use crate::model::TopicModel;
use crate::render::json_ld;
use crate::source::{Digest, DigestHasher};
use crate::urls::{LinkStyle, SitePath, relative};

/// The logo as the site serves it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LogoFile {
    /// Relative to the site root: `logo.svg`.
    pub output: String,
    pub width: u32,
    pub height: u32,
}

impl Planner<'_> {
    pub(super) fn identity(&self, lang: &str, from: &SitePath) -> Lookup<Identity> {
        let logo = match self.options.logo {
            Some(logo) => Some(LogoView {
                src: relative(
                    from,
                    &SitePath::file(logo.output.clone()),
                    LinkStyle::Server,
                ),
                alt: self.message(lang, &messages::LOGO_ALT, &[])?,
                width: logo.width,
                height: logo.height,
            }),
            None => None,
        };
        Ok(Identity {
            organisation: self.message(lang, &messages::ORGANISATION_NAME, &[])?,
            site: self.message(lang, &messages::SITE_TITLE, &[])?,
            logo,
        })
    }

    /// A menu entry's label and page in a language; `None` when that language lacks it.
    fn menu_entry(
        &self,
        language: &LanguageModel,
        target: &MenuTarget,
    ) -> Lookup<Option<(String, SitePath)>> {
        let lang = &language.lang;
        let section = |message, segment: &str| -> Lookup<Option<(String, SitePath)>> {
            Ok(Some((
                self.message(lang, message, &[])?,
                language.section_path(segment),
            )))
        };
        let without = |section| !self.has_section(language, section);
        match target {
            MenuTarget::Timeline if without(Section::Timeline) => Ok(None),
            MenuTarget::Glossary if without(Section::Glossary) => Ok(None),
            MenuTarget::Home => Ok(Some((
                self.message(lang, &messages::NAV_HOME, &[])?,
                language.home_path(),
            ))),
            MenuTarget::Timeline => section(&messages::NAV_TIMELINE, &language.segments.timeline),
            MenuTarget::Tags => section(&messages::NAV_TAGS, &language.segments.tags),
            MenuTarget::Glossary => section(&messages::NAV_GLOSSARY, &language.segments.glossary),
            MenuTarget::Search => Ok(Some((
                self.message(lang, &messages::NAV_SEARCH, &[])?,
                crate::search::search_page_path(language),
            ))),
            MenuTarget::Page(key) => Ok(page_model(language, key)
                .map(|model| (model.page.title.clone(), model.path.clone()))),
        }
    }

    pub(super) fn menus(&self, lang: &str, from: &SitePath) -> Lookup<MenusView> {
        let Some(language) = self.model.language(lang) else {
            return Ok(MenusView::default());
        };
        let items = |targets: &[MenuTarget]| -> Lookup<Vec<MenuItem>> {
            let mut items = Vec::with_capacity(targets.len());
            for target in targets {
                if let Some((label, path)) = self.menu_entry(language, target)? {
                    items.push(MenuItem {
                        label,
                        href: self.href(from, &path),
                        current: &path == from,
                    });
                }
            }
            Ok(items)
        };
        Ok(MenusView {
            main: items(&self.options.menus.main)?,
            footer: items(&self.options.menus.footer)?,
        })
    }

    /// What the menus of every page read of the model: their labels and pages in each
    /// language. Part of every page's render key.
    pub fn chrome_digest(&self) -> Digest {
        let mut key = DigestHasher::default();
        key.add(self.options.menus).add(&self.options.logo);
        for language in &self.model.languages {
            // The default menu (no [menus]) links the timeline and glossary only if they exist.
            key.add(&(
                self.has_section(language, Section::Timeline),
                self.has_section(language, Section::Glossary),
            ));
            for target in self
                .options
                .menus
                .main
                .iter()
                .chain(&self.options.menus.footer)
            {
                if let Ok(entry) = self.menu_entry(language, target) {
                    key.add(&entry);
                }
            }
        }
        key.digest()
    }

    /// From the home page to the page at `path` (titled `title`): empty for the home page and
    /// the pages outside a language (chooser, 404).
    pub(super) fn breadcrumbs(
        &self,
        kind: &str,
        lang: &str,
        path: &SitePath,
        title: &str,
    ) -> Lookup<(Vec<Crumb>, Option<String>)> {
        let Some(language) = self.model.language(lang) else {
            return Ok((Vec::new(), None));
        };
        if matches!(kind, "home" | "chooser" | "not-found") {
            return Ok((Vec::new(), None));
        }
        let mut steps = vec![(
            self.message(lang, &messages::NAV_HOME, &[])?,
            language.home_path(),
        )];
        if kind == "tag" {
            steps.push((
                self.message(lang, &messages::TAGS_TITLE, &[])?,
                language.section_path(&language.segments.tags),
            ));
        }
        steps.push((title.to_string(), path.clone()));
        let list: Vec<(String, String)> = steps
            .iter()
            .map(|(label, step)| (label.clone(), self.absolute(step)))
            .collect();
        let crumbs = steps
            .into_iter()
            .map(|(label, step)| Crumb {
                href: self.href(path, &step),
                label,
            })
            .collect();
        Ok((crumbs, Some(json_ld::breadcrumb_list(&list))))
    }
}

/// The topic or standalone page of `key` in a language.
fn page_model<'m>(language: &'m LanguageModel, key: &str) -> Option<&'m TopicModel> {
    language
        .pages
        .iter()
        .chain(&language.topics)
        .find(|model| model.page.topic == key)
        .map(AsRef::as_ref)
}
