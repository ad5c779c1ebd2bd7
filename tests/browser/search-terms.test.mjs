// Query-time terms in Chromium agree with index-time terms from rust-stemmers: every word of
// tests/fixtures/stemming/<lang>.tsv (checked against the Rust analyzer by
// tests/suite/search_terms.rs) gets the same terms from the search script the theme ships.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { briefing, fixtureProject, launchChromium, repoRoot, watchErrors } from './harness.mjs';

for (const [lang, stemmer] of [['fr', 'stemFrench'], ['en', 'stemEnglish']]) {
  test(`search.js gives every word of the ${lang} table the terms the index gives it`, async () => {
    const table = readFileSync(join(repoRoot, `tests/fixtures/stemming/${lang}.tsv`), 'utf8')
      .trim().split('\n').map((line) => line.split('\t'));
    assert.ok(table.length > 1000);
    const project = fixtureProject('basic');
    const browser = await launchChromium();
    try {
      briefing(project.root, ['build', '--offline']);
      const page = await browser.newPage();
      const errors = watchErrors(page);
      const search = lang === 'fr' ? 'fr/recherche/index.html' : 'en/search/index.html';
      await page.goto(pathToFileURL(join(project.root, 'site', search)).href);
      const mismatches = await page.evaluate(([rows, name]) => {
        const terms = window.briefingSearchTerms;
        return rows
          .map(([word, expected]) => [word, expected, terms.wordTerms(terms[name], word).join(' ')])
          .filter(([, expected, actual]) => expected !== actual);
      }, [table, stemmer]);
      assert.deepEqual(mismatches, []);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      project.cleanup();
    }
  });
}
