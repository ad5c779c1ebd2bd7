// The harness works end to end: a fixture site built by the binary, opened from disk in
// Chromium, and the language chooser leads to the French home page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { briefing, fixtureProject, launchChromium, watchErrors } from './harness.mjs';

test('the offline chooser leads to the French home page', async () => {
  const project = fixtureProject('basic');
  const browser = await launchChromium();
  try {
    briefing(project.root, ['build', '--offline']);
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(pathToFileURL(join(project.root, 'site/index.html')).href);
    await page.click('a[hreflang="fr"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.match(new URL(page.url()).pathname, /\/site\/fr\/index\.html$/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    project.cleanup();
  }
});
