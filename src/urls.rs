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

/// A relative link from the page at `from` to `to`. A listing page makes some twenty of
/// these per topic it lists (its link and its tags'), so no allocation but the link's own.
pub fn relative(from: &SitePath, to: &SitePath, style: LinkStyle) -> String {
    let from_folder = from.base_folder();
    let to_folder = to.base_folder();
    // Both folders end with '/' (or are the root): the common part is the longest run of
    // whole segments they share.
    let mut common = 0;
    for (at, (a, b)) in from_folder.bytes().zip(to_folder.bytes()).enumerate() {
        if a != b {
            break;
        }
        if a == b'/' {
            common = at + 1;
        }
    }
    let ups = from_folder[common..]
        .bytes()
        .filter(|&byte| byte == b'/')
        .count();
    let rest = &to.as_str()[common..];
    let mut link = String::with_capacity(3 * ups + rest.len() + "index.html".len());
    for _ in 0..ups {
        link.push_str("../");
    }
    link.push_str(rest);
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
        // A segment that begins another is not shared with it.
        let longer = SitePath::folder(&["fr", "cyberdefense"]);
        assert_eq!(relative(&topic, &longer, style), "../cyberdefense/");
        assert_eq!(relative(&longer, &topic, style), "../cyber/");
        let second_page = SitePath::folder(&["fr", "etiquettes", "otan", "page", "2"]);
        let tag = SitePath::folder(&["fr", "etiquettes", "cyber"]);
        assert_eq!(relative(&second_page, &tag, style), "../../../cyber/");
        assert_eq!(relative(&tag, &second_page, style), "../otan/page/2/");
        assert_eq!(
            relative(
                &second_page,
                &SitePath::file("fr/etiquettes/otan/atom.xml"),
                style
            ),
            "../../atom.xml"
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
