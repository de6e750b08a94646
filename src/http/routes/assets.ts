/** The sign-in and account pages' one stylesheet, served from our origin so the CSP needs no 'unsafe-inline'. */
import type { FastifyInstance } from 'fastify';

const CSS = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0; padding: 2rem 1rem; background: Canvas; color: CanvasText; }
main { max-width: 46rem; margin: 0 auto; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
form { display: grid; gap: .4rem; margin: 1rem 0; max-width: 22rem; }
td form { margin: 0; display: inline; }
label { font-weight: 600; margin-top: .4rem; }
input { font: inherit; padding: .5rem; border: 1px solid GrayText; border-radius: .3rem; }
input:focus, button:focus, a:focus { outline: 3px solid Highlight; outline-offset: 2px; }
button { font: inherit; padding: .5rem 1rem; border-radius: .3rem; border: 1px solid ButtonBorder; background: ButtonFace; color: ButtonText; cursor: pointer; }
button[type=submit]:not(.danger) { margin-top: .6rem; }
.danger { border-color: #b00020; color: #b00020; }
.decision { display: flex; flex-wrap: wrap; gap: .6rem; max-width: none; }
.secondary { background: Canvas; color: CanvasText; }
.scopes { padding-left: 1.2rem; }
.scopes li { margin: .3rem 0; }
code { font-size: .95em; }
.error { color: #b00020; font-weight: 600; }
.notice { font-weight: 600; }
.context, .hint, .none, .app-description { color: GrayText; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: 600; padding-bottom: .4rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid GrayText; font-size: .9rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

export function assetRoutes(app: FastifyInstance): void {
  app.get('/assets/tokend.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.headers({ 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' }).send(CSS),
  );
}
