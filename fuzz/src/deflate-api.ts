/**
 * The two permessage-deflate codecs: the core's pure-TS one and @sansock/node's node:zlib one
 * (imported from its source: the adapter's index does not exist yet and the codec is an
 * internal module). Swapping codecs between the sender and the receiver makes the round trip
 * a differential test of the codecs too.
 */
import { type DeflateCodec, pureDeflateCodec } from '@sansock/core';
import { sharedLimiter } from '../../packages/node-adapter/src/permessage-deflate/limiter.js';
import { createZlibCodec } from '../../packages/node-adapter/src/permessage-deflate/zlib-codec.js';

export type CodecName = 'pure' | 'zlib';

export function codecNamed(name: CodecName): DeflateCodec {
  return name === 'pure' ? pureDeflateCodec : createZlibCodec({}, sharedLimiter(10));
}
