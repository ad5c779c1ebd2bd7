// The normal build served by a real nginx (Debian's) under the sub-path /briefing/: every
// link of every page, followed from the home page in Chromium, answers 200, and so does
// every file of the site and every address of the sitemap; a missing page answers 404 with
// the site's own 404 page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import {
  briefing, fixtureProject, freePort, launchChromium, repositoryProject, setBaseUrl, startNginx,
  watchErrors,
} from './harness.mjs';

function siteFiles(folder, prefix = '') {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? siteFiles(path, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

// Visits every page reachable from `start` and returns { status by URL, pages visited }.
async function crawl(browser, start) {
  const origin = new URL(start).origin;
  const statuses = new Map();
  const queue = [start];
  const visited = new Set();
  const page = await browser.newPage();
  const errors = watchErrors(page);
  while (queue.length) {
    const url = queue.shift();
    if (visited.has(url)) continue;
    visited.add(url);
    const response = await page.goto(url);
    statuses.set(url, response.status());
    const links = await page.evaluate(() => Array.from(
      document.querySelectorAll('[href], [src]'),
      (element) => element.href || element.src,
    ));
    for (const link of links) {
      const target = new URL(link);
      if (target.origin !== origin) continue;
      target.hash = '';
      const address = target.href;
      if (statuses.has(address)) continue;
      const answer = await fetch(address);
      statuses.set(address, answer.status);
      if ((answer.headers.get('content-type') || '').startsWith('text/html')) queue.push(address);
    }
  }
  await page.close();
  return { statuses, visited, errors };
}

for (const [name, make] of [['the basic fixture', () => fixtureProject('basic')], ['this repository\'s site', repositoryProject]]) {
  test(`every link of every page of ${name} answers 200 from nginx under /briefing/`, async () => {
    const project = make();
    const port = await freePort();
    setBaseUrl(project.root, `http://127.0.0.1:${port}/briefing/`);
    briefing(project.root, ['build']);
    const site = join(project.root, 'site');
    const server = await startNginx(site, 'briefing', port);
    const browser = await launchChromium();
    try {
      const { statuses, visited, errors } = await crawl(browser, server.url);
      const broken = [...statuses].filter(([, status]) => status !== 200);
      assert.deepEqual(broken, []);
      assert.deepEqual(errors, []);
      const htmlFiles = siteFiles(site).filter((file) => file.endsWith('.html') && file !== '404.html');
      assert.equal(visited.size, htmlFiles.length, 'every page is reached by following links');
      for (const file of siteFiles(site)) {
        assert.equal((await fetch(server.url + file)).status, 200, file);
      }
      const sitemap = await (await fetch(`${server.url}sitemap.xml`)).text();
      const locations = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]);
      assert.ok(locations.length > 10);
      for (const location of locations) assert.equal((await fetch(location)).status, 200, location);
      const missing = await fetch(`${server.url}fr/no-such-topic/`);
      assert.equal(missing.status, 404);
      assert.match(await missing.text(), /<link rel="stylesheet" href="\/briefing\/style.css">/);
    } finally {
      await browser.close();
      await server.stop();
      project.cleanup();
    }
  });
}

test('the 404 page built with --base-url is styled at any depth and every link leads into the site', async () => {
  const project = repositoryProject();
  const port = await freePort();
  const before = readFileSync(join(project.root, 'briefing.toml'), 'utf8');
  briefing(project.root, ['build', '--base-url', `http://127.0.0.1:${port}/briefing`]);
  assert.equal(readFileSync(join(project.root, 'briefing.toml'), 'utf8'), before, 'briefing.toml untouched');
  const server = await startNginx(join(project.root, 'site'), 'briefing', port);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}a/b/c/missing`);
    assert.equal(response.status(), 404);
    const styled = await page.evaluate(() => {
      const sheet = [...document.styleSheets].find((s) => s.href && s.href.endsWith('/style.css'));
      return Boolean(sheet && sheet.cssRules.length > 10);
    });
    assert.ok(styled, 'the stylesheet is loaded at depth');
    const links = await page.evaluate(() => Array.from(
      document.querySelectorAll('[href], [src]'),
      (element) => element.href || element.src,
    ));
    assert.ok(links.length >= 4);
    const missingPage = `${server.url}a/b/c/missing`;
    for (const link of links) {
      const target = new URL(link);
      target.hash = '';
      // A link within the page (the skip link) stays on the missing address, by design.
      if (link.includes('#') && target.href === page.url()) continue;
      assert.ok(target.href.startsWith(server.url), `${link} leads into the site`);
      // The skip link stays on the page, which is the 404 itself.
      if (target.href === missingPage) continue;
      assert.equal((await fetch(target.href)).status, 200, link);
    }
    await page.close();
  } finally {
    await browser.close();
    await server.stop();
    project.cleanup();
  }
});
