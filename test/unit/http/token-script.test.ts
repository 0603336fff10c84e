import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { verifyLocalToken } from '../../../src/http/auth';
import { main } from '../../../scripts/token';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');

describe('npm run token', () => {
  it('prints a token the API accepts, with the groups, subject and username asked for', async () => {
    const token = await main(['--group', 'customer', '--sub', 'c-1', '--username', 'CUST-0007']);
    const claims = await verifyLocalToken(token);
    expect(claims).toMatchObject({ sub: 'c-1', username: 'CUST-0007', 'cognito:groups': ['customer'], token_use: 'access' });
    expect(claims.exp! - claims.iat!).toBe(1800);
  });

  it('refuses an unknown group or a missing --sub', async () => {
    await expect(main(['--group', 'root', '--sub', 'x'])).rejects.toThrow('unknown group root');
    await expect(main(['--group', 'admin'])).rejects.toThrow('usage:');
  });

  it('as a command: the token on stdout, verifiable', async () => {
    const { stdout } = await run('npm', ['run', '-s', 'token', '--', '--group', 'admin', '--group', 'agent', '--sub', 'ops-1'], { cwd: ROOT });
    const claims = await verifyLocalToken(stdout.trim());
    expect(claims).toMatchObject({ sub: 'ops-1', 'cognito:groups': ['admin', 'agent'] });
  });
});
