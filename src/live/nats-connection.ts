// Connections to a NATS server for a live run: the URL's host, port and credentials, no reconnecting (a
// server that goes away fails the run with one line), every wait bounded.
import { createConnection } from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { BrokerAddress } from './broker-url.js';
import { NoAnswerError, within } from './bounded.js';

/** The connection options for `address`: its host and port, credentials from the URL, no reconnecting. */
export function natsConnectOptions(address: BrokerAddress, waitMs: number): Parameters<typeof connect>[0] {
  const url = new URL(address.url);
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  // nats://secret@host is a token; nats://name:@host a user with an empty password (shown as such, so not a token).
  const at = address.url.lastIndexOf('@');
  const token = user !== '' && !address.url.slice(address.url.indexOf('//') + 2, Math.max(0, at)).includes(':');
  return {
    servers: `${host}:${address.port}`,
    // nats://token@host carries a token; nats://user:pass@host a user and password.
    ...(token ? { token: user } : user !== '' ? { user, pass } : {}),
    reconnect: false,
    maxReconnectAttempts: 0,
    timeout: waitMs,
    name: 'acksim live',
  };
}

/**
 * Whether a NATS server answers at `address`: it sends its INFO line as soon as a client connects. The client
 * library keeps its socket to a server that accepts and never answers open after its own timeout (nats-core 3.3),
 * which would keep the process from ending; this plain socket is closed whatever happens.
 */
function serverAnswers(address: BrokerAddress, waitMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = createConnection(address.port, address.host);
    const done = (error?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (error === undefined) resolve();
      else reject(error);
    };
    const timer = setTimeout(
      () =>
        done(
          new NoAnswerError(
            `no answer to the connection within ${Math.round(waitMs / 100) / 10} s (is the broker there and answering?)`,
          ),
        ),
      waitMs,
    );
    socket.once('data', (chunk: Buffer) =>
      done(
        chunk.toString('latin1').startsWith('INFO') ? undefined : new Error('not a NATS server: it did not say INFO'),
      ),
    );
    socket.once('error', (error) => done(error));
    socket.once('close', () => done(new Error('the server closed the connection before saying INFO')));
  });
}

/** Opens a connection within `waitMs`; fails with the cause (ECONNREFUSED, ...) in its message. */
export async function openNats(address: BrokerAddress, waitMs: number): Promise<NatsConnection> {
  try {
    await serverAnswers(address, waitMs);
    return await within(connect(natsConnectOptions(address, waitMs)), waitMs, 'the connection', (late) => {
      void late.close();
    });
  } catch (error) {
    const { message, cause } = error as Error & { cause?: Error };
    throw new Error(cause?.message ? `${message}: ${cause.message}` : message);
  }
}
