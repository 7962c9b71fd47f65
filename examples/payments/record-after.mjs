// Remembers what it charged, so a redelivery is not charged again: but the charge and the record are two
// writes, and a consumer that crashes between them has charged without remembering it.
export function handler(message, ctx) {
  if (ctx.store.has(`charged:${message.id}`)) return;
  ctx.store.set('balance', (ctx.store.get('balance') ?? 0) + 10);
  ctx.effect('charge');
  ctx.store.set(`charged:${message.id}`, true);
}
