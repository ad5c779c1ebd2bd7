// `briefing serve` in Chromium: pages reload by themselves after an edit (at the same scroll
// position), a broken edit shows its errors over the last good page until fixed, a
// stylesheet is swapped without a reload, and the side-by-side preview follows both files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureProject, launchChromium, serve } from './harness.mjs';

const WAIT = { timeout: 30_000 };

/** Replaces `from` by `to` in a project file, insisting that `from` is there. */
function edit(root, file, from, to) {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  assert.ok(text.includes(from), `${file} does not contain ${from}`);
  writeFileSync(path, text.replace(from, to));
}

/**
 * As the harness's watchErrors, less what a dev server's page does by design: its event
 * stream is cut when it reloads, and Chromium asks for /favicon.ico, which the site has not.
 */
function watchLiveErrors(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
      errors.push(`console: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    if (!request.url().includes('/__briefing/events')) errors.push(`request failed: ${request.url()}`);
  });
  return errors;
}

async function withServer(run) {
  const project = fixtureProject('basic');
  const server = await serve(project.root);
  const browser = await launchChromium();
  try {
    await run({ root: project.root, url: server.url, browser });
  } finally {
    await browser.close();
    await server.stop();
    project.cleanup();
  }
}

/** A page whose script has connected to the live-reload stream. */
async function openLive(browser, url, viewport = { width: 900, height: 700 }) {
  const page = await browser.newPage({ viewport });
  const errors = watchLiveErrors(page);
  const connected = page.waitForResponse((r) => r.url().includes('/__briefing/events'), WAIT);
  await page.goto(url);
  await connected;
  return { page, errors };
}

test('an edited page reloads by itself, shows the new text and keeps its scroll position', async () => {
  await withServer(async ({ root, url, browser }) => {
    const long = Array.from({ length: 60 }, (_, i) => `Ligne de remplissage ${i}.`).join('\n\n');
    edit(root, 'content/cyber/index.fr.md', 'Depuis 2021, chaque année.', `Depuis 2021, chaque année.\n\n${long}`);
    const { page, errors } = await openLive(browser, `${url}fr/cyberdefense/`, { width: 800, height: 400 });
    await page.waitForFunction(() => document.body.textContent.includes('Ligne de remplissage 59.'), null, WAIT);
    await page.evaluate(() => window.scrollTo(0, 600));
    await page.evaluate(() => { window.beforeReload = true; });

    edit(root, 'content/cyber/index.fr.md', 'Ligne de remplissage 0.', 'Un paragraphe écrit pendant la lecture.');
    await page.waitForFunction(() => document.body.textContent.includes('Un paragraphe écrit pendant la lecture.'), null, WAIT);
    assert.equal(await page.evaluate(() => window.beforeReload), undefined, 'the page reloaded');
    await page.waitForFunction(() => window.scrollY > 500, null, WAIT);
    assert.deepEqual(errors, []);
  });
});

test('a broken edit shows its errors over the last good page, and the fix clears them', async () => {
  await withServer(async ({ root, url, browser }) => {
    const { page } = await openLive(browser, `${url}fr/cyberdefense/`);
    edit(root, 'content/cyber/index.fr.md', 'title = ', 'titel = ');
    const overlay = page.locator('#briefing-error-overlay pre.diagnostic');
    await overlay.first().waitFor(WAIT);
    assert.match(await overlay.first().textContent(), /content\/cyber\/index\.fr\.md:2:1/);
    assert.equal(await page.locator('h1').first().textContent(), 'Cyberdéfense', 'the last good page stays');

    edit(root, 'content/cyber/index.fr.md', 'titel = "Cyberdéfense"', 'title = "Cyberdéfense corrigée"');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Cyberdéfense corrigée', null, WAIT);
    assert.equal(await page.locator('#briefing-error-overlay').count(), 0);
  });
});

test('a stylesheet change is swapped in without reloading the page', async () => {
  await withServer(async ({ root, url, browser }) => {
    const { page, errors } = await openLive(browser, `${url}fr/`);
    await page.evaluate(() => { window.stillHere = true; });
    const css = join(root, 'themes/briefing/static/style.css');
    writeFileSync(css, `${readFileSync(css, 'utf8')}\nbody { background-color: rgb(1, 2, 3); }\n`);
    await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)', null, WAIT);
    assert.equal(await page.evaluate(() => window.stillHere), true, 'no reload');
    assert.equal(await page.locator('link[rel="stylesheet"][href*="style.css"]').count(), 1);
    assert.deepEqual(errors, []);
  });
});

test('the side-by-side preview shows both languages and follows edits of either', async () => {
  await withServer(async ({ root, url, browser }) => {
    const { page } = await openLive(browser, `${url}__briefing/side-by-side/cyber`, { width: 1400, height: 800 });
    const french = page.frameLocator('iframe[data-lang="fr"]');
    const english = page.frameLocator('iframe[data-lang="en"]');
    await french.locator('h1').first().waitFor(WAIT);
    assert.equal(await french.locator('h1').first().textContent(), 'Cyberdéfense');
    assert.equal(await english.locator('h1').first().textContent(), 'Cyber defence');

    edit(root, 'content/cyber/index.en.md', 'Every year since 2021.', 'Every single year since 2021.');
    await english.locator('text=Every single year since 2021.').waitFor(WAIT);
    assert.equal(await french.locator('h1').first().textContent(), 'Cyberdéfense');
  });
});

test('at 375 px the side-by-side preview stacks the languages instead of splitting their words', async () => {
  await withServer(async ({ url, browser }) => {
    const { page } = await openLive(browser, `${url}__briefing/side-by-side/cyber`, { width: 375, height: 700 });
    await page.frameLocator('iframe[data-lang="en"]').locator('h1').first().waitFor(WAIT);
    const boxes = await page.evaluate(() => Array.from(
      document.querySelectorAll('.side-by-side section'),
      (section) => { const box = section.getBoundingClientRect(); return { x: box.x, y: box.y, width: box.width, height: box.height }; },
    ));
    assert.equal(boxes.length, 2);
    for (const box of boxes) assert.ok(box.width >= 370, `each language takes the width: ${JSON.stringify(box)}`);
    assert.ok(boxes[1].y >= boxes[0].y + boxes[0].height - 1, `the second language comes below the first: ${JSON.stringify(boxes)}`);
    await page.screenshot({ path: new URL('./screenshots/side-by-side-375.png', import.meta.url).pathname, fullPage: true });
  });
});
