/**
 * Every page of tokend in real Chromium, in the light and dark schemes, at 1280×800 and 390×844
 * (page-tour.ts walks them): axe-core finds no serious or critical violation, nothing scrolls
 * sideways, and every control's focus ring is at least 3:1 against what surrounds it (WCAG 2.2
 * 1.4.11; axe has no rule for it). The pages keep their CSP (`script-src 'self'`, nothing
 * inline): axe is evaluated through the DevTools protocol, which the CSP does not govern, and a
 * CSP report in the console fails the test. Then what the script adds: the show-password
 * button, the Caps Lock hint, "Not you?", local and relative times. Needs Chromium at
 * /usr/bin/chromium (CI installs it; elsewhere the test skips).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { systemClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { clients, users } from '../helpers/fixture.js';
import { listenOnLoopback } from '../helpers/socket-request.js';
import { startFakeApp, tourPages } from './page-tour.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

function unavailable(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true') throw new Error(`no Chromium at ${CHROMIUM}; CI must run the browser test (.ci/run installs it)`);
  return `no Chromium at ${CHROMIUM}`;
}
const skip = unavailable();

const SCHEMES = ['light', 'dark'] as const;
const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

let t: TestApp;
let origin: string;
let browser: Browser;
let axeSource: string;
let fakeApp: Awaited<ReturnType<typeof startFakeApp>>;

before(async () => {
  if (skip) return;
  t = await startTestApp({ clock: systemClock as never });
  origin = `http://127.0.0.1:${await listenOnLoopback(t)}`;
  fakeApp = await startFakeApp();
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

after(async () => {
  await browser?.close();
  await fakeApp?.close();
  await t?.close();
});

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
}

async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = (await page.evaluate(() => (window as unknown as { axe: { run: (context: Document) => Promise<unknown> } }).axe.run(document))) as AxeResult;
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id} (${violation.help}) at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** Every focusable control whose focus ring is missing, thinner than 2 px, or under 3:1 against the page and the box it sits in. */
function weakFocusRings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const channels = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = (color: string) => {
      const [r = 0, g = 0, b = 0] = channels(color).map((value) => value / 255);
      const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    const ratio = (a: string, b: string) => {
      const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (light + 0.05) / (dark + 0.05);
    };
    const opaque = (color: string) => color !== 'transparent' && (channels(color)[3] ?? 1) > 0;
    const backgroundAround = (element: Element) => {
      for (let at = element.parentElement; at; at = at.parentElement) {
        const color = getComputedStyle(at).backgroundColor;
        if (opaque(color)) return color;
      }
      return getComputedStyle(document.documentElement).backgroundColor;
    };
    const page = getComputedStyle(document.body).backgroundColor;
    const weak: string[] = [];
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), summary, [tabindex]'))) {
      if (element.getClientRects().length === 0) continue;
      element.focus();
      if (document.activeElement !== element) continue;
      const style = getComputedStyle(element);
      const name = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} "${(element.textContent ?? '').trim().slice(0, 30)}"`;
      if (style.outlineStyle === 'none' || Number.parseFloat(style.outlineWidth) < 2) {
        weak.push(`${name}: no focus outline`);
        continue;
      }
      const worst = Math.min(ratio(style.outlineColor, page), ratio(style.outlineColor, backgroundAround(element)));
      if (worst < 3) weak.push(`${name}: focus outline ${style.outlineColor} at ${worst.toFixed(2)}:1`);
    }
    (document.activeElement as HTMLElement | null)?.blur();
    return weak;
  });
}

for (const colorScheme of SCHEMES) {
  for (const viewport of SIZES) {
    test(`every page in the ${colorScheme} scheme at ${viewport.width}×${viewport.height}: axe, no sideways scroll, focus rings of 3:1`, {
      skip,
      timeout: 180_000,
    }, async () => {
      const context = await browser.newContext({ colorScheme, viewport });
      const page = await context.newPage();
      const csp: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) csp.push(message.text());
      });
      const problems: string[] = [];
      const visited: string[] = [];
      try {
        await tourPages(t, origin, fakeApp.origin, page, async (name) => {
          visited.push(name);
          for (const violation of await axeViolations(page)) problems.push(`${name}: ${violation}`);
          const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
          if ((widths[0] ?? 0) > (widths[1] ?? 0)) problems.push(`${name}: scrolls sideways (${widths[0]} px wide in ${widths[1]} px)`);
          for (const weak of await weakFocusRings(page)) problems.push(`${name}: ${weak}`);
        });
      } finally {
        await context.close();
      }
      assert.equal(visited.length, 18, visited.join(', '));
      assert.deepEqual(problems, []);
      assert.deepEqual(csp, [], 'nothing the CSP blocked');
    });
  }
}

test('the script: show password, Caps Lock hint, "Not you?", local and relative times', { skip, timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/login`);
    const password = page.locator('#password');
    const show = page.getByRole('button', { name: 'Show password' });
    assert.equal(await show.getAttribute('aria-pressed'), 'false');
    await show.click();
    assert.equal(await password.getAttribute('type'), 'text');
    assert.equal(await show.getAttribute('aria-pressed'), 'true');
    await show.click();
    assert.equal(await password.getAttribute('type'), 'password');

    const hint = page.locator('#caps-hint');
    assert.equal(await hint.isVisible(), false);
    const capsLock = (on: boolean) =>
      password.evaluate((input, on) => input.dispatchEvent(new KeyboardEvent('keyup', { key: 'a', modifierCapsLock: on } as KeyboardEventInit)), on);
    await capsLock(true);
    assert.equal(await hint.textContent(), 'Caps Lock is on.');
    assert.equal(await hint.isVisible(), true);
    await capsLock(false);
    assert.equal(await hint.isVisible(), false);

    // Signed in once, this browser remembers the person: the email is filled in, with "Not you?".
    await t.token(clients.passwordApp, users.alice);
    await page.fill('#org', 'acme');
    await page.fill('#email', users.alice.email);
    await page.fill('#password', users.alice.password);
    await Promise.all([page.waitForURL(`${origin}/account`), page.click('button[type=submit]')]);
    const signedIn = page.locator('time[data-relative]').first();
    assert.match((await signedIn.textContent()) ?? '', /^(now|just now|\d+ (second|minute)s? ago|in less than a minute)$/, 'relative');
    assert.doesNotMatch((await signedIn.getAttribute('title')) ?? '', /UTC$/, 'the exact time, local');
    await page.goto(`${origin}/logout`);
    await page.goto(`${origin}/login`);
    assert.equal(await page.inputValue('#email'), users.alice.email);
    assert.equal(await page.inputValue('#org'), 'Acme');
    await page.getByRole('link', { name: 'Not you? Use another email' }).click();
    assert.equal(await page.inputValue('#email'), '');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'email');
  } finally {
    await context.close();
  }
});
