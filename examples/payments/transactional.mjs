// The charge and its record in one transaction: a crash takes both or neither.
export function handler(message, ctx) {
  ctx.store.transaction((tx) => {
    if (tx.get(`charged:${message.id}`)) return;
    tx.set('balance', (tx.get('balance') ?? 0) + 10);
    tx.set(`charged:${message.id}`, true);
    ctx.effect('charge');
  });
}
