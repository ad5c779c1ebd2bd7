//! Load stage: `briefing.toml` → `Config`, validated (languages, base URL, theme).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::schema::{Located, TableSchema, parse_checked};

pub const CONFIG_FILE: &str = "briefing.toml";

static TRANSLATIONS_SCHEMA: TableSchema = TableSchema {
    what: "[translations]",
    keys: &["publish", "require_current"],
    nested: &[],
    any_key: None,
};

static PAGINATION_SCHEMA: TableSchema = TableSchema {
    what: "pagination",
    keys: &["page_size"],
    nested: &[],
    any_key: None,
};

static MENUS_SCHEMA: TableSchema = TableSchema {
    what: "menus",
    keys: &["main", "footer"],
    nested: &[],
    any_key: None,
};

static CONFIG_SCHEMA: TableSchema = TableSchema {
    what: "configuration",
    keys: &[
        "base_url",
        "languages",
        "theme",
        "logo",
        "menus",
        "translations",
        "pagination",
    ],
    nested: &[
        ("menus", &MENUS_SCHEMA),
        ("translations", &TRANSLATIONS_SCHEMA),
        ("pagination", &PAGINATION_SCHEMA),
    ],
    any_key: None,
};

/// When a topic's translations go out: all languages at once (`together`, an official-languages
/// rule), or each language as soon as its own file is ready (`each`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Publish {
    #[default]
    Together,
    Each,
}

/// `[translations]` of briefing.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationRules {
    #[serde(default)]
    pub publish: Publish,
    /// With `together`, also hold back a topic whose translation is outdated or untranslated.
    #[serde(default)]
    pub require_current: bool,
}

/// Topics per home or tag page when `briefing.toml` does not say.
pub const DEFAULT_PAGE_SIZE: usize = 50;

#[derive(Deserialize)]
struct RawConfig {
    base_url: String,
    languages: Vec<String>,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    translations: TranslationRules,
    logo: Option<toml::Spanned<String>>,
    #[serde(default)]
    menus: RawMenus,
    #[serde(default)]
    pagination: RawPagination,
}

#[derive(Deserialize, Default)]
struct RawPagination {
    page_size: Option<i64>,
}

#[derive(Deserialize, Default)]
struct RawMenus {
    #[serde(default)]
    main: Vec<toml::Spanned<String>>,
    #[serde(default)]
    footer: Vec<toml::Spanned<String>>,
}

/// A value of briefing.toml with the place it is written, for the errors found later (a
/// menu entry that names nothing is known only once the pages are read).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Placed {
    pub value: String,
    pub line: usize,
    pub column: usize,
    /// The whole of briefing.toml, to quote the line in an error.
    pub file_text: std::sync::Arc<str>,
}

impl Placed {
    fn of(
        spanned: &toml::Spanned<String>,
        text: &std::sync::Arc<str>,
        lines: &crate::diagnostic::LineIndex,
    ) -> Placed {
        let position = lines.position_in(text, spanned.span().start);
        Placed {
            value: spanned.get_ref().clone(),
            line: position.line,
            column: position.column,
            file_text: text.clone(),
        }
    }

    /// An error about this value, pointing at it in briefing.toml.
    pub fn error(&self, code: &'static str, message: String) -> Diagnostic {
        Diagnostic::error(code, CONFIG_FILE, message).at_line_column(
            Some(&self.file_text),
            self.line,
            self.column,
        )
    }
}

/// The menus of every page, by the ids of what they link to (`[menus]` in briefing.toml).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct MenuConfig {
    pub main: Vec<Placed>,
    pub footer: Vec<Placed>,
}

fn default_theme() -> String {
    "briefing".to_string()
}

/// The validated site configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Absolute, ending with `/`.
    pub base_url: String,
    /// The first is the source language.
    pub languages: Vec<String>,
    pub theme: String,
    pub translations: TranslationRules,
    /// The organisation's logo, relative to the project folder.
    pub logo: Option<Placed>,
    pub menus: MenuConfig,
    /// Topics per home or tag page (`[pagination] page_size`), at least 1.
    pub page_size: usize,
}

impl Config {
    pub fn source_language(&self) -> &str {
        &self.languages[0]
    }

    pub fn theme_dir(&self, root: &Path) -> PathBuf {
        root.join("themes").join(&self.theme)
    }

    /// Reads and validates `briefing.toml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = Path::new(CONFIG_FILE);
        let bytes = std::fs::read(root.join(path)).map_err(|error| {
            vec![Diagnostic::error(
                "config-unreadable",
                path,
                format!("cannot read {CONFIG_FILE}: {error}"),
            )]
        })?;
        let text = crate::source::decode_utf8(path, bytes).map_err(|problem| vec![problem])?;
        Config::parse(&text, root)
    }

    pub fn parse(text: &str, root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = Path::new(CONFIG_FILE);
        let at = Located {
            path,
            file_text: text,
            offset: 0,
        };
        let raw: RawConfig = parse_checked(text, &CONFIG_SCHEMA, &at)?;
        let mut problems = Vec::new();
        let line_of = |key: &str| -> usize {
            text.lines()
                .position(|line| line.trim_start().starts_with(key))
                .map_or(1, |index| index + 1)
        };
        let error = |message: String, key: &str| {
            Diagnostic::error("config-invalid", path, message).at_line_column(
                Some(text),
                line_of(key),
                1,
            )
        };

        let base_url = match checked_base_url(&raw.base_url) {
            Ok(base_url) => base_url,
            Err(problem) => {
                problems.push(error(format!("base_url {problem}"), "base_url"));
                raw.base_url.clone()
            }
        };

        if raw.languages.is_empty() {
            problems.push(error(
                "languages must name at least one language".into(),
                "languages",
            ));
        }
        for (index, language) in raw.languages.iter().enumerate() {
            if !is_language_code(language) {
                problems.push(error(
                    format!("\"{language}\" is not a language code such as \"fr\" or \"en-CA\""),
                    "languages",
                ));
            }
            if raw.languages[..index].contains(language) {
                problems.push(error(
                    format!("language \"{language}\" is listed twice"),
                    "languages",
                ));
            }
        }

        let lines = crate::diagnostic::LineIndex::new(text);
        let shared: std::sync::Arc<str> = text.into();
        let placed = |items: &[toml::Spanned<String>]| -> Vec<Placed> {
            items
                .iter()
                .map(|item| Placed::of(item, &shared, &lines))
                .collect()
        };
        let logo = raw
            .logo
            .as_ref()
            .map(|logo| Placed::of(logo, &shared, &lines));
        if let Some(logo) = &logo
            && let Err(problem) = crate::identity::check_logo_path(root, &logo.value)
        {
            problems.push(logo.error("config-invalid", problem));
        }
        let page_size = match raw.pagination.page_size {
            None => DEFAULT_PAGE_SIZE,
            Some(size) if size >= 1 => usize::try_from(size).unwrap_or(usize::MAX),
            Some(size) => {
                problems.push(error(
                    format!("pagination.page_size must be at least 1 (found {size})"),
                    "page_size",
                ));
                DEFAULT_PAGE_SIZE
            }
        };
        let config = Config {
            base_url,
            languages: raw.languages,
            theme: raw.theme,
            translations: raw.translations,
            logo,
            menus: MenuConfig {
                main: placed(&raw.menus.main),
                footer: placed(&raw.menus.footer),
            },
            page_size,
        };
        if !config.theme_dir(root).join("templates").is_dir() {
            problems.push(error(
                format!(
                    "theme \"{}\" not found: expected the folder themes/{}/templates",
                    config.theme, config.theme
                ),
                "theme",
            ));
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }
}

/// `text` as a site address: an absolute `http`/`https` URL with a host, without spaces, query,
/// fragment or credentials, ending with `/` (added if missing). Errors say what is wrong, to
/// follow "base_url " or "--base-url ".
pub fn checked_base_url(text: &str) -> Result<String, String> {
    let found = || format!("(found \"{text}\")");
    if text.chars().any(char::is_whitespace) {
        return Err(format!("must not contain spaces {}", found()));
    }
    let url = url::Url::parse(text).map_err(|_| {
        format!(
            "must be an absolute http(s) URL such as \"https://example.gc.ca/briefing/\" {}",
            found()
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("must start with http:// or https:// {}", found()));
    }
    if url.host_str().is_none_or(str::is_empty)
        || text
            .split("//")
            .nth(1)
            .is_none_or(|rest| rest.starts_with('/'))
    {
        return Err(format!("must name a host {}", found()));
    }
    if url.query().is_some() || text.contains('?') {
        return Err(format!("must not have a query (\"?…\") {}", found()));
    }
    if url.fragment().is_some() || text.contains('#') {
        return Err(format!("must not have a fragment (\"#…\") {}", found()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "must not carry a user name or password {}",
            found()
        ));
    }
    let mut checked = url.to_string();
    if !checked.ends_with('/') {
        checked.push('/');
    }
    Ok(checked)
}

/// The host of `base_url` when it is a placeholder or this machine: canonicals, the sitemap,
/// feeds and the 404 page would point there.
pub fn placeholder_host(base_url: &str) -> Option<String> {
    let host = url::Url::parse(base_url)
        .ok()?
        .host_str()?
        .to_ascii_lowercase();
    let placeholder = ["example.org", "example.com", "example.net"]
        .iter()
        .any(|domain| host == *domain || host.ends_with(&format!(".{domain}")))
        || host == "localhost"
        || host.ends_with(".localhost")
        || host == "127.0.0.1"
        || host == "[::1]";
    placeholder.then_some(host)
}

fn is_language_code(code: &str) -> bool {
    code.parse::<unic_langid::LanguageIdentifier>().is_ok()
        && !code.is_empty()
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("themes/briefing/templates")).unwrap();
        Config::parse(text, root.path())
    }

    #[test]
    fn base_url_gets_its_trailing_slash() {
        let config =
            parse("base_url = \"https://example.org/b\"\nlanguages = [\"fr\", \"en\"]\n").unwrap();
        assert_eq!(config.base_url, "https://example.org/b/");
        assert_eq!(config.source_language(), "fr");
        assert_eq!(config.theme, "briefing");
        assert_eq!(config.translations.publish, Publish::Together);
        assert!(!config.translations.require_current);
    }

    #[test]
    fn translations_publish_each_and_require_current_are_read() {
        let config = parse(
            "base_url = \"https://example.org/\"\nlanguages = [\"fr\", \"en\"]\n\n[translations]\npublish = \"each\"\nrequire_current = true\n",
        )
        .unwrap();
        assert_eq!(config.translations.publish, Publish::Each);
        assert!(config.translations.require_current);
        let problems = parse(
            "base_url = \"https://example.org/\"\nlanguages = [\"fr\"]\n[translations]\npublsh = \"each\"\n",
        )
        .unwrap_err();
        assert_eq!(problems[0].location(), "briefing.toml:4:1");
    }

    #[test]
    fn base_urls_without_a_host_or_with_a_query_fragment_or_space_are_refused() {
        for bad in [
            "https://",
            "https:///briefing/",
            "https://example.gc.ca/a b/",
            "https://example.gc.ca/?x=1",
            "https://example.gc.ca/#top",
            "ftp://example.gc.ca/",
            "example.gc.ca/briefing/",
            "https://user:secret@example.gc.ca/",
        ] {
            let problems =
                parse(&format!("base_url = \"{bad}\"\nlanguages = [\"fr\"]\n")).unwrap_err();
            assert_eq!(problems.len(), 1, "{bad}");
            assert!(
                problems[0].message.starts_with("base_url must"),
                "{bad}: {}",
                problems[0].message
            );
            assert_eq!(problems[0].location(), "briefing.toml:1:1");
        }
    }

    #[test]
    fn placeholder_hosts_are_recognised() {
        assert_eq!(
            placeholder_host("https://example.org/briefing/").as_deref(),
            Some("example.org")
        );
        assert_eq!(
            placeholder_host("http://localhost:1111/").as_deref(),
            Some("localhost")
        );
        assert_eq!(
            placeholder_host("https://www.international.gc.ca/briefing/"),
            None
        );
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let problems =
            parse("base_url = \"https://example.org/\"\nlanguages = [\"fr\"]\nlanguage = \"fr\"\n")
                .unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].message,
            "unknown configuration key \"language\" (did you mean \"languages\"?)"
        );
        assert_eq!(problems[0].location(), "briefing.toml:3:1");
    }
}
