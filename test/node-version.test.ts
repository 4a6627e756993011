// Node.js versions: package.json's `engines` is the tested range, and the releases known to crash mteja are named.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { nodeVersionWarning, SUPPORTED_NODE } from '../src/cli/node-version.js';

const read = (file: string) => readFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), 'utf8');

describe('Node.js versions', () => {
  it("package.json's engines and the lockfile's are the tested range", () => {
    assert.equal(JSON.parse(read('package.json')).engines.node, SUPPORTED_NODE);
    assert.equal(JSON.parse(read('package-lock.json')).packages[''].engines.node, SUPPORTED_NODE);
  });

  it('.ci/node-versions runs every major of the range but the machine’s own', () => {
    const majors = SUPPORTED_NODE.split('||').map((part) => Number(/\^(\d+)\./.exec(part)![1]));
    const ci = /majors=\(([\d ]+)\)/.exec(read('.ci/node-versions'))![1].split(' ').map(Number);
    assert.deepEqual(ci, majors.slice(1));
    assert.match(read('.ci/run'), /\.ci\/node-versions/);
  });

  it('warns on Node 24.19 to 24.21 and nothing else', () => {
    for (const version of ['v24.19.0', 'v24.20.1', 'v24.21.0']) assert.match(nodeVersionWarning(version)!, /24\.22/);
    for (const version of ['v20.20.2', 'v22.23.5', 'v24.18.0', 'v24.22.0', 'v24.22.3', 'v26.12.1'])
      assert.equal(nodeVersionWarning(version), undefined, version);
  });
});
