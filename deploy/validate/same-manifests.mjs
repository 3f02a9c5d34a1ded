// Compares two multi-document YAML manifests as data: key order (which the generator does not keep stable from
// build to build) does not matter, values do. Exit 1 and print the first difference when they differ.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const canonical = (value) => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
  }
  return value;
};
// The Knative generator writes `port: null` in probes; deploy/ carries the container port (see deploy/sync.sh).
const normalise = (text) => text.replace(/^(\s*)port: null$/gm, '$1port: 8080');
const load = (file) => parseAllDocuments(normalise(readFileSync(file, 'utf8')))
  .map((doc) => JSON.stringify(canonical(doc.toJS()), null, 1));

const [committed, generated] = process.argv.slice(2).map(load);
if (committed.length !== generated.length) {
  console.log(`${process.argv[2]}: ${committed.length} documents, generated: ${generated.length}`);
  process.exit(1);
}
for (let i = 0; i < committed.length; i++) {
  if (committed[i] !== generated[i]) {
    const a = committed[i].split('\n');
    const b = generated[i].split('\n');
    const line = a.findIndex((l, j) => l !== b[j]);
    console.log(`document ${i + 1} differs near: committed "${a[line]}" / generated "${b[line]}"`);
    process.exit(1);
  }
}
