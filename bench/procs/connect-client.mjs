/**
 * Connection-establishment client (scenario 4). Config: { adapter, module, port, clients,
 * concurrency }. Reports 'ready' once loaded; on 'start' opens `clients` connections and
 * reports 'opened'; then keeps them open and idle until stopped.
 */
import { connectMany } from '../lib/connect-many.mjs';
import { config, loadAdapter, now, onCommand, report } from './child-io.mjs';

const adapter = await loadAdapter(config.adapter, config.module);
let conns = [];

onCommand('start', async () => {
  const start = now();
  conns = await connectMany(adapter, config.port, config.clients, config.concurrency);
  return { type: 'opened', connections: conns.length, ms: now() - start };
});

report({ type: 'ready' });
