/** Reading tokend's `/metrics`: the Prometheus text format as a map of series to values. */
import assert from 'node:assert/strict';
import type { TestApp } from './app.js';

/** Series name with its labels as sent (`name{a="b",c="d"}`), to its value. */
export type Scrape = Map<string, number>;

export function parseScrape(text: string): Scrape {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    series.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return series;
}

/** Scrapes the app in process, as a loopback caller. */
export async function scrape(t: TestApp): Promise<Scrape> {
  const response = await t.inject({ method: 'GET', url: '/metrics' });
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(response.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  return parseScrape(response.body);
}

/** The series of one metric: its label sets (as sent) to their values. */
export function seriesOf(scraped: Scrape, name: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [key, value] of scraped) {
    const brace = key.indexOf('{');
    const base = brace === -1 ? key : key.slice(0, brace);
    if (base === name) found[brace === -1 ? '' : key.slice(brace)] = value;
  }
  return found;
}
