/** Scenario 7: the servers of ws, sansock and uWebSockets.js under one raw load generator (lib/server-suite.mjs). */
import { runServerSuite, serverSuiteTables } from '../lib/server-suite.mjs';

export default {
  name: 'servers',
  title: '7. Servers: ws, sansock and uWebSockets.js',
  libraries: ['ws', 'sansock', 'uws'],
  async runAll(ctx, libs, progress) {
    const suite = await runServerSuite(ctx, libs, progress);
    return { table: serverSuiteTables(suite), results: suite.rows };
  },
};
