/**
 * Every wrong setting stops start-up with a message naming the setting (the flag when one was
 * given) and the values it accepts; a database URL's password is never shown (issue 15).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configFromEnvironment, DEFAULTS } from '../../src/config.js';
import { checkDatabaseSetting, describeStore, redactUrl } from '../../src/store/database-location.js';

const refusal = (env: NodeJS.ProcessEnv, flags: Record<string, string> = {}) => {
  try {
    configFromEnvironment(env, flags);
  } catch (error) {
    return (error as Error).message;
  }
  return assert.fail('accepted');
};

test("the log level is one of pino's, named with the accepted values", () => {
  for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
    assert.deepEqual(configFromEnvironment({ TOKEND_LOG_LEVEL: level }).logger, { level });
  }
  assert.deepEqual(configFromEnvironment({}).logger, { level: 'info' });
  assert.equal(
    refusal({ TOKEND_LOG_LEVEL: 'verbose' }),
    'TOKEND_LOG_LEVEL=verbose is not valid: expected one of fatal, error, warn, info, debug, trace, silent',
  );
  assert.equal(refusal({ TOKEND_LOG_LEVEL: 'INFO' }), 'TOKEND_LOG_LEVEL=INFO is not valid: expected one of fatal, error, warn, info, debug, trace, silent');
  assert.equal(refusal({}, { 'log-level': 'loud' }), '--log-level=loud is not valid: expected one of fatal, error, warn, info, debug, trace, silent');
});

test('HOST is an IP address or a hostname', () => {
  const host = (value: string) => configFromEnvironment({ HOST: value }).host;
  assert.equal(configFromEnvironment({}).host, DEFAULTS.host);
  for (const value of ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost', 'tokend.internal', 'node-1.example.com', 'tokend_1']) assert.equal(host(value), value);
  assert.equal(host('[::1]'), '::1', 'a bracketed IPv6 address is listened on without its brackets');
  const expected = 'is not valid: expected an IP address (127.0.0.1, 0.0.0.0, ::1, ::) or a hostname (localhost)';
  for (const value of ['http://0.0.0.0', '127.0.0.1:8080', 'tokend.example:80', '-leading.example', 'a..b', 'a b', '256.0.0.1', '10.0.0']) {
    assert.equal(refusal({ HOST: value }), `HOST=${value} ${expected}`);
  }
  assert.equal(refusal({}, { host: 'x:1' }), `--host=x:1 ${expected}`);
});

test('PORT and the limits name the setting and their range; a flag is named as typed', () => {
  assert.equal(refusal({ PORT: '65536' }), 'PORT=65536 is not valid: expected a whole number from 0 to 65535');
  assert.equal(refusal({}, { port: '-1' }), '--port=-1 is not valid: expected a whole number from 0 to 65535');
  assert.equal(refusal({ TOKEND_RATE_LIMIT: '0' }), 'TOKEND_RATE_LIMIT=0 is not valid: expected a whole number from 1 to 1000000000');
  assert.equal(refusal({ TOKEND_BODY_LIMIT: '1k' }), 'TOKEND_BODY_LIMIT=1k is not valid: expected a whole number from 1024 to 16777216');
  assert.equal(refusal({ TOKEND_TOKEN_CACHE_SIZE: '1.5' }), 'TOKEND_TOKEN_CACHE_SIZE=1.5 is not valid: expected a whole number from 1 to 100000000');
  assert.equal(refusal({ TOKEND_RATE_LIMIT: '1e3' }), 'TOKEND_RATE_LIMIT=1e3 is not valid: expected a whole number from 1 to 1000000000');
  assert.equal(refusal({ PORT: ' 8080' }), 'PORT= 8080 is not valid: expected a whole number from 0 to 65535');
  assert.equal(refusal({ TOKEND_RATE_LIMIT: '0x10' }), 'TOKEND_RATE_LIMIT=0x10 is not valid: expected a whole number from 1 to 1000000000');
  assert.equal(refusal({ TOKEND_PG_POOL_MAX: 'many' }), 'TOKEND_PG_POOL_MAX=many is not valid: expected a whole number from 1 to 1000');
});

test('the database is a file path or a postgres:// or postgresql:// URL; a typo is refused, not made a SQLite file', () => {
  const database = (value: string) => configFromEnvironment({ TOKEND_DATABASE: value }).database;
  for (const value of [
    './data/tokend.db',
    '/var/lib/tokend/tokend.db',
    'tokend.db',
    ':memory:',
    'postgres://tokend@db/tokend',
    'postgresql://tokend:pw@db:5432/tokend',
    'postgres:///tokend?host=/run/postgresql',
  ]) {
    assert.equal(database(value), value);
  }
  assert.equal(database(''), DEFAULTS.database, 'empty is unset');
  const expected = 'is not valid: expected a file path (a SQLite store) or a postgres:// or postgresql:// URL';
  assert.equal(
    refusal({ TOKEND_DATABASE: 'postgress://tokend:s3cret@db/tokend' }),
    `TOKEND_DATABASE=postgress://tokend:***@db/tokend ${expected} - did you mean postgres://?`,
  );
  assert.equal(refusal({ TOKEND_DATABASE: 'mysql://root@db/tokend' }), `TOKEND_DATABASE=mysql://root@db/tokend ${expected}`);
  assert.equal(refusal({ TOKEND_DATABASE: 'sqlite:///var/lib/tokend.db' }), `TOKEND_DATABASE=sqlite:///var/lib/tokend.db ${expected}`);
  assert.equal(refusal({ TOKEND_DATABASE: 'file:tokend.db' }), `TOKEND_DATABASE=file:tokend.db ${expected}`);
  // The slashes forgotten: no URL and no file path either, and what stands before '@' may be a password alone.
  assert.equal(
    refusal({ TOKEND_DATABASE: 'postgres:pw123secret@127.0.0.1/x' }),
    `TOKEND_DATABASE=postgres:***@127.0.0.1/x ${expected} - did you mean postgres://?`,
  );
  assert.equal(refusal({ TOKEND_DATABASE: 'postgresql:/u:pw@db/x' }), `TOKEND_DATABASE=postgresql:***@db/x ${expected} - did you mean postgresql://?`);
  assert.equal(refusal({}, { database: 'postgre://u:pw@db/x' }), `--database=postgre://u:***@db/x ${expected} - did you mean postgres://?`);
  assert.equal(
    refusal({ TOKEND_DATABASE: 'postgres://u:pw@[db/x' }),
    'TOKEND_DATABASE=postgres://u:***@[db/x is not valid: expected a URL such as postgres://user:password@host:5432/database',
  );
  assert.throws(() => checkDatabaseSetting('database', 'postgress://x/y'), /^Error: database=postgress:\/\/x\/y is not valid/);
});

test("a misspelt TOKEND_ variable is refused naming the setting meant; other programs' variables are left alone", () => {
  const why = '(a misspelt setting would be ignored)';
  assert.equal(refusal({ TOKEND_DATABSE: '/srv/tokend.db' }), `TOKEND_DATABSE is not a setting of tokend: did you mean TOKEND_DATABASE? ${why}`);
  assert.equal(refusal({ TOKEN_DATABASE: '/srv/tokend.db' }), `TOKEN_DATABASE is not a setting of tokend: did you mean TOKEND_DATABASE? ${why}`);
  assert.equal(refusal({ tokend_log_level: 'warn' }), `tokend_log_level is not a setting of tokend: did you mean TOKEND_LOG_LEVEL? ${why}`);
  assert.equal(refusal({ TOKEND_RATELIMIT: '10' }), `TOKEND_RATELIMIT is not a setting of tokend: did you mean TOKEND_RATE_LIMIT? ${why}`);
  assert.equal(refusal({ TOKEND_PORT: '80' }), `TOKEND_PORT is not a setting of tokend: did you mean PORT? ${why}`);
  for (const name of ['TOKEND_TEST_DATABASE', 'TOKEND_BENCH_DATABASE', 'TOKENIZERS_PARALLELISM', 'TOKEN', 'DATABASE_URL', 'TOKEND_URL']) {
    assert.doesNotThrow(() => configFromEnvironment({ [name]: 'x' }), name);
  }
});

test("a URL's password is hidden wherever it is written, and only the password", () => {
  assert.equal(redactUrl('postgres://tokend:s3cret@db:5432/tokend'), 'postgres://tokend:***@db:5432/tokend');
  assert.equal(redactUrl('postgres://tokend:p@ss:w/rd@db/tokend'), 'postgres://tokend:***@db/tokend', 'a password holding @, : and /');
  assert.equal(redactUrl('postgres://tokend@db/tokend?password=s3cret&sslmode=require'), 'postgres://tokend@db/tokend?password=***&sslmode=require');
  assert.equal(redactUrl('postgres://db/tokend'), 'postgres://db/tokend');
  assert.equal(redactUrl('./data/tokend.db'), './data/tokend.db');
  assert.equal(describeStore('postgresql://a:b@h/d'), 'PostgreSQL at postgresql://a:***@h/d');
  assert.equal(describeStore('/var/lib/tokend/tokend.db'), 'SQLite file /var/lib/tokend/tokend.db');
});

test('TOKEND_TEST_CONTROLS: 1 turns them on, 0 or unset leaves them off; anything else, a token without them or a short token is refused', () => {
  assert.equal(configFromEnvironment({}).testControls, undefined);
  assert.equal(configFromEnvironment({ TOKEND_TEST_CONTROLS: '0' }).testControls, undefined);
  assert.equal(configFromEnvironment({ TOKEND_TEST_CONTROLS: '1' }).testControls, true);
  const token = 'a-test-controls-token-0123456789';
  const on = configFromEnvironment({ TOKEND_TEST_CONTROLS: '1', TOKEND_TEST_CONTROLS_TOKEN: token });
  assert.equal(on.testControlsToken, token);
  assert.equal(refusal({ TOKEND_TEST_CONTROLS: 'yes' }), 'TOKEND_TEST_CONTROLS=yes is not valid: expected 1 (on) or 0 (off)');
  assert.equal(
    refusal({ TOKEND_TEST_CONTROLS_TOKEN: token }),
    'TOKEND_TEST_CONTROLS_TOKEN is set but TOKEND_TEST_CONTROLS is not 1: the test controls stay off (set both, or neither)',
  );
  const short = refusal({ TOKEND_TEST_CONTROLS: '1', TOKEND_TEST_CONTROLS_TOKEN: 'short' });
  assert.equal(short, 'TOKEND_TEST_CONTROLS_TOKEN is not valid: expected at least 16 characters and no spaces (its value is not shown)');
  assert.match(refusal({ TOKEND_TEST_CONTROL: '1' }), /^TOKEND_TEST_CONTROL is not a setting of tokend: did you mean TOKEND_TEST_CONTROLS\?/);
});
