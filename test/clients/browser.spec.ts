import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Response } from 'playwright-core';
import { startApp, type TestApp } from '../support/app.js';
import { requireProgram } from './tools.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '.out');
// Debian's chromium, driven by playwright-core (which gives it a fresh temporary profile): never
// `playwright install` (no download on these machines).
const executablePath = requireProgram(
  'browser.spec',
  process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  'apt-get install chromium',
);

const QUERY =
  '{ namespaces(labelSelector: "kubernetes.io/metadata.name=shop") { totalCount items { metadata { name } } } }';

/** Only the app itself may be reached: blob:/data: URLs are the page's own workers and inline assets. */
function isLocal(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'blob:' || u.protocol === 'data:' || u.protocol === 'about:') return true;
  return u.hostname === '127.0.0.1';
}

(executablePath ? describe : describe.skip)('GraphiQL IDE in headless Chromium, offline', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp({ seed: 'demo' });
    browser = await chromium.launch({
      executablePath,
      args: [
        // Nothing outside the machine resolves: a CDN script would fail to load and show up below.
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
        '--no-sandbox', // root in CI containers
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close({ drop: true });
  });

  it('loads from the app alone, runs a typed query and shows the demo namespace', async () => {
    const port = (app.app.getHttpServer().address() as { port: number }).port;
    const base = `http://127.0.0.1:${port}`;
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      serviceWorkers: 'block',
    });
    const requested: string[] = [];
    const blocked: string[] = [];
    const pageErrors: string[] = [];
    context.on('request', (r) => requested.push(r.url()));
    // Belt and braces beside the resolver rule: fail anything not addressed to 127.0.0.1.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('websocket', (ws) => requested.push(ws.url()));

    const response = await page.goto(`${base}/graphql`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);

    // Replace the editor's content with our query (insertText types it as one input, so the editor's
    // bracket auto-closing does not double the braces), then run it with the keyboard shortcut.
    const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await editor.waitFor({ state: 'visible', timeout: 30_000 });
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(QUERY);
    await expect(page.locator('.graphiql-query-editor .view-lines').first().innerText()).resolves.toContain(
      'kubernetes.io/metadata.name=shop',
    );

    // GraphiQL picks the operation to run from the editor after a short debounce; run too early and it
    // still names the default query's operation ("Cannot infer operation"), sending nothing. So run until
    // our query goes out, a few times at most.
    const isOurs = (r: Response) =>
      r.url() === `${base}/graphql` &&
      r.request().method() === 'POST' &&
      (r.request().postData() ?? '').includes('metadata.name=shop');
    let gqlResponse: Response | undefined;
    for (let attempt = 0; attempt < 5 && !gqlResponse; attempt++) {
      const executed = page.waitForResponse(isOurs, { timeout: 3_000 }).catch(() => undefined);
      if (attempt === 0) await page.keyboard.press('Control+Enter');
      else await page.getByRole('button', { name: /Execute query/ }).click();
      gqlResponse = await executed;
    }
    if (!gqlResponse)
      throw new Error('GraphiQL never sent the typed query: the run button and Ctrl+Enter did nothing');
    expect(gqlResponse.status()).toBe(200);
    expect(await gqlResponse.json()).toEqual({
      data: { namespaces: { totalCount: 1, items: [{ metadata: { name: 'shop' } }] } },
    });

    const result = page.locator('.result-window');
    await result.getByText('"shop"').waitFor({ timeout: 15_000 });
    await expect(result.innerText()).resolves.toMatch(/"totalCount":\s*1/);

    // Prettify so the screenshot shows the query laid out, then keep it for a human to look at.
    await page.getByRole('button', { name: /Prettify query/ }).click();
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'graphiql.png') });

    expect(blocked).toEqual([]);
    expect(requested.filter((u) => !isLocal(u))).toEqual([]);
    expect(requested.length).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 90_000);
});
