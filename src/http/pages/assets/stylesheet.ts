/**
 * The pages' one stylesheet. Colours are our own, not system colours (GrayText and Highlight fall
 * under 4.5:1 and 3:1 in some schemes): every text pair is at least 4.5:1 and the focus ring at
 * least 3:1 against the page in both schemes, checked by test/browser/pages-a11y.test.ts.
 */
export const STYLESHEET = `:root {
  color-scheme: light dark;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  line-height: 1.5;
  --bg: #ffffff; --surface: #f4f6f8; --text: #1b1f24; --muted: #4a5560; --border: #8a96a3;
  --accent: #0b57d0; --on-accent: #ffffff; --focus: #0b57d0; --error: #b3261e; --notice-bg: #e7f2ea; --notice: #1e5b2f;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121417; --surface: #1d2126; --text: #e8eaed; --muted: #b4bcc6; --border: #7c8794;
    --accent: #8ab4f8; --on-accent: #0b1a33; --focus: #8ab4f8; --error: #ff9b92; --notice-bg: #1b3324; --notice: #a8e0b8;
  }
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); overflow-wrap: anywhere; }
.site { max-width: 46rem; margin: 0 auto; padding: .75rem 1rem 0; }
.site a { font-weight: 700; color: var(--text); text-decoration: none; }
.site a:hover { text-decoration: underline; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
.narrow .site, .narrow main { max-width: 28rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
p { margin: .5rem 0; }
a { color: var(--accent); }
code { font-size: .95em; }
:focus-visible, input:focus, button:focus, a:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
[tabindex="-1"]:focus { outline: 3px solid var(--focus); outline-offset: 4px; }
form { display: grid; gap: .35rem; margin: 1rem 0; }
label { font-weight: 600; margin-top: .6rem; }
input[type=text], input[type=email], input[type=password] {
  font: inherit; color: var(--text); background: var(--bg); width: 100%;
  padding: .55rem .6rem; border: 1px solid var(--border); border-radius: .35rem;
}
input[aria-invalid=true] { border: 2px solid var(--error); }
.field-hint { color: var(--muted); font-size: .9rem; margin: 0; }
.password-row { display: flex; gap: .4rem; }
.password-row input { flex: 1; min-width: 0; }
button, .button {
  font: inherit; font-weight: 600; padding: .55rem 1.1rem; border-radius: .35rem; cursor: pointer;
  border: 1px solid var(--accent); background: var(--accent); color: var(--on-accent); text-decoration: none; display: inline-block;
}
button.secondary, .button.secondary { background: var(--bg); color: var(--text); border-color: var(--border); }
button.danger { background: var(--bg); color: var(--error); border-color: var(--error); }
button.small { padding: .3rem .8rem; font-size: .9rem; }
.actions { display: flex; flex-wrap: wrap; align-items: center; gap: .75rem; margin-top: 1rem; }
.actions form { margin: 0; }
.error { color: var(--error); font-weight: 600; border-left: 4px solid var(--error); padding-left: .6rem; }
[id] { scroll-margin-top: 1rem; }
.notice { color: var(--notice); background: var(--notice-bg); font-weight: 600; padding: .5rem .75rem; border-radius: .35rem; }
.context, .hint, .none, .app-description, .meta { color: var(--muted); }
.context strong { color: var(--text); }
.remembered { background: var(--surface); border-radius: .35rem; padding: .5rem .75rem; }
.scopes { list-style: none; padding: 0; margin: .75rem 0; }
.scopes li { background: var(--surface); border-radius: .35rem; padding: .5rem .75rem; margin: .4rem 0; }
.scopes code { color: var(--muted); display: block; font-size: .85rem; }
.cards { list-style: none; padding: 0; margin: .5rem 0; display: grid; gap: .6rem; }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: .5rem; padding: .75rem 1rem; }
.card-head { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .5rem; align-items: baseline; }
.card h3, .card .title { margin: 0; font-size: 1rem; font-weight: 700; }
.badge { display: inline-block; font-size: .8rem; font-weight: 700; padding: 0 .5rem; border-radius: 1rem; border: 1px solid var(--accent); color: var(--text); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .75rem; margin: .5rem 0; font-size: .95rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.card form { margin: .5rem 0 0; display: block; }
.links { padding-left: 1.2rem; }
.links li { margin: .3rem 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
[hidden] { display: none !important; }
`;
