/** Restarting on the same SQLite file keeps issued tokens valid and revoked tokens revoked. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearer, startTestApp } from '../helpers/app.js';
import { clients, users } from '../helpers/fixture.js';

const status = async (t: Awaited<ReturnType<typeof startTestApp>>, token: string) =>
  (await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode;

test('tokens, revocations, the idle timeout and last use survive a restart', async () => {
  const first = await startTestApp();
  const dir = first.dir;
  const kept = await first.token(clients.admin);
  const loggedOut = await first.token(clients.admin);
  const bob = await first.token(clients.passwordApp, users.bob);
  await first.inject({ method: 'DELETE', url: '/api/v2/tokens/me', headers: bearer(loggedOut) });
  await first.inject({ method: 'DELETE', url: `/api/v2/tokens/${users.bob.id}`, headers: bearer(kept) });
  const put = await first.inject({
    method: 'PUT',
    url: '/api/v2/tokens/timeout',
    headers: { ...bearer(kept), 'content-type': 'application/json' },
    payload: { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 600 },
  });
  assert.equal(put.statusCode, 200);
  first.clock.advance(500_000);
  assert.equal(await status(first, kept), 200, 'used at t+500 s: idles at t+1100 s');
  await first.app.close();

  const second = await startTestApp({ dir, clock: first.clock });
  try {
    assert.equal(await status(second, kept), 200, 'still valid after the restart');
    assert.equal(await status(second, loggedOut), 401, 'still logged out');
    assert.equal(await status(second, bob), 401, 'still revoked');
    second.clock.advance(599_000);
    assert.equal(
      (await second.inject({ method: 'GET', url: '/api/v2/tokens/me?preserveIdleTTL=true', headers: bearer(kept) })).statusCode,
      200,
      'the last use before the restart was kept',
    );
    second.clock.advance(1_000);
    assert.equal(await status(second, kept), 401);
  } finally {
    await second.close();
  }
});
