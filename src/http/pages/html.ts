/**
 * Server-rendered HTML without a framework: a tagged template that escapes every value unless it
 * is already {@link Html}, so markup can only come from this code, never from a request.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let text = strings[0] ?? '';
  values.forEach((value, i) => {
    text += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(text);
}

/**
 * The page around every screen: one stylesheet and one deferred script, both from our origin,
 * nothing inline (the CSP forbids it). The header's "tokend" leads home, never to an app.
 */
export function layout(title: string, body: Html, options: { narrow?: boolean } = {}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · tokend</title>
<link rel="stylesheet" href="/assets/tokend.css">
<script src="/assets/tokend.js" defer></script>
</head>
<body${options.narrow ? html` class="narrow"` : ''}>
<header class="site"><a href="/">tokend</a></header>
<main>
${body}
</main>
</body>
</html>
`.text;
}
