// Applies each account update as it comes, assuming the updates of one account arrive in order: the newest
// delivered is the newest sent. A redelivered old update then overwrites a newer one.
export function handler(message, ctx) {
  ctx.store.set(`applied:${message.key}:${message.id}`, true);
  ctx.store.set(`account:${message.key}`, { update: message.id });
}

// Each account shows the newest update applied to it.
export function check(state) {
  for (const [key, value] of Object.entries(state)) {
    if (!key.startsWith('applied:')) continue;
    const [, account, id] = key.split(':');
    const shown = state[`account:${account}`]?.update ?? -1;
    if (Number(id) > shown) return `account ${account} shows update ${shown}, but update ${id} was applied`;
  }
  return true;
}

export const checks = ['lost == 0'];
