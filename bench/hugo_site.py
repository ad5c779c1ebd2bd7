#!/usr/bin/env python3
"""Turns a generated briefing corpus into an equivalent Hugo site, for bench/serve-reload.

The same topics and texts in the same two languages (content/<lang>/<topic-id>.md, Hugo's
multilingual content folders), the same front matter (tags become Hugo's tags taxonomy,
sources and events stay as page parameters), `@/topic` links turned into relative links, and
minimal layouts: a page with its title, date, tags and body; lists of titles and summaries.

usage: hugo_site.py <briefing-corpus> <hugo-site>
"""
import pathlib
import re
import shutil
import sys

CONFIG = """baseURL = "https://example.org/"
title = "corpus"
defaultContentLanguage = "fr"
defaultContentLanguageInSubdir = true
disableKinds = ["RSS", "sitemap", "robotsTXT"]

[languages.fr]
contentDir = "content/fr"
weight = 1
[languages.en]
contentDir = "content/en"
weight = 2
"""

SINGLE = """<!DOCTYPE html>
<html lang="{{ .Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2006-01-02" }}</time></p>
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}
</body>
</html>
"""

LIST = """<!DOCTYPE html>
<html lang="{{ .Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>
</body>
</html>
"""

LINK = re.compile(r"\(@/([a-z0-9-]+)(#[^)]*)?\)")


def main():
    corpus, site = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    if site.exists():
        shutil.rmtree(site)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(CONFIG)
    (site / "layouts/_default/single.html").write_text(SINGLE)
    (site / "layouts/_default/list.html").write_text(LIST)
    for lang in ("fr", "en"):
        (site / "content" / lang).mkdir(parents=True)
    for topic in sorted((corpus / "content").iterdir()):
        if not topic.is_dir():
            continue
        for lang in ("fr", "en"):
            source = topic / f"index.{lang}.md"
            if source.is_file():
                text = LINK.sub(lambda m: f"(../{m.group(1)}/{m.group(2) or ''})", source.read_text())
                (site / "content" / lang / f"{topic.name}.md").write_text(text)


if __name__ == "__main__":
    main()
