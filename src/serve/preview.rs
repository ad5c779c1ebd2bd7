//! Serve stage: the dev server's own pages. The side-by-side preview shows one topic in every
//! language next to each other (the translator's view), at a URL made from the topic id
//! alone: `/__briefing/side-by-side/<topic-id>`. Also the page shown while no build has
//! succeeded yet.

use crate::model::SiteModel;

use super::http::escape_attribute;
use super::state::DiagnosticView;

pub const PREVIEW_PREFIX: &str = "__briefing/side-by-side/";

/// The address of the side-by-side preview of a topic, from the site root.
pub fn preview_path(topic: &str) -> String {
    format!("/{PREVIEW_PREFIX}{topic}")
}

/// For each language of the site, the address of the topic's page in it, if any.
pub fn frames(model: Option<&SiteModel>, topic: &str) -> Vec<Option<String>> {
    let Some(model) = model else {
        return Vec::new();
    };
    let pages = model.translations.get(topic);
    model
        .languages
        .iter()
        .map(|language| {
            pages
                .and_then(|pages| pages.get(&language.lang))
                .map(|path| format!("/{}", path.as_str()))
        })
        .collect()
}

/// The preview page, or `None` when no language has the topic.
pub fn page(model: Option<&SiteModel>, topic: &str) -> Option<String> {
    let model = model?;
    model.translations.get(topic)?;
    let mut titles = Vec::new();
    let mut columns = String::new();
    for (language, frame) in model.languages.iter().zip(frames(Some(model), topic)) {
        let lang = escape_attribute(&language.lang);
        let title = language
            .topics
            .iter()
            .chain(&language.pages)
            .find(|t| t.page.topic == topic)
            .map(|t| t.page.title.clone());
        match (frame, title) {
            (Some(src), Some(title)) => {
                let src = escape_attribute(&src);
                let shown = escape_attribute(&title);
                columns.push_str(&format!(
                    "<section lang=\"{lang}\"><h1><span class=\"lang\">{lang}</span> <a href=\"{src}\" target=\"_top\">{shown}</a></h1>\
                     <iframe src=\"{src}\" title=\"{shown}\" data-lang=\"{lang}\"></iframe></section>\n"
                ));
                titles.push(title);
            }
            _ => columns.push_str(&format!(
                "<section lang=\"{lang}\"><h1><span class=\"lang\">{lang}</span></h1>\
                 <p class=\"missing\">No page in “{lang}” yet: content/{}/index.{lang}.md</p></section>\n",
                escape_attribute(topic)
            )),
        }
    }
    Some(format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main class=\"side-by-side\">\n{columns}</main>\n</body>\n</html>\n",
        escape_attribute(
            &model
                .languages
                .first()
                .map_or(String::new(), |l| l.lang.clone())
        ),
        escape_attribute(topic),
        escape_attribute(&titles.join(" | ")),
    ))
}

const STYLE: &str = "html,body{margin:0;height:100%;font-family:system-ui,sans-serif}\
.side-by-side{display:flex;height:100vh}\
.side-by-side section{flex:1;display:flex;flex-direction:column;min-width:0;border-left:1px solid #ccc}\
.side-by-side section:first-child{border-left:0}\
.side-by-side h1{font-size:1rem;margin:0;padding:.5rem .75rem;background:#f3f3f3;border-bottom:1px solid #ccc}\
.side-by-side .lang{font-family:monospace;text-transform:uppercase;margin-right:.5rem}\
.side-by-side iframe{flex:1;border:0;width:100%}\
.side-by-side .missing{padding:1rem;color:#555}";

/// Shown for every page while no build has succeeded: the errors, and the live-reload script
/// brings the site in once they are fixed.
pub fn error_page(errors: &[DiagnosticView]) -> String {
    let mut list = String::new();
    for error in errors {
        list.push_str(&format!("<pre>{}</pre>\n", escape_attribute(&error.text)));
    }
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>briefing: build failed</title>\n\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem}}pre{{background:#1e1e1e;color:#f0f0f0;padding:1rem;overflow:auto}}</style>\n\
         </head>\n<body>\n<h1>The site could not be built</h1>\n{list}</body>\n</html>\n"
    )
}
