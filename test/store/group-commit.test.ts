/**
 * Group commit (src/store/sql/group-commit.ts): which statements go together, in what order
 * the callers are answered, and that one failing row does not fail the others. The commit
 * functions here are plain functions that record what they are given and resolve when told:
 * they stand for a store's driver, so that the batches can be seen exactly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommit } from '../../src/store/sql/group-commit.js';
import type { Statement } from '../../src/store/sql/sql-driver.js';

const statement = (n: number): Statement => [`INSERT ${n}`, [n]];
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Whether the stand-in store writes statement n's row: all but multiples of 3 (a conditional insert that found its condition false). */
const writes = (n: number) => n % 3 !== 0;

/** Commit functions that record each batch and hold it until `finish()` is called. */
function recorder() {
  const batches: number[][] = [];
  const finishers: Array<() => void> = [];
  return {
    batches,
    commitMany: (statements: readonly Statement[]) =>
      new Promise<boolean[]>((resolve) => {
        const numbers = statements.map(([, params]) => params[0] as number);
        batches.push(numbers);
        finishers.push(() => resolve(numbers.map(writes)));
      }),
    runOne: ([, params]: Statement) =>
      new Promise<boolean>((resolve) => {
        batches.push([params[0] as number]);
        finishers.push(() => resolve(writes(params[0] as number)));
      }),
    /** Ends the oldest commit under way. */
    finish: () => finishers.shift()?.(),
  };
}

test('statements of one turn are committed together, and each caller is answered once its batch is committed, with whether its row was written', async () => {
  const db = recorder();
  const group = new GroupCommit(db.commitMany, db.runOne);
  const answered: number[] = [];
  const runs = [1, 2, 3].map((n) =>
    group.run(statement(n)).then((written) => {
      answered.push(n);
      return written;
    }),
  );
  await turn();
  assert.deepEqual(db.batches, [[1, 2, 3]]);
  assert.deepEqual(answered, [], 'nothing answered before the commit ends');
  db.finish();
  assert.deepEqual(await Promise.all(runs), [true, true, false]);
  assert.deepEqual(answered, [1, 2, 3]);
  const alone = group.run(statement(6));
  await turn();
  db.finish();
  assert.equal(await alone, false, 'one statement alone is a batch of one');
});

test('without a limit, each turn commits at once even while an earlier commit is under way', async () => {
  const db = recorder();
  const group = new GroupCommit(db.commitMany, db.runOne);
  const first = [group.run(statement(1)), group.run(statement(2))];
  await turn();
  const second = [group.run(statement(3)), group.run(statement(4))];
  await turn();
  assert.deepEqual(db.batches, [
    [1, 2],
    [3, 4],
  ]);
  db.finish();
  db.finish();
  await Promise.all([...first, ...second]);
});

test('with one commit under way at most, what arrives meanwhile waits and goes as one batch when it ends', async () => {
  const db = recorder();
  const group = new GroupCommit(db.commitMany, db.runOne, { maxInFlight: 1 });
  const answered: number[] = [];
  const run = (n: number) => group.run(statement(n)).then(() => answered.push(n));
  const runs = [run(1), run(2)];
  await turn();
  runs.push(run(3), run(4));
  await turn();
  runs.push(run(5));
  await turn();
  assert.deepEqual(db.batches, [[1, 2]], 'the later ones wait for the commit under way');
  db.finish();
  await turn();
  assert.deepEqual(db.batches, [
    [1, 2],
    [3, 4, 5],
  ]);
  assert.deepEqual(answered, [1, 2], 'answered only once committed');
  db.finish();
  await Promise.all(runs);
  assert.deepEqual(answered, [1, 2, 3, 4, 5]);
});

test('flush commits what waits at once, whatever is under way (a store closing)', async () => {
  const db = recorder();
  const group = new GroupCommit(db.commitMany, db.runOne, { maxInFlight: 1 });
  const runs = [group.run(statement(1)), group.run(statement(2))];
  await turn();
  runs.push(group.run(statement(3)), group.run(statement(4)));
  const flushed = group.flush();
  assert.deepEqual(db.batches, [
    [1, 2],
    [3, 4],
  ]);
  db.finish();
  db.finish();
  await flushed;
  await Promise.all(runs);
});

test('batches are cut at maxBatch', async () => {
  const db = recorder();
  const group = new GroupCommit(db.commitMany, db.runOne, { maxBatch: 2 });
  const runs = [1, 2, 3, 4, 5].map((n) => group.run(statement(n)));
  await turn();
  assert.deepEqual(db.batches, [[1, 2], [3, 4], [5]]);
  for (let i = 0; i < 3; i++) db.finish();
  await Promise.all(runs);
});

test('a batch that fails is run again one statement at a time: only the failing caller gets the error', async () => {
  const committed: number[] = [];
  const group = new GroupCommit(
    async () => {
      throw new Error('one row is bad');
    },
    async ([, params]) => {
      if (params[0] === 2) throw new Error('row 2 is bad');
      committed.push(params[0] as number);
      return writes(params[0] as number);
    },
    { maxInFlight: 1 },
  );
  const results = await Promise.allSettled([1, 2, 3].map((n) => group.run(statement(n))));
  assert.deepEqual(
    results.map((r) => (r.status === 'fulfilled' ? r.value : r.status)),
    [true, 'rejected', false],
  );
  assert.equal((results[1] as PromiseRejectedResult).reason.message, 'row 2 is bad');
  assert.deepEqual(committed, [1, 3]);
  // The limit is released after a failure: the next statement is committed.
  await group.run(statement(4));
  assert.deepEqual(committed, [1, 3, 4]);
});
