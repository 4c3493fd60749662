/**
 * @sansock/core/frames: the layers under `Connection`, for people building their own protocol
 * tooling (a proxy that rewrites frames, a test harness, a fuzzer): the frame parser and
 * serializer, header rules, opcodes, masking, UTF-8 validation and byte helpers. They know
 * nothing of connection state; `Connection` (the main entry) is the supported way to speak
 * WebSocket.
 */
export { FrameParser } from './frame-parser.js';
export { MAX_CONTROL_PAYLOAD, RSV1, RSV2, RSV3, checkHeader } from './frame-header.js';
export type { FrameHeader, FrameRules } from './frame-header.js';
export { encodeFrame } from './frame-serializer.js';
export type { FrameOptions } from './frame-serializer.js';
export { Opcode, isControlOpcode, isKnownOpcode } from './opcode.js';
export { MaskKeySource, applyMask, cryptoRandomFill, maskInto } from './mask.js';
export type { NativeMask, RandomFill } from './mask.js';
export { Utf8Validator, isValidUtf8 } from './utf8.js';
export { type Allocate, concatBytes } from './bytes.js';
