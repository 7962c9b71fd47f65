// Keeps the newest update of each account: an update older than the one shown is recorded, not applied over it.
export function handler(message, ctx) {
  ctx.store.transaction((tx) => {
    tx.set(`applied:${message.key}:${message.id}`, true);
    const shown = tx.get(`account:${message.key}`)?.update ?? -1;
    if (message.id > shown) tx.set(`account:${message.key}`, { update: message.id });
  });
}

export { check, checks } from './last-writer.mjs';
