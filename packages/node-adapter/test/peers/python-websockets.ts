/**
 * Finds a Python interpreter that can `import websockets`. Debian's /usr/bin/python3 comes
 * first: it is the one `apt-get install python3-websockets` installs into, and a pyenv or venv
 * `python3` earlier on PATH may lack the module. SANSOCK_PYTHON picks the interpreter instead
 * (a path that does not exist simulates a machine without the peer).
 */
import { spawnSync } from 'node:child_process';
import type { PeerLookup } from './peer-suite.js';

export function findPythonWebsockets(): PeerLookup<{ python: string }> {
  const candidates = process.env.SANSOCK_PYTHON ? [process.env.SANSOCK_PYTHON] : ['/usr/bin/python3', 'python3'];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import websockets'], { stdio: 'ignore', timeout: 30_000 });
    if (probe.status === 0) return { found: true, peer: { python } };
  }
  return {
    found: false,
    missing: `no Python with the websockets module (tried ${candidates.join(', ')})`,
    install: 'sudo apt-get install python3-websockets (or: python3 -m pip install websockets)',
  };
}
