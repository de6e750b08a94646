/**
 * The baseline: a bare node:http server that answers from memory, with the same status and
 * body bytes tokend gave for each route. Run as its own process:
 * `node baseline.mjs PORT ROUTES_JSON` where ROUTES_JSON maps "METHOD /path" to
 * `{status, body}`. It checks nothing and stores nothing: it is the ceiling of what a Node
 * HTTP server can do on this machine under the same load generator.
 */
import { createServer } from 'node:http';

const [port, routesJson] = process.argv.slice(2);
const routes = new Map(
  Object.entries(JSON.parse(routesJson)).map(([key, { status, body }]) => {
    const bytes = Buffer.from(body);
    return [key, { status, bytes, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length } }];
  }),
);
const notFound = { status: 404, bytes: Buffer.alloc(0), headers: { 'content-length': 0 } };

const server = createServer((req, res) => {
  const path = req.url.indexOf('?') === -1 ? req.url : req.url.slice(0, req.url.indexOf('?'));
  const route = routes.get(`${req.method} ${path}`) ?? notFound;
  const answer = () => {
    res.writeHead(route.status, route.headers);
    res.end(req.method === 'HEAD' ? undefined : route.bytes);
  };
  // A request with a body is answered once it is read, as any real server must.
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    answer();
  } else {
    req.on('end', answer).resume();
  }
});
server.keepAliveTimeout = 30_000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
