/** permessage-deflate (RFC 7692): negotiation and framing in the core, DEFLATE from an injected codec. */
export { createPerMessageDeflate } from './factory.js';
export { PerMessageDeflate } from './deflate-extension.js';
export type { CodecStreamOptions, Compressor, Decompressor, DeflateCodec, WindowBits } from './codec.js';
export type { DeflateNegotiationOptions, DeflateOptions } from './options.js';
export { DEFAULT_THRESHOLD } from './options.js';
export type { DeflateAgreement } from './negotiation.js';
export type { DeflateParams } from './params.js';
export { EXTENSION_NAME as PERMESSAGE_DEFLATE } from './params.js';
export { pureDeflateCodec } from './pure-codec.js';
