// The basic fixture read in Chromium as a reader would: opened from disk (the offline build)
// and over http (the normal build): the language switcher, search in both languages with
// the keyboard, axe-core on every kind of page in light and dark schemes, no console
// errors, no request leaving the site, and screenshots at 375 px and 1280 px for review.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  axeViolations, briefing, fixtureProject, launchChromium, pagesByKind, screenshotsFolder,
  serveStatic, setBaseUrl, watchErrors,
} from './harness.mjs';

const PAGE_KINDS = ['home', 'topic', 'tag', 'tags', 'timeline', 'glossary', 'search'];
const SEARCHES = [
  { lang: 'fr', query: 'cyberdefense', title: 'Cyberdéfense' },
  { lang: 'fr', query: 'exercice', title: 'Cyberdéfense' },
  { lang: 'en', query: 'exercise', title: 'Cyber defence' },
];

for (const mode of ['offline', 'http']) {
  describe(`the ${mode} build of the basic fixture`, () => {
    let project, browser, server, site, pages;
    const url = (relative) => (mode === 'offline'
      ? pathToFileURL(join(site, relative)).href
      : server.url + relative.replace(/index\.html$/, ''));

    // Opens a page and insists that nothing went wrong or left the site while it loaded.
    async function open(relative, options = {}) {
      const page = await browser.newPage(options);
      const errors = watchErrors(page);
      const outside = [];
      page.on('request', (request) => {
        const target = request.url();
        const inside = mode === 'offline' ? target.startsWith('file://') : target.startsWith(server.url);
        if (!inside && !target.startsWith('data:')) outside.push(target);
      });
      await page.goto(url(relative));
      page.check = () => {
        assert.deepEqual(errors, [], `errors on ${relative}`);
        assert.deepEqual(outside, [], `requests leaving the site from ${relative}`);
      };
      return page;
    }

    before(async () => {
      project = fixtureProject('basic');
      // Three sections give the topic its "On this page" list.
      for (const lang of ['fr', 'en']) {
        const file = join(project.root, 'content/relations', `index.${lang}.md`);
        writeFileSync(file, `${readFileSync(file, 'utf8')}\n## Next steps\n\nMore talks.\n`);
      }
      site = join(project.root, 'site');
      if (mode === 'http') {
        server = await serveStatic(site);
        setBaseUrl(project.root, server.url);
        briefing(project.root, ['build']);
      } else {
        briefing(project.root, ['build', '--offline']);
      }
      pages = pagesByKind(site);
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close();
      await server?.close();
      project?.cleanup();
    });

    test('every kind of page exists in both languages', () => {
      for (const kind of PAGE_KINDS) {
        for (const lang of ['fr', 'en']) assert.ok(pages[`${kind}/${lang}`], `${kind}/${lang}`);
      }
      assert.ok(pages['not-found/fr'], '404.html');
    });

    test('the switcher on a topic leads to the same topic in the other language', async () => {
      const page = await open(pages['topic/fr']);
      const french = await page.textContent('h1');
      const switcher = page.locator('.language-switcher a');
      assert.equal(await switcher.getAttribute('lang'), 'en');
      assert.equal(await switcher.getAttribute('hreflang'), 'en');
      assert.equal(await switcher.textContent(), 'English');
      await switcher.click();
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await page.getAttribute('body', 'class'), 'page-topic');
      const english = await page.textContent('h1');
      await page.locator('.language-switcher a').click();
      assert.equal(await page.textContent('h1'), french);
      assert.notEqual(english, french);
      page.check();
      await page.close();
    });

    for (const { lang, query, title } of SEARCHES) {
      test(`searching "${query}" in ${lang} finds "${title}", usable with the keyboard`, async () => {
        const page = await open(pages[`search/${lang}`]);
        await page.waitForSelector('form[data-ready]');
        await page.focus('#search-input');
        await page.keyboard.type(query);
        const first = page.locator('.search-result').first();
        await first.waitFor();
        assert.equal(await first.locator('.search-result__title').textContent(), title);
        assert.ok(await page.locator('.search-result mark').count() > 0, 'the match is marked');
        const count = await page.locator('.search-result').count();
        assert.match(await page.textContent('#search-status'), new RegExp(`^${count}\\s`));
        await page.keyboard.press('ArrowDown');
        assert.equal(await page.evaluate(() => document.activeElement.textContent), title);
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        assert.equal(await page.textContent('h1'), title);
        page.check();
        await page.close();
      });
    }

    test('a search page opened with ?q= shows its results', async () => {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(`${url(pages['search/en'])}?q=shared+platforms`);
      await page.locator('.search-result').first().waitFor();
      assert.equal(await page.inputValue('#search-input'), 'shared platforms');
      assert.equal(await page.locator('.search-result').count(), 1);
      assert.deepEqual(errors, []);
      await page.close();
    });

    test('a search result keeps a heading of the page apart from the sentences around it', async () => {
      const page = await open(pages['search/en']);
      await page.waitForSelector('form[data-ready]');
      await page.fill('#search-input', 'shields');
      const snippet = page.locator('.search-result__snippet').first();
      await snippet.waitFor();
      const lines = await snippet.evaluate((p) => p.innerText.split('\n').map((line) => line.trim()));
      assert.ok(lines.includes('Locked Shields'), JSON.stringify(lines));
      page.check();
      await page.close();
    });

    test('a search for a word no topic has says so', async () => {
      const page = await open(pages['search/fr']);
      await page.waitForSelector('form[data-ready]');
      await page.fill('#search-input', 'zzyzx');
      // The answer waits for the term shard of "zz" to load.
      await page.waitForFunction(() => /Aucun sujet ne contient/.test(document.getElementById('search-status').textContent));
      assert.equal(await page.locator('.search-result').count(), 0);
      page.check();
      await page.close();
    });

    test('the header carries the organisation and the language toggle at the top right', async () => {
      const page = await open(pages['topic/fr'], { viewport: { width: 1280, height: 900 } });
      const wordmark = await page.locator('.site-header .wordmark').boundingBox();
      const toggle = await page.locator('.site-header__top .language-switcher a').boundingBox();
      assert.ok(wordmark.x < 200, `wordmark at ${wordmark.x}`);
      assert.ok(toggle.x + toggle.width > 1000, `toggle ends at ${toggle.x + toggle.width}`);
      assert.ok(Math.abs(toggle.y - wordmark.y) < 20, 'toggle and wordmark share the top row');
      assert.match(await page.textContent('main .date-modified'), /Date de modification/);
      page.check();
      await page.close();
    });

    const relations = 'en/relations-korea/index.html';

    test('from 1024 px a topic has a side column that stays in view; below, one column', async () => {
      const wide = await open(relations, { viewport: { width: 1280, height: 600 } });
      const body = await wide.locator('.topic__body').boundingBox();
      const side = await wide.locator('.topic__side').boundingBox();
      assert.ok(side.x >= body.x + body.width, 'the side column is beside the text');
      assert.ok(body.width <= 42 * 16 + 1, `the text keeps its measure (${body.width} px)`);
      assert.equal(await wide.locator('.topic__side').evaluate((e) => getComputedStyle(e).position), 'sticky');
      assert.ok(await wide.locator('.toc--side').isVisible());
      assert.ok(!(await wide.locator('.toc--inline').isVisible()));
      wide.check();
      await wide.close();
      const narrow = await open(relations, { viewport: { width: 375, height: 800 } });
      assert.ok(await narrow.locator('.toc--inline').isVisible());
      assert.ok(!(await narrow.locator('.toc--side').isVisible()));
      const text = await narrow.locator('.topic__body').boundingBox();
      const facts = await narrow.locator('.topic__side').boundingBox();
      assert.ok(facts.y >= text.y + text.height, 'key dates and sources come after the text');
      narrow.check();
      await narrow.close();
    });

    test('printed, a topic is a briefing note: no navigation, link addresses shown', async () => {
      const page = await open(relations);
      await page.emulateMedia({ media: 'print' });
      for (const hidden of ['.site-nav', '.site-footer', '.language-switcher', '.toc--inline']) {
        assert.equal(await page.locator(hidden).first().evaluate((e) => getComputedStyle(e).display), 'none', hidden);
      }
      assert.equal(await page.locator('h2').first().evaluate((e) => getComputedStyle(e).breakAfter), 'avoid');
      const after = await page.locator('.prose').first().evaluate((prose) => {
        const link = Object.assign(document.createElement('a'), { href: 'https://example.org/report', textContent: 'report' });
        prose.append(link);
        return getComputedStyle(link, '::after').content;
      });
      assert.match(after, /https:\/\/example\.org\/report/);
      page.check();
      await page.close();
    });

    for (const scheme of ['light', 'dark']) {
      test(`axe-core finds no violation on any kind of page (${scheme} scheme)`, async () => {
        const found = {};
        for (const key of [...PAGE_KINDS.flatMap((k) => [`${k}/fr`, `${k}/en`]), 'not-found/fr', 'chooser/fr']) {
          const page = await open(pages[key], { colorScheme: scheme });
          if (key.startsWith('search/')) {
            await page.waitForSelector('form[data-ready]');
            await page.fill('#search-input', key.endsWith('fr') ? 'corée' : 'korea');
            await page.locator('.search-result').first().waitFor();
          }
          const violations = await axeViolations(page);
          if (violations.length) found[key] = violations;
          page.check();
          await page.close();
        }
        assert.deepEqual(found, {});
      });
    }

    test('screenshots at 375 px and 1280 px are saved for review', async () => {
      const folder = join(screenshotsFolder, mode);
      mkdirSync(folder, { recursive: true });
      for (const width of [375, 1280]) {
        for (const key of [...PAGE_KINDS.flatMap((k) => [`${k}/fr`, `${k}/en`]), 'not-found/fr']) {
          const page = await open(pages[key], { viewport: { width, height: 900 } });
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(scrollWidth <= width, `${key} is ${scrollWidth} px wide at ${width} px`);
          await page.screenshot({ path: join(folder, `${key.replace('/', '-')}-${width}.png`), fullPage: true });
          page.check();
          await page.close();
        }
      }
    });
  });
}
