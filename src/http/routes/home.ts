/** `GET /`: a small page saying what this server is, with the headers of every page (send-page.ts). */
import type { FastifyInstance } from 'fastify';
import { homePage } from '../pages/home-page.js';
import { sendPage } from '../pages/send-page.js';

export function homeRoutes(app: FastifyInstance): void {
  app.get(
    '/',
    { schema: { operationId: 'getHome', summary: 'The home page: what this server is, and links on', tags: ['Sign-in'] } },
    async (_request, reply) => sendPage(reply, 200, homePage()),
  );
}
