// A broker password never reaches a message: redaction is textual (everything between `//` and the
// last `@`, and secret query values), so a password the URL parser refuses is hidden too.
import '../../setup.js';
import fc from 'fast-check';
import { anyText } from '../../any-text.js';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { parseBrokerUrl, redactUrls } from '../../../src/live/broker-url.js';
import { acksimInProcess } from '../../cli/in-process.js';

/** Passwords of any characters, marked so they cannot match the rest of the line by chance. */
const password = anyText({ minLength: 1, maxLength: 24 }).map((s) => `Zq${s}Qz`);

/** Where a password can appear in a line. */
const lines = (pw: string) => [
  `redis://u:${pw}@127.0.0.1:6379`,
  `--broker "rabbitmq://guest:${pw}@10.1.2.3:5672/vhost": not a loopback address`,
  `amqp://a:b@h and redis://me:${pw}@h:1/0 and redis://h:2`,
  `redis://${pw}@h`,
];

describe('broker URL redaction', () => {
  it('hides any password in userinfo, whether or not the URL parses, and keeps the user and host', () => {
    fc.assert(
      fc.property(password, (pw) => {
        for (const line of lines(pw))
          expect({ line, shown: redactUrls(line).includes(pw) }).toEqual({ line, shown: false });
        const parsed = parseBrokerUrl(`redis://u:${pw}@10.1.2.3:6379`, false);
        expect((typeof parsed === 'string' ? parsed : parsed.shown).includes(pw)).toBe(false);
      }),
      { numRuns: 500 },
    );
    expect(redactUrls('--broker "redis://u:s3cret PW@127.0.0.1:16399": not a URL')).toBe(
      '--broker "redis://u:***@127.0.0.1:16399": not a URL',
    );
  });

  it('hides the values of secret query parameters', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('password', 'token', 'secret', 'key', 'access_token', 'apikey'),
        fc.stringMatching(/^[A-Za-z0-9%+._~-]{1,20}$/).map((s) => `Zq${s}Qz`),
        (name, secret) => {
          const line = `--broker "redis://127.0.0.1:6379/0?db=1&${name}=${secret}&x=2": cannot connect`;
          const shown = redactUrls(line);
          expect(shown).not.toContain(secret);
          expect(shown).toBe(`--broker "redis://127.0.0.1:6379/0?db=1&${name}=***&x=2": cannot connect`);
        },
      ),
    );
  });

  it('no line acksim live prints carries the password, for any password', async () => {
    await fc.assert(
      fc.asyncProperty(password, async (pw) => {
        // A remote host is refused before any connection; a broken URL is refused as not a URL.
        for (const url of [
          `redis://u:${pw}@10.1.2.3:6379`,
          `rabbitmq://u:${pw}@10.1.2.3`,
          `redis://u:${pw}@127.0.0.1:bad`,
        ]) {
          const r = await acksimInProcess(['live', 'lost-acks', '--broker', url], process.cwd());
          expect(r.status).toBe(2);
          expect(`${r.stdout}${r.stderr}`.includes(pw)).toBe(false);
        }
      }),
      { numRuns: 40 },
    );
  });
});
