/** `tokend --version`: the version of the package this command line was built from. */
import { readFileSync } from 'node:fs';

// From dist/src/cli/ up to the package root, as demo.ts finds seed/demo.json.
const PACKAGE_JSON = new URL('../../../package.json', import.meta.url);

export function packageVersion(): string {
  return (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
}
