/**
 * @sansock/core/deflate: the pure-TypeScript DEFLATE compressor and decompressor behind
 * `pureDeflateCodec` (main entry), for those who need raw DEFLATE streams without a WebSocket.
 */
export { Deflater } from './permessage-deflate/pure/deflate.js';
export { InflateError, Inflater } from './permessage-deflate/pure/inflate.js';
