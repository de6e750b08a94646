/** A page that only tells the person something: an error that cannot go back to the app, or "signed out". */
import { html, layout } from './html.js';

export function messagePage(title: string, message: string, link?: { href: string; text: string }): string {
  return layout(
    title,
    html`<h1>${title}</h1>
<p role="${title === 'Signed out' ? 'status' : 'alert'}">${message}</p>
${link ? html`<p><a href="${link.href}">${link.text}</a></p>` : ''}`,
  );
}
