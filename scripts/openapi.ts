/** `npm run openapi`: regenerates docs/openapi.yaml from the route declarations (src/http/routes). */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApi, toYaml } from '../src/http/openapi';
import { allRoutes } from '../src/http/routes';

const file = resolve(__dirname, '..', 'docs', 'openapi.yaml');
const version = (JSON.parse(readFileSync(resolve(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
const text = toYaml(buildOpenApi(allRoutes, { version }));
let before = '';
try {
  before = readFileSync(file, 'utf8');
} catch {
  /* first run */
}
writeFileSync(file, text);
console.log(`${before === text ? 'unchanged' : 'wrote'} ${file} (${allRoutes.length} operations)`);
