// The broker `acksim live` may touch: a URL the user named, on loopback unless --allow-remote. Its
// password never reaches a message, a report or a log: `shown` is the URL with the password as ***.

/** A parsed broker address. */
/** The real brokers `acksim live` drives. */
export type BrokerKind = 'redis' | 'rabbitmq' | 'nats';

/** Each kind's schemes and default port. */
const KINDS: Record<BrokerKind, { schemes: readonly string[]; port: number }> = {
  redis: { schemes: ['redis:'], port: 6379 },
  rabbitmq: { schemes: ['rabbitmq:', 'amqp:'], port: 5672 },
  nats: { schemes: ['nats:'], port: 4222 },
};

export interface BrokerAddress {
  kind: BrokerKind;
  host: string;
  port: number;
  /** The URL as given, with its credentials: for the client only. */
  url: string;
  /** The URL with its password redacted: for every message, report and log. */
  shown: string;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

/** Where a URL starts in free text: its scheme and `//`. */
const SCHEME = /[a-z][a-z0-9+.-]*:\/\//gi;
/** Query parameters that carry secrets; their values become `***`. */
const SECRET_QUERY =
  /([?&;](?:password|passwd|pass|pwd|token|access_token|secret|key|apikey|api_key|auth)=)(?:[^&#\s"']|["'](?![:\s]|$))*/gi;

/**
 * One URL (from its scheme to where it ends) with its secrets as `***`: the userinfo is everything
 * between `//` and the last `@` (a password may hold spaces, `@`, `/` or anything a URL parser refuses),
 * the user before the first `:` kept; and the values of secret query parameters.
 */
function redactOne(url: string): string {
  const start = url.indexOf('//') + 2;
  const at = url.lastIndexOf('@');
  let redacted = url;
  if (at >= start) {
    const userinfo = url.slice(start, at);
    const colon = userinfo.indexOf(':');
    const shown = colon < 0 ? '***' : colon === userinfo.length - 1 ? userinfo : `${userinfo.slice(0, colon + 1)}***`;
    redacted = `${url.slice(0, start)}${shown}${url.slice(at)}`;
  }
  return redacted.replace(SECRET_QUERY, '$1***');
}

/**
 * `text` with the secrets of every URL in it replaced by `***` (rabbitmq://guest:***@127.0.0.1:5672),
 * whether or not the URL parses. In free text a URL runs to the next URL (a password may even hold a
 * line break): a password is never shown, at the cost of hiding a little more when an `@` follows.
 */
export function redactUrls(text: string): string {
  const starts = [...text.matchAll(SCHEME)].map((m) => m.index);
  if (starts.length === 0) return text;
  const pieces = [text.slice(0, starts[0])];
  starts.forEach((from, i) => pieces.push(redactOne(text.slice(from, starts[i + 1] ?? text.length))));
  return pieces.join('');
}

const ALLOWED = 'redis://127.0.0.1:6379, rabbitmq://127.0.0.1:5672 or nats://127.0.0.1:4222';

/** Parses `redis://`, `rabbitmq://` or `nats://host:port`; returns the address or a one-line problem. */
export function parseBrokerUrl(text: string, allowRemote: boolean): BrokerAddress | string {
  const shown = redactUrls(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `--broker "${shown}": not a URL (allowed: ${ALLOWED})`;
  }
  const kind = (Object.keys(KINDS) as BrokerKind[]).find((k) => KINDS[k].schemes.includes(url.protocol));
  if (kind === undefined)
    return `--broker "${shown}": unknown scheme "${url.protocol}" (allowed: redis://, rabbitmq://, nats://)`;
  const host = url.hostname;
  if (!LOOPBACK.test(host) && !allowRemote) {
    return `--broker "${shown}": ${host} is not a loopback address; acksim live only touches a remote broker with --allow-remote`;
  }
  const port = url.port === '' ? KINDS[kind].port : Number(url.port);
  return { kind, host: host.replace(/^\[|\]$/g, ''), port, url: text, shown };
}
