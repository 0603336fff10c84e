/**
 * `npm run token -- --group admin --sub <id> [--group agent] [--username CUST-1] [--expires 1800]`
 * prints a token from the local development issuer (keys under .local/auth/, made on first use),
 * for `sls offline` and the bench: curl -H "Authorization: Bearer $(npm run -s token -- --group admin --sub me)".
 */
import { parseArgs } from 'node:util';
import { GROUPS, type Group } from '../src/http/auth';
import { signLocalToken } from '../src/http/local-issuer';

const USAGE = 'usage: npm run token -- --group <admin|agent|customer> --sub <id> [--group …] [--username <name>] [--expires <seconds>]';

export async function main(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      group: { type: 'string', multiple: true },
      sub: { type: 'string' },
      username: { type: 'string' },
      expires: { type: 'string' },
    },
    strict: true,
  });
  const groups = values.group ?? [];
  const bad = groups.filter((g) => !GROUPS.includes(g as Group));
  if (!values.sub || groups.length === 0 || bad.length > 0) throw new Error(bad.length ? `unknown group ${bad.join(', ')}\n${USAGE}` : USAGE);
  const expiresIn = values.expires === undefined ? undefined : Number(values.expires);
  if (expiresIn !== undefined && !Number.isInteger(expiresIn)) throw new Error(`--expires must be whole seconds\n${USAGE}`);
  return signLocalToken({
    groups,
    sub: values.sub,
    ...(values.username ? { username: values.username } : {}),
    ...(expiresIn !== undefined ? { expiresIn } : {}),
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (token) => console.log(token),
    (e: Error) => {
      console.error(e.message);
      process.exit(2);
    },
  );
}
