/** src/store/timed-store.ts: asynchronous calls are timed by method name; members that answer at once are not, and go straight through after their first call. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreUnavailableError } from '../../src/core/errors.js';
import { timedStore } from '../../src/store/timed-store.js';

class FakeStore {
  version = 7;
  listeners: Array<() => void> = [];
  changeVersion(): number {
    return this.version;
  }
  watchSomething(listener: () => void): void {
    this.listeners.push(listener);
  }
  async findThing(id: string): Promise<string> {
    return `thing ${id} of ${this.version}`;
  }
  async failing(): Promise<never> {
    throw new StoreUnavailableError('down');
  }
}

test('timed: async methods by name, with refusals counted; sync members untimed and unwrapped after their first call', async () => {
  const observed: string[] = [];
  const unavailable: string[] = [];
  const store = new FakeStore();
  const timed = timedStore(store, { observe: (operation) => observed.push(operation), countUnavailable: (operation) => unavailable.push(operation) });
  assert.equal(timed.changeVersion(), 7);
  store.version = 8;
  assert.equal(timed.changeVersion(), 8, 'reads the store itself');
  timed.watchSomething(() => {});
  assert.equal(store.listeners.length, 1);
  assert.equal(await timed.findThing('a'), 'thing a of 8');
  await assert.rejects(timed.failing(), StoreUnavailableError);
  assert.deepEqual(observed, ['findThing', 'failing']);
  assert.deepEqual(unavailable, ['failing']);
  assert.equal(Object.getPrototypeOf(timed).changeVersion.name, 'bound changeVersion', 'called straight after the first answer');
});
