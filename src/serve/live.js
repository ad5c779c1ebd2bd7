// briefing serve: live reload. The dev server adds this script to the pages it serves (built
// sites never carry it). It listens for build events: a page whose output changed reloads at
// the same scroll position; a changed stylesheet is swapped in place; a failed build shows
// its errors over the page until a build succeeds.
(() => {
  'use strict';
  const script = document.currentScript;
  const path = script.dataset.path;
  const scrollKey = `briefing-scroll:${path}`;
  const overlayId = 'briefing-error-overlay';

  restoreScroll();

  const query = new URLSearchParams({
    path,
    since: script.dataset.generation,
    instance: script.dataset.instance,
  });
  const events = new EventSource(`/__briefing/events?${query}`);

  events.addEventListener('hello', (message) => {
    const hello = JSON.parse(message.data);
    if (hello.stale) return reload();
    if (hello.errors) showErrors(hello.errors);
    else hideErrors();
  });

  events.addEventListener('build', (message) => {
    const build = JSON.parse(message.data);
    if (!build.ok) return showErrors(build.diagnostics);
    hideErrors();
    if (build.reload) return reload();
    refreshResources(build.resources);
  });

  events.addEventListener('reload', () => reload());

  // The translation status changed: only the status page shows it.
  events.addEventListener('translations', (message) => {
    if (JSON.parse(message.data).reload) reload();
  });

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    } catch (_) {
      // Storage may be off; the page still reloads, at the top.
    }
    events.close();
    window.location.reload();
  }

  function restoreScroll() {
    let saved = null;
    try {
      saved = sessionStorage.getItem(scrollKey);
      sessionStorage.removeItem(scrollKey);
    } catch (_) {
      return;
    }
    if (!saved) return;
    const [x, y] = JSON.parse(saved);
    const apply = () => window.scrollTo(x, y);
    document.addEventListener('DOMContentLoaded', apply, { once: true });
    window.addEventListener('load', apply, { once: true });
  }

  /** Site path of a URL of this server: `style.css`, `fr/cyber/index.html`. */
  function sitePath(url) {
    const parsed = new URL(url, window.location.href);
    if (parsed.origin !== window.location.origin) return null;
    let site = decodeURIComponent(parsed.pathname.slice(1));
    if (site === '' || site.endsWith('/')) site += 'index.html';
    return site;
  }

  function refreshResources(resources) {
    if (!resources || resources.length === 0) return;
    const changed = new Set(resources);
    for (const link of document.querySelectorAll('link[rel~="stylesheet"][href]')) {
      if (!changed.has(sitePath(link.href))) continue;
      const fresh = link.cloneNode();
      const url = new URL(link.href);
      url.searchParams.set('briefing-reload', Date.now().toString());
      fresh.href = url.href;
      // Keep the old sheet until the new one is in, so that the page never shows unstyled.
      fresh.addEventListener('load', () => link.remove(), { once: true });
      fresh.addEventListener('error', () => link.remove(), { once: true });
      link.after(fresh);
    }
    const used = document.querySelectorAll('img[src], script[src], source[src], video[src], audio[src], object[data]');
    for (const element of used) {
      const url = element.getAttribute('src') ?? element.getAttribute('data');
      if (changed.has(sitePath(url))) return reload();
    }
  }

  function showErrors(diagnostics) {
    let host = document.getElementById(overlayId);
    if (!host) {
      host = document.createElement('div');
      host.id = overlayId;
      host.attachShadow({ mode: 'open' });
      document.documentElement.append(host);
    }
    const shadow = host.shadowRoot;
    shadow.replaceChildren();
    const style = document.createElement('style');
    style.textContent = `
      :host { all: initial; }
      .overlay { position: fixed; inset: auto 0 0 0; max-height: 70vh; overflow: auto; z-index: 2147483647;
        background: rgba(24, 24, 27, 0.97); color: #f4f4f5; font: 14px/1.45 ui-monospace, monospace;
        padding: 1rem 1.25rem; box-shadow: 0 -4px 24px rgba(0, 0, 0, 0.35); border-top: 4px solid #ef4444; }
      h2 { font: 600 15px/1.3 system-ui, sans-serif; margin: 0 0 .75rem; color: #fca5a5; }
      pre { white-space: pre-wrap; margin: 0 0 1rem; }
      button { position: absolute; top: .5rem; right: .75rem; background: none; border: 0; color: inherit;
        font-size: 20px; cursor: pointer; }`;
    const box = document.createElement('div');
    box.className = 'overlay';
    box.setAttribute('role', 'alert');
    const heading = document.createElement('h2');
    const count = diagnostics.length;
    heading.textContent = `briefing: the last edit broke the build (${count} problem${count === 1 ? '' : 's'}); this page shows the last good site`;
    const close = document.createElement('button');
    close.type = 'button';
    close.setAttribute('aria-label', 'Hide');
    close.textContent = '×';
    close.addEventListener('click', () => host.remove());
    box.append(close, heading);
    for (const diagnostic of diagnostics) {
      const pre = document.createElement('pre');
      pre.className = 'diagnostic';
      pre.textContent = diagnostic.text;
      box.append(pre);
    }
    shadow.append(style, box);
  }

  function hideErrors() {
    document.getElementById(overlayId)?.remove();
  }
})();
