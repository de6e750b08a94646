/**
 * Preloaded into a `tokend serve` under test (`node --import`): SIGUSR2 makes it throw an
 * exception nothing catches, as a bug would, so a test can see what tokend does then. Test code
 * only: tokend itself has no way to be told to crash.
 */
process.on('SIGUSR2', () => {
  setImmediate(() => {
    throw new Error('an uncaught exception the test asked for');
  });
});
