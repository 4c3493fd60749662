/**
 * Finds a headless Chromium for the browser interop suite, in this order:
 * 1. CHROMIUM_PATH, if set: that binary and nothing else ("npm" means step 3; a path that does
 *    not exist simulates a machine without Chromium);
 * 2. /usr/bin/chromium (Debian's package);
 * 3. the binary inside the `@sparticuz/chromium` npm package, a devDependency, so that
 *    `pnpm install` alone provides a browser. It ships brotli-compressed for linux-x64; we
 *    decompress it once into node_modules/.cache ourselves rather than through the package's
 *    executablePath(), which targets AWS Lambda, writes to a /tmp shared by every checkout
 *    and is not safe against two test runs extracting at once. Its bundled NSS libraries
 *    (al2023.tar.br) are used too, so a machine without Debian's chromium dependencies works.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import type { PeerLookup } from './peer-suite.js';
import { untar } from './untar.js';

export interface ChromiumPeer {
  readonly executablePath: string;
  /** Extra environment for the browser process (the bundled libraries' directory). */
  readonly env: Readonly<Record<string, string>>;
}

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const INSTALL = `sudo apt-get install chromium (or set CHROMIUM_PATH to a Chromium binary)`;

export function findChromium(): PeerLookup<ChromiumPeer> {
  const wanted = process.env.CHROMIUM_PATH;
  if (wanted !== undefined && wanted !== '' && wanted !== 'npm') {
    if (existsSync(wanted)) return { found: true, peer: { executablePath: wanted, env: {} } };
    return { found: false, missing: `CHROMIUM_PATH=${wanted} does not exist`, install: INSTALL };
  }
  if (wanted !== 'npm' && existsSync(DEBIAN_CHROMIUM)) return { found: true, peer: { executablePath: DEBIAN_CHROMIUM, env: {} } };
  try {
    return chromiumFromNpm();
  } catch (error) {
    // A full disk or a damaged install is the machine's problem, not a sansock bug: say so.
    const reason = error instanceof Error ? error.message : String(error);
    return { found: false, missing: `no ${DEBIAN_CHROMIUM}, and @sparticuz/chromium could not be unpacked (${reason})`, install: INSTALL };
  }
}

function chromiumFromNpm(): PeerLookup<ChromiumPeer> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { found: false, missing: `no ${DEBIAN_CHROMIUM}, and @sparticuz/chromium has no binary for ${process.platform}-${process.arch}`, install: INSTALL };
  }
  let packageDir: string;
  let version: string;
  try {
    // Its exports hide package.json: resolve the entry point and walk up to the package root.
    packageDir = dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium'));
    while (!existsSync(join(packageDir, 'bin', 'chromium.br'))) {
      if (dirname(packageDir) === packageDir) throw new Error('no bin/chromium.br');
      packageDir = dirname(packageDir);
    }
    version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return { found: false, missing: `no ${DEBIAN_CHROMIUM}, and the @sparticuz/chromium devDependency is not installed`, install: `npx -y pnpm@10.34.8 install, or ${INSTALL}` };
  }
  const cache = fileURLToPath(new URL(`../../../../node_modules/.cache/sansock-chromium-${version}/`, import.meta.url));
  const executablePath = join(cache, 'chromium');
  const libraries = join(cache, 'lib');
  if (!existsSync(executablePath)) {
    // Into a private directory first, then one rename: a concurrent run sees all or nothing.
    const staging = `${cache.replace(/\/$/, '')}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, 'chromium'), brotliDecompressSync(readFileSync(join(packageDir, 'bin', 'chromium.br'))), { mode: 0o755 });
    untar(brotliDecompressSync(readFileSync(join(packageDir, 'bin', 'al2023.tar.br'))), staging);
    try {
      renameSync(staging, cache);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(executablePath)) throw error; // not a lost race: a real failure
    }
  }
  const ldPath = [libraries, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return { found: true, peer: { executablePath, env: { LD_LIBRARY_PATH: ldPath } } };
}
