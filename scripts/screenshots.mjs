#!/usr/bin/env node
/**
 * Photographs every page of tokend in Chromium, light and dark, at 1280×800 and 390×844, into
 * docs/screenshots/<page>-<scheme>-<width>.png (the viewport only, to keep them small). The app
 * runs in process on a temporary SQLite file with the tests' seed (Acme, its people and apps), and
 * the walk is the accessibility test's (test/browser/page-tour.ts), so the pictures show what the
 * test checks. Run after `npm run build`: `node scripts/screenshots.mjs` (CHROMIUM_PATH to point
 * elsewhere than /usr/bin/chromium).
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { systemClock } from '../dist/src/core/clock.js';
import { startFakeApp, tourPages } from '../dist/test/browser/page-tour.js';
import { startTestApp } from '../dist/test/helpers/app.js';

const OUTPUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

await mkdir(OUTPUT, { recursive: true });
const t = await startTestApp({ clock: systemClock });
await t.app.listen({ host: '127.0.0.1', port: 0 });
const origin = `http://127.0.0.1:${t.app.server.address().port}`;
const fakeApp = await startFakeApp();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
let written = 0;
try {
  for (const colorScheme of ['light', 'dark']) {
    for (const viewport of SIZES) {
      const context = await browser.newContext({ colorScheme, viewport });
      const page = await context.newPage();
      await tourPages(t, origin, fakeApp.origin, page, async (name) => {
        // The focus the page gave itself (autofocus, a #notice) stays in the picture, as a person sees it.
        await page.screenshot({ path: `${OUTPUT}${name}-${colorScheme}-${viewport.width}.png` });
        written += 1;
      });
      await context.close();
    }
  }
} finally {
  await browser.close();
  await fakeApp.close();
  await t.close();
}
console.log(`${written} screenshots in ${OUTPUT}`);
