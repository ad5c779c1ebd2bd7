//! Where each page of the site lives, and the relative links between them.
//!
//! Every page is a folder (`fr/cyber/`) holding `index.html`, or a file (`fr/atom.xml`). Links
//! are always relative, so that the site works from any sub-path; offline links name the
//! file (`../cyber/index.html`) so that it works opened from disk.

/// A path from the site root: `""` (root), `fr/`, `fr/cyber/` (folders end with `/`), or a
/// file such as `fr/atom.xml`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SitePath(String);

impl SitePath {
    pub fn root() -> SitePath {
        SitePath(String::new())
    }

    pub fn folder(segments: &[&str]) -> SitePath {
        let mut path = String::new();
        for segment in segments {
            path.push_str(segment);
            path.push('/');
        }
        SitePath(path)
    }

    pub fn file(path: impl Into<String>) -> SitePath {
        SitePath(path.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_folder(&self) -> bool {
        self.0.is_empty() || self.0.ends_with('/')
    }

    /// The file written for this path: `fr/cyber/index.html` for a folder.
    pub fn output_file(&self) -> String {
        if self.is_folder() {
            format!("{}index.html", self.0)
        } else {
            self.0.clone()
        }
    }

    /// The folder relative links are resolved from.
    fn base_folder(&self) -> &str {
        match self.0.rfind('/') {
            Some(at) => &self.0[..=at],
            None => "",
        }
    }

    /// The absolute URL, from the site's base URL (which ends with `/`).
    pub fn absolute(&self, base_url: &str) -> String {
        format!("{base_url}{}", self.0)
    }
}

/// How links are written: for a server, or for reading from disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkStyle {
    Server,
    Offline,
}

/// A relative link from the page at `from` to `to`.
pub fn relative(from: &SitePath, to: &SitePath, style: LinkStyle) -> String {
    let from_folder: Vec<&str> = from.base_folder().split_terminator('/').collect();
    let to_parts: Vec<&str> = to.as_str().split_terminator('/').collect();
    let to_folder_len = if to.is_folder() {
        to_parts.len()
    } else {
        to_parts.len().saturating_sub(1)
    };
    let common = from_folder
        .iter()
        .zip(&to_parts[..to_folder_len])
        .take_while(|(a, b)| a == b)
        .count();
    let mut link = "../".repeat(from_folder.len() - common);
    for part in &to_parts[common..] {
        link.push_str(part);
        link.push('/');
    }
    if !to.is_folder() {
        link.pop();
    }
    match (to.is_folder(), style) {
        (true, LinkStyle::Offline) => link.push_str("index.html"),
        (true, LinkStyle::Server) if link.is_empty() => link.push_str("./"),
        _ => {}
    }
    link
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_between_pages_are_relative() {
        let topic = SitePath::folder(&["fr", "cyber"]);
        let other = SitePath::folder(&["fr", "otan"]);
        let english = SitePath::folder(&["en", "cyber"]);
        let style = LinkStyle::Server;
        assert_eq!(relative(&topic, &other, style), "../otan/");
        assert_eq!(relative(&topic, &english, style), "../../en/cyber/");
        assert_eq!(relative(&topic, &topic, style), "./");
        assert_eq!(relative(&SitePath::root(), &other, style), "fr/otan/");
        assert_eq!(relative(&topic, &SitePath::root(), style), "../../");
        assert_eq!(
            relative(&topic, &SitePath::file("style.css"), style),
            "../../style.css"
        );
        assert_eq!(
            relative(&SitePath::file("404.html"), &other, style),
            "fr/otan/"
        );
    }

    #[test]
    fn offline_links_name_their_file() {
        let topic = SitePath::folder(&["fr", "cyber"]);
        let style = LinkStyle::Offline;
        assert_eq!(
            relative(&topic, &SitePath::folder(&["fr", "otan"]), style),
            "../otan/index.html"
        );
        assert_eq!(relative(&topic, &topic, style), "index.html");
        assert_eq!(
            relative(&topic, &SitePath::root(), style),
            "../../index.html"
        );
        assert_eq!(
            relative(&topic, &SitePath::file("fr/atom.xml"), style),
            "../atom.xml"
        );
    }
}
