// The resolve hook of record-packages.mjs (module hooks run on their own thread): appends the package
// name of every resolved node_modules URL to the file given at registration.
import { appendFileSync } from 'node:fs';

let out = '';

export function initialize(file) {
  out = file;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(resolved.url);
  if (match !== null && out !== '') appendFileSync(out, `${match[1]}\n`);
  return resolved;
}
