/**
 * The child side of the IPC protocol: the config arrives as argv[2] (JSON); replies are
 * `{ type, ... }` messages; an uncaught failure is reported as `{ type: 'error' }` and a library
 * that cannot be loaded as `{ type: 'unavailable' }`.
 */
export const config = JSON.parse(process.argv[2] ?? '{}');

export function report(message) {
  if (process.connected) process.send(message);
}

const handlers = new Map();

/** Registers the handler for a command from the parent; its return value (if any) is sent back. */
export function onCommand(type, handler) {
  handlers.set(type, handler);
}

process.on('message', async (message) => {
  if (message.type === 'stop') {
    process.exit(0);
  }
  const handler = handlers.get(message.type);
  if (!handler) return;
  try {
    const reply = await handler(message);
    if (reply) report(reply);
  } catch (error) {
    fail(error);
  }
});

// The parent went away: nothing will ever stop us, so leave.
process.on('disconnect', () => process.exit(0));

export function fail(error) {
  report({ type: 'error', message: error?.stack ?? String(error) });
  setTimeout(() => process.exit(1), 50);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

/** Loads an adapter, reporting the library as unavailable (not failed) when its module cannot load. */
export async function loadAdapter(adapterName, moduleName) {
  const adapter = await import(`../adapters/${adapterName}.mjs`);
  try {
    await adapter.load(moduleName);
  } catch (error) {
    report({ type: 'unavailable', reason: `cannot load ${moduleName}: ${error?.code ?? error?.message ?? error}` });
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.exit(0);
  }
  return adapter;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const now = () => performance.now();
