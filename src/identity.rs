//! The organisation's identity on every page: its logo file (`logo = "..."` in briefing.toml,
//! SVG or PNG), checked at load, measured for `width`/`height`, and copied to the site root
//! under a fixed name so that the theme can point at it.

use std::path::{Component, Path};

/// The logo's kinds of file, by extension.
const LOGO_EXTENSIONS: [&str; 2] = ["svg", "png"];

/// Where the logo goes in the site: `logo.svg` or `logo.png` at the root.
pub fn logo_output_name(logo: &str) -> String {
    let extension = Path::new(logo)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("svg")
        .to_ascii_lowercase();
    format!("logo.{extension}")
}

/// Checks that `logo` names an SVG or PNG file inside the project; the error says why not.
pub fn check_logo_path(root: &Path, logo: &str) -> Result<(), String> {
    let path = Path::new(logo);
    let inside = path
        .components()
        .all(|part| matches!(part, Component::Normal(_) | Component::CurDir));
    if !inside {
        return Err(format!(
            "logo \"{logo}\" must be a path inside the project folder"
        ));
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !extension.is_some_and(|e| LOGO_EXTENSIONS.contains(&e.as_str())) {
        return Err(format!("logo \"{logo}\" must be an .svg or .png file"));
    }
    let absolute = root.join(path);
    if crate::symlinks::through_symlink(root, path) || !absolute.is_file() {
        return Err(format!("logo \"{logo}\" is not a file of the project"));
    }
    if image_size(&absolute).is_none() {
        return Err(format!(
            "logo \"{logo}\" is not a readable SVG or PNG image"
        ));
    }
    Ok(())
}

/// The width and height of an image file in CSS pixels: from its header for raster images,
/// from the `width`/`height` (or `viewBox`) of the root element for SVG.
pub fn image_size(path: &Path) -> Option<(u32, u32)> {
    let is_svg = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if is_svg {
        let text = std::fs::read_to_string(path).ok()?;
        return svg_size(&text);
    }
    let size = imagesize::size(path).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

/// The size an SVG declares on its root element.
pub fn svg_size(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let end = start + text[start..].find('>')?;
    let tag = &text[start..end];
    let attribute = |name: &str| -> Option<f64> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let value = &tag[at..at + tag[at..].find('"')?];
        value.trim_end_matches("px").trim().parse().ok()
    };
    let (width, height) = match (attribute("width"), attribute("height")) {
        (Some(width), Some(height)) => (width, height),
        _ => {
            let at = tag.find(" viewBox=\"")? + 10;
            let numbers: Vec<f64> = tag[at..at + tag[at..].find('"')?]
                .split([' ', ','])
                .filter(|part| !part.is_empty())
                .filter_map(|part| part.parse().ok())
                .collect();
            match numbers.as_slice() {
                [_, _, width, height] => (*width, *height),
                _ => return None,
            }
        }
    };
    let round = |value: f64| (value > 0.0 && value < 100_000.0).then(|| value.round() as u32);
    Some((round(width)?, round(height)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_come_from_width_and_height_or_the_view_box() {
        assert_eq!(
            svg_size("<svg xmlns=\"x\" width=\"120\" height=\"40px\">"),
            Some((120, 40))
        );
        assert_eq!(
            svg_size("<?xml?><svg viewBox=\"0 0 300 150\" xmlns=\"x\">"),
            Some((300, 150))
        );
        assert_eq!(svg_size("<svg xmlns=\"x\">"), None);
    }

    #[test]
    fn logos_outside_the_project_or_of_other_kinds_are_refused() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("logo.gif"), b"GIF89a").unwrap();
        assert!(check_logo_path(root.path(), "../logo.svg").is_err());
        assert!(check_logo_path(root.path(), "logo.gif").is_err());
        assert!(check_logo_path(root.path(), "missing.svg").is_err());
        std::fs::write(
            root.path().join("logo.svg"),
            "<svg width=\"10\" height=\"5\">",
        )
        .unwrap();
        assert_eq!(check_logo_path(root.path(), "logo.svg"), Ok(()));
        assert_eq!(logo_output_name("img/Logo.SVG"), "logo.svg");
    }
}
