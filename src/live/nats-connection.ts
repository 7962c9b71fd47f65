// Connections to a NATS server for a live run: the URL's host, port and credentials, no reconnecting (a
// server that goes away fails the run with one line), every wait bounded.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { BrokerAddress } from './broker-url.js';
import { within } from './bounded.js';

/** The connection options for `address`: its host and port, credentials from the URL, no reconnecting. */
export function natsConnectOptions(address: BrokerAddress, waitMs: number): Parameters<typeof connect>[0] {
  const url = new URL(address.url);
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  return {
    servers: `${host}:${address.port}`,
    // nats://token@host carries a token; nats://user:pass@host a user and password.
    ...(user !== '' && pass === '' ? { token: user } : user !== '' ? { user, pass } : {}),
    reconnect: false,
    maxReconnectAttempts: 0,
    timeout: waitMs,
    name: 'acksim live',
  };
}

/** Opens a connection within `waitMs`; fails with the cause (ECONNREFUSED, ...) in its message. */
export async function openNats(address: BrokerAddress, waitMs: number): Promise<NatsConnection> {
  try {
    return await within(connect(natsConnectOptions(address, waitMs)), waitMs, 'the connection', (late) => {
      void late.close();
    });
  } catch (error) {
    const { message, cause } = error as Error & { cause?: Error };
    throw new Error(cause?.message ? `${message}: ${cause.message}` : message);
  }
}
