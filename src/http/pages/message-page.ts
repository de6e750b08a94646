/**
 * A page that only tells the person something (an error that cannot go back to the app, or
 * "signed out"), in plain words and always with a way on: the links given, or tokend's home.
 */
import { html, layout } from './html.js';

export interface PageLink {
  href: string;
  text: string;
}

export interface MessageOptions {
  /** Ways on; tokend's home page when none is given. Never an app's address on an error about that app. */
  links?: readonly PageLink[];
  /** Good news ("signed out"): announced politely, not as an alert. */
  good?: boolean;
  /** Words for the developer of the app, folded away under the plain message. */
  details?: string;
}

const HOME: PageLink = { href: '/', text: "Go to tokend's home page" };

export function messagePage(title: string, message: string, options: MessageOptions = {}): string {
  const links = options.links ?? [HOME];
  return layout(
    title,
    html`<h1>${title}</h1>
<p role="${options.good ? 'status' : 'alert'}">${message}</p>
${options.details ? html`<details><summary>Details for the app's developer</summary><p><code>${options.details}</code></p></details>` : ''}
<ul class="links">${links.map((link) => html`<li><a href="${link.href}">${link.text}</a></li>`)}</ul>`,
    { narrow: true },
  );
}
