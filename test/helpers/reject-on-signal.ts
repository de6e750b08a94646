/**
 * Preloaded into a `tokend serve` under test (`node --import`): SIGUSR2 makes it reject a promise
 * nobody handles, as a bug would, so a test can see what tokend does then. Test code only.
 */
process.on('SIGUSR2', () => {
  void Promise.reject(new Error('a rejection the test asked for'));
});
