// The broker `acksim live` may touch: a URL the user named, on loopback unless --allow-remote.

/** A parsed broker address. */
export interface BrokerAddress {
  kind: 'redis' | 'rabbitmq';
  host: string;
  port: number;
  url: string;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

/** Parses `redis://host:port` or `rabbitmq://host:port`; returns the address or a one-line problem. */
export function parseBrokerUrl(text: string, allowRemote: boolean): BrokerAddress | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `--broker "${text}": not a URL (allowed: redis://127.0.0.1:6379 or rabbitmq://127.0.0.1:5672)`;
  }
  const kind = url.protocol === 'redis:' ? 'redis' : url.protocol === 'rabbitmq:' || url.protocol === 'amqp:' ? 'rabbitmq' : undefined;
  if (kind === undefined) return `--broker "${text}": unknown scheme "${url.protocol}" (allowed: redis://, rabbitmq://)`;
  const host = url.hostname;
  if (!LOOPBACK.test(host) && !allowRemote) {
    return `--broker "${text}": ${host} is not a loopback address; acksim live only touches a remote broker with --allow-remote`;
  }
  const port = url.port === '' ? (kind === 'redis' ? 6379 : 5672) : Number(url.port);
  return { kind, host: host.replace(/^\[|\]$/g, ''), port, url: text };
}
