//! `briefing init [DIR] [--languages fr,en]`: a new project that builds and checks at once:
//! briefing.toml, the shipped theme and locale tables (embedded in the binary, so that
//! nothing but the binary is needed), a home text, an example topic and an About page in
//! each language, translations recording their source's digest. Never overwrites a file.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostic::Diagnostic;
use crate::translation::{record_source_digest, source_digest};

/// The shipped theme, as the binary was built with it.
static THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/briefing");
/// The shipped interface strings, one folder per language.
static LOCALES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/locales");

/// The starter texts, per language: (file, text).
fn starter(lang: &str) -> Option<[(&'static str, &'static str); 4]> {
    match lang {
        "fr" => Some([
            ("home", include_str!("starter/home.fr.md")),
            ("topic", include_str!("starter/topic.fr.md")),
            ("about", include_str!("starter/about.fr.md")),
            ("tags", include_str!("starter/tags.fr.ftl")),
        ]),
        "en" => Some([
            ("home", include_str!("starter/home.en.md")),
            ("topic", include_str!("starter/topic.en.md")),
            ("about", include_str!("starter/about.en.md")),
            ("tags", include_str!("starter/tags.en.ftl")),
        ]),
        _ => None,
    }
}

/// The messages of the shipped tables that name this repository's own site, replaced by
/// neutral ones in a new project.
fn neutral_messages(lang: &str) -> &'static [(&'static str, &'static str)] {
    match lang {
        "fr" => &[
            ("site-title", "Nouveau dossier"),
            ("site-description", "Notes d’information."),
            ("feed-author", "La rédaction"),
            ("organisation-name", "Nom de l’organisation"),
            ("logo-alt", "Logo de l’organisation"),
            (
                "footer-text",
                "Les faits cités proviennent des documents indiqués sur chaque page.",
            ),
        ],
        _ => &[
            ("site-title", "New briefing"),
            ("site-description", "Briefing notes."),
            ("feed-author", "The editors"),
            ("organisation-name", "Organisation name"),
            ("logo-alt", "Logo of the organisation"),
            (
                "footer-text",
                "The facts cited come from the documents listed on each page.",
            ),
        ],
    }
}

/// The languages `init` has starter texts and interface strings for.
pub const LANGUAGES: [&str; 2] = ["fr", "en"];

/// Writes a new project into `dir`; returns the files written, relative to `dir`.
pub fn init(
    dir: &Path,
    languages: &[String],
    today: &str,
) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let files = project_files(languages, today)?;
    let existing: Vec<Diagnostic> = files
        .iter()
        .filter(|(path, _)| std::fs::symlink_metadata(dir.join(path)).is_ok())
        .map(|(path, _)| {
            Diagnostic::error(
                "init-exists",
                dir.join(path),
                "already exists: `briefing init` never overwrites a file",
            )
        })
        .collect();
    if !existing.is_empty() {
        return Err(existing);
    }
    let mut written = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let target = dir.join(&path);
        let result = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, &bytes));
        if let Err(error) = result {
            return Err(vec![Diagnostic::error(
                "io",
                target,
                format!("cannot write: {error}"),
            )]);
        }
        written.push(path);
    }
    Ok(written)
}

/// Every file of the new project, by path.
fn project_files(
    languages: &[String],
    today: &str,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Vec<Diagnostic>> {
    check_languages(languages)?;
    let quoted: Vec<String> = languages.iter().map(|lang| format!("\"{lang}\"")).collect();
    let mut files = vec![(
        PathBuf::from(crate::config::CONFIG_FILE),
        include_str!("starter/briefing.toml")
            .replace("{languages}", &quoted.join(", "))
            .into_bytes(),
    )];
    files.extend(theme_files());
    let source = &languages[0];
    for lang in languages {
        files.push((
            PathBuf::from(format!("locales/{lang}/main.ftl")),
            neutral_tables(lang).into_bytes(),
        ));
    }
    let path = |name: &str, lang: &str| match name {
        "home" => format!("content/_index.{lang}.md"),
        "topic" => format!("content/first-topic/index.{lang}.md"),
        _ => format!("content/_pages/about/index.{lang}.md"),
    };
    for name in ["home", "topic", "about"] {
        let source_text = starter_text(source, name, today);
        for lang in languages {
            let mut text = starter_text(lang, name, today);
            let file = PathBuf::from(path(name, lang));
            if lang != source {
                text = record_source_digest(
                    &file,
                    &text,
                    &source_digest(&source_text),
                    name == "home",
                )?;
            }
            files.push((file, text.into_bytes()));
        }
    }
    for lang in languages {
        files.push((
            PathBuf::from(format!("locales/{lang}/tags.ftl")),
            starter_text(lang, "tags", today).into_bytes(),
        ));
    }
    Ok(files)
}

fn check_languages(languages: &[String]) -> Result<(), Vec<Diagnostic>> {
    let problems: Vec<Diagnostic> = languages
        .iter()
        .filter(|lang| !LANGUAGES.contains(&lang.as_str()))
        .map(|lang| {
            Diagnostic::error(
                "init-language",
                crate::config::CONFIG_FILE,
                format!(
                    "briefing ships no interface strings for \"{lang}\" (it has {})",
                    LANGUAGES.join(", ")
                ),
            )
            .with_help("start with fr or en, then add a locales/<lang>/ folder of your own")
        })
        .collect();
    let mut problems = problems;
    if languages.is_empty() {
        problems.push(Diagnostic::error(
            "init-language",
            crate::config::CONFIG_FILE,
            "--languages must name at least one language",
        ));
    }
    for (index, lang) in languages.iter().enumerate() {
        if languages[..index].contains(lang) {
            problems.push(Diagnostic::error(
                "init-language",
                crate::config::CONFIG_FILE,
                format!("language \"{lang}\" is listed twice"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn starter_text(lang: &str, name: &str, today: &str) -> String {
    let texts = starter(lang).expect("languages were checked");
    let (_, text) = texts
        .iter()
        .find(|(file, _)| *file == name)
        .expect("every starter file exists in every language");
    text.replace("{date}", today)
}

/// The theme's templates and static files, under `themes/briefing/`.
fn theme_files() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![&THEME];
    while let Some(folder) = folders.pop() {
        for file in folder.files() {
            files.push((
                Path::new("themes/briefing").join(file.path()),
                file.contents().to_vec(),
            ));
        }
        folders.extend(folder.dirs());
    }
    files.sort();
    files
}

/// The shipped `main.ftl` of `lang`, with the messages about this repository's site made
/// neutral.
fn neutral_tables(lang: &str) -> String {
    let shipped = LOCALES
        .get_file(format!("{lang}/main.ftl"))
        .and_then(|file| file.contents_utf8())
        .expect("the shipped languages have a main.ftl");
    let neutral = neutral_messages(lang);
    shipped
        .lines()
        .map(|line| {
            match neutral
                .iter()
                .find(|(id, _)| line.starts_with(&format!("{id} =")))
            {
                Some((id, value)) => format!("{id} = {value}\n"),
                None => format!("{line}\n"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_theme_holds_its_templates_and_styles() {
        let files = theme_files();
        let names: Vec<String> = files
            .iter()
            .map(|(path, _)| path.to_string_lossy().into_owned())
            .collect();
        for expected in [
            "themes/briefing/templates/base.html",
            "themes/briefing/templates/page.html",
            "themes/briefing/static/style.css",
        ] {
            assert!(names.iter().any(|name| name == expected), "{expected}");
        }
    }

    #[test]
    fn the_shipped_tables_lose_the_repository_site_names() {
        let tables = neutral_tables("en");
        assert!(tables.contains("site-title = New briefing\n"));
        assert!(!tables.contains("Korea"));
        assert!(tables.contains("nav-home = Home\n"));
    }

    #[test]
    fn languages_without_shipped_strings_are_refused() {
        let problems = project_files(&["fr".into(), "de".into()], "2024-01-01").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("\"de\""));
    }
}
