//! `briefing new <topic-id>`: a topic folder with one file per language, front matter filled.

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::page::is_safe_segment;
use crate::diagnostic::Diagnostic;
use crate::i18n::Locales;
use crate::messages;
use crate::source::Sources;

/// Creates `content/<id>/index.<lang>.md` for every language; returns the files written.
pub fn new_topic(root: &Path, id: &str, today: &str) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let folder = Path::new("content").join(id);
    if !is_safe_segment(id) {
        return Err(vec![Diagnostic::error(
            "topic-id",
            &folder,
            format!("\"{id}\" is not a safe topic id: use lowercase letters, digits and hyphens"),
        )]);
    }
    if root.join(&folder).exists() {
        return Err(vec![Diagnostic::error(
            "topic-exists",
            &folder,
            format!("topic \"{id}\" already exists"),
        )]);
    }
    let sources = Sources::load(root, &config)?;
    let locales = Locales::load(&config.languages, &sources)?;
    let mut texts = Vec::new();
    for lang in &config.languages {
        let title = locales
            .code_message(lang, &messages::NEW_TOPIC_TITLE, &[])
            .map_err(|error| {
                vec![Diagnostic::error(
                    "fluent-missing",
                    Path::new("locales").join(lang),
                    error.to_string(),
                )]
            })?;
        let mut text = format!(
            "+++\ntitle = {}\ndate = {today}\nsummary = \"\"\ntags = []\ndraft = true\n",
            toml_string(&title)
        );
        // The other languages' stubs record no source digest: they are untranslated until
        // `briefing translated` says otherwise.
        text.push_str("+++\n\n");
        texts.push((folder.join(format!("index.{lang}.md")), text));
    }
    fs::create_dir_all(root.join(&folder)).map_err(|error| {
        vec![Diagnostic::error(
            "io",
            &folder,
            format!("cannot create the folder: {error}"),
        )]
    })?;
    let mut written = Vec::new();
    for (path, text) in texts {
        fs::write(root.join(&path), text).map_err(|error| {
            vec![Diagnostic::error(
                "io",
                &path,
                format!("cannot write: {error}"),
            )]
        })?;
        written.push(path);
    }
    Ok(written)
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}
