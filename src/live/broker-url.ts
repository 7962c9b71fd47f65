// The broker `acksim live` may touch: a URL the user named, on loopback unless --allow-remote. Its
// password never reaches a message, a report or a log: `shown` is the URL with the password as ***.

/** A parsed broker address. */
export interface BrokerAddress {
  kind: 'redis' | 'rabbitmq';
  host: string;
  port: number;
  /** The URL as given, with its credentials: for the client only. */
  url: string;
  /** The URL with its password redacted: for every message, report and log. */
  shown: string;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

/** The userinfo of a URL-like text: `scheme://user:password@`, the password captured. */
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^/?#@:\s]*:)([^/?#\s]*)@/gi;

/** `text` with the password of every URL in it replaced by `***` (rabbitmq://guest:***@127.0.0.1:5672). */
export function redactUrls(text: string): string {
  return text.replace(USERINFO, (_, before: string, password: string) => (password === '' ? `${before}@` : `${before}***@`));
}

/** Parses `redis://host:port` or `rabbitmq://host:port`; returns the address or a one-line problem. */
export function parseBrokerUrl(text: string, allowRemote: boolean): BrokerAddress | string {
  const shown = redactUrls(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `--broker "${shown}": not a URL (allowed: redis://127.0.0.1:6379 or rabbitmq://127.0.0.1:5672)`;
  }
  const kind = url.protocol === 'redis:' ? 'redis' : url.protocol === 'rabbitmq:' || url.protocol === 'amqp:' ? 'rabbitmq' : undefined;
  if (kind === undefined) return `--broker "${shown}": unknown scheme "${url.protocol}" (allowed: redis://, rabbitmq://)`;
  const host = url.hostname;
  if (!LOOPBACK.test(host) && !allowRemote) {
    return `--broker "${shown}": ${host} is not a loopback address; acksim live only touches a remote broker with --allow-remote`;
  }
  const port = url.port === '' ? (kind === 'redis' ? 6379 : 5672) : Number(url.port);
  return { kind, host: host.replace(/^\[|\]$/g, ''), port, url: text, shown };
}
