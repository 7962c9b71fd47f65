// Charges every delivery it gets. At least once, a lost ack means a second delivery: a second charge.
export function handler(message, ctx) {
  ctx.store.set('balance', (ctx.store.get('balance') ?? 0) + 10);
  ctx.effect('charge');
}
