// The Node.js releases mteja is tested on (package.json's `engines` says the same; test/node-version.test.ts checks),
// and a warning for those known to crash it.

/** Node 24.19 to 24.21 can abort when the garbage collector frees a better-sqlite3 statement (nodejs/node#65446). */
const BROKEN = { major: 24, from: 19, to: 21 };

/** The `engines` range of package.json: the majors CI runs (.ci/run on the machine's Node, .ci/node-versions the rest). */
export const SUPPORTED_NODE = '^20.19.0 || ^22.12.0 || ^24.22.0 || ^26.0.0';

/** A warning for a Node.js release mteja is known to fail on, or undefined. `version` as in process.version. */
export function nodeVersionWarning(version: string): string | undefined {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  if (major === BROKEN.major && minor >= BROKEN.from && minor <= BROKEN.to)
    return (
      `Node.js ${version} has a bug that can abort mteja at any moment (a native assertion in ` +
      'RemoveEnvironmentCleanupHook when a SQLite statement is garbage-collected, nodejs/node#65446). ' +
      'Upgrade to Node.js 24.22 or newer.'
    );
  return undefined;
}
