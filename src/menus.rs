//! Menus (`[menus] main = [...]`, `footer = [...]` in briefing.toml): each entry names a
//! built-in page (`home`, `timeline`, `tags`, `glossary`, `search`), a standalone page of
//! `content/_pages/` or a topic, by id. Resolved once per run against the assembled
//! addresses; an entry that names nothing is an error at its place in briefing.toml. Labels
//! and links per language are the views' work (`render::views`).

use crate::config::{MenuConfig, Placed};
use crate::diagnostic::{Diagnostic, nearest};
use crate::model::Addresses;
use crate::source::PAGES_FOLDER;

/// What a menu entry leads to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MenuTarget {
    Home,
    Timeline,
    Tags,
    Glossary,
    Search,
    /// A topic or standalone page, by its key in `SiteModel::translations`.
    Page(String),
}

/// The built-in pages, by the id a menu names them with.
const BUILT_IN: [(&str, MenuTarget); 5] = [
    ("home", MenuTarget::Home),
    ("timeline", MenuTarget::Timeline),
    ("tags", MenuTarget::Tags),
    ("glossary", MenuTarget::Glossary),
    ("search", MenuTarget::Search),
];

/// The menus of the site, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Menus {
    pub main: Vec<MenuTarget>,
    pub footer: Vec<MenuTarget>,
}

/// Resolves every entry of both menus; fails with one error per entry that names nothing.
pub fn resolve(config: &MenuConfig, addresses: &Addresses) -> Result<Menus, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut menu = |entries: &[Placed], name: &str| -> Vec<MenuTarget> {
        entries
            .iter()
            .filter_map(|entry| {
                resolve_entry(&entry.value, addresses)
                    .map_err(|()| problems.push(unknown_entry(entry, name, addresses)))
                    .ok()
            })
            .collect()
    };
    let menus = Menus {
        main: menu(&config.main, "main"),
        footer: menu(&config.footer, "footer"),
    };
    if problems.is_empty() {
        Ok(menus)
    } else {
        Err(problems)
    }
}

/// A built-in page first, then a standalone page, then a topic.
fn resolve_entry(id: &str, addresses: &Addresses) -> Result<MenuTarget, ()> {
    if let Some((_, target)) = BUILT_IN.iter().find(|(name, _)| *name == id) {
        return Ok(target.clone());
    }
    let page = format!("{PAGES_FOLDER}/{id}");
    if addresses.contains_key(&page) {
        return Ok(MenuTarget::Page(page));
    }
    if !id.starts_with('_') && addresses.contains_key(id) {
        return Ok(MenuTarget::Page(id.to_string()));
    }
    Err(())
}

fn unknown_entry(entry: &Placed, menu: &str, addresses: &Addresses) -> Diagnostic {
    let mut known: Vec<&str> = BUILT_IN.iter().map(|(name, _)| *name).collect();
    known.extend(
        addresses
            .keys()
            .map(|key| crate::content::page::standalone_id(key).unwrap_or(key.as_str())),
    );
    let diagnostic = entry.error(
        "menu-unknown",
        format!(
            "menu \"{menu}\" names \"{}\", which is no topic, page of content/{PAGES_FOLDER}/ or \
             built-in page (home, timeline, tags, glossary, search)",
            entry.value
        ),
    );
    match nearest(&entry.value, &known) {
        Some(candidate) => diagnostic.with_help(format!("did you mean \"{candidate}\"?")),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::urls::SitePath;

    fn placed(value: &str, line: usize) -> Placed {
        Placed {
            value: value.into(),
            line,
            column: 9,
            file_text: "a\nb\nc\nfooter = [\"abuot\"]\n".into(),
        }
    }

    #[test]
    fn entries_resolve_to_built_ins_pages_then_topics() {
        let mut addresses = Addresses::new();
        for key in ["_pages/about", "cyber"] {
            addresses
                .entry(key.into())
                .or_default()
                .insert("fr".into(), SitePath::folder(&["fr", "x"]));
        }
        let config = MenuConfig {
            main: vec![placed("home", 1), placed("cyber", 1)],
            footer: vec![placed("about", 2)],
        };
        let menus = resolve(&config, &addresses).unwrap();
        assert_eq!(
            menus.main,
            [MenuTarget::Home, MenuTarget::Page("cyber".into())]
        );
        assert_eq!(menus.footer, [MenuTarget::Page("_pages/about".into())]);

        let config = MenuConfig {
            main: vec![],
            footer: vec![placed("abuot", 4)],
        };
        let problems = resolve(&config, &addresses).unwrap_err();
        assert_eq!(problems[0].location(), "briefing.toml:4:9");
        assert_eq!(problems[0].help.as_deref(), Some("did you mean \"about\"?"));
    }
}
