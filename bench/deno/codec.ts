/**
 * permessage-deflate codecs under Deno: node:zlib (through Deno's Node compatibility, the Node
 * adapter's codec) against the core's pure-TypeScript codec, one connection's streams with
 * context takeover, window 15. 1 KiB JSON-like messages one at a time (each awaited, as the
 * extension does), then one 4 MiB message.
 *   deno run --config packages/deno-adapter/deno.json bench/deno/codec.ts [messages]
 */
import { type DeflateCodec, pureDeflateCodec } from '@sansock/core';
import { createZlibCodec } from '../../packages/node-adapter/src/permessage-deflate/zlib-codec.ts';
import { Limiter } from '../../packages/node-adapter/src/permessage-deflate/limiter.ts';

const COUNT = Number(Deno.args[0] ?? 5000);
const TRAILER = Uint8Array.of(0x00, 0x00, 0xff, 0xff);
const words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda'.split(' ');

function message(i: number): Uint8Array {
  let text = `{"id":${i},"items":[`;
  while (text.length < 1024) text += `{"n":"${words[(i * 7 + text.length) % words.length]}","v":${(i * 31 + text.length) % 997}},`;
  return new TextEncoder().encode(text.slice(0, 1024));
}
const messages = Array.from({ length: 2000 }, (_, i) => message(i));

async function measure(name: string, codec: DeflateCodec): Promise<void> {
  const compressor = codec.createCompressor({ windowBits: 15 });
  const decompressor = codec.createDecompressor({ windowBits: 15 });
  const compressed: Uint8Array[] = [];
  let bytes = 0;
  let start = performance.now();
  for (let i = 0; i < COUNT; i++) {
    const out = await compressor.compress(messages[i % messages.length]!);
    compressed.push(out.subarray(0, out.length - 4));
    bytes += out.length - 4;
  }
  const compressRate = COUNT / ((performance.now() - start) / 1000);
  start = performance.now();
  for (const piece of compressed) {
    const out = await decompressor.decompress([piece, TRAILER], 1 << 20);
    if (out?.length !== 1024) throw new Error('round trip failed');
  }
  const inflateRate = COUNT / ((performance.now() - start) / 1000);

  const big = new Uint8Array(4 * 1024 * 1024);
  for (let offset = 0; offset < big.length; offset += 1024) big.set(messages[(offset / 1024) % messages.length]!, offset);
  start = performance.now();
  const bigCompressed = await compressor.compress(big);
  const bigCompressMBs = big.length / 1e6 / ((performance.now() - start) / 1000);
  start = performance.now();
  const bigOut = await decompressor.decompress([bigCompressed], 64 << 20);
  const bigInflateMBs = big.length / 1e6 / ((performance.now() - start) / 1000);
  if (bigOut?.length !== big.length) throw new Error('round trip failed');
  console.log(
    `| ${name} | ${(compressRate / 1000).toFixed(1)} k | ${(inflateRate / 1000).toFixed(1)} k | ${(bytes / COUNT / 1024).toFixed(3)} | ` +
      `${bigCompressMBs.toFixed(0)} | ${bigInflateMBs.toFixed(0)} | ${(bigCompressed.length / big.length).toFixed(3)} |`,
  );
  compressor.dispose();
  decompressor.dispose();
}

console.log(`${Deno.version.deno !== undefined ? `Deno ${Deno.version.deno}` : ''}, ${COUNT} messages of 1 KiB, then 4 MiB`);
console.log('| codec | 1 KiB compress (msg/s) | 1 KiB inflate (msg/s) | 1 KiB size ratio | 4 MiB compress (MB/s) | 4 MiB inflate (MB/s) | 4 MiB size ratio |');
console.log('|---|---|---|---|---|---|---|');
for (let round = 0; round < 3; round++) {
  await measure('pure (core)', pureDeflateCodec);
  await measure('node:zlib', createZlibCodec({}, new Limiter(10)));
}
