/** Frame opcodes, RFC 6455 §5.2 and §11.8. */
export const Opcode = {
  CONTINUATION: 0x0,
  TEXT: 0x1,
  BINARY: 0x2,
  CLOSE: 0x8,
  PING: 0x9,
  PONG: 0xa,
} as const;

export type Opcode = (typeof Opcode)[keyof typeof Opcode];

/** §5.5: control frames are those whose opcode has the most significant bit set (0x8-0xF). */
export const isControlOpcode = (opcode: number): boolean => (opcode & 0x8) !== 0;

/** §5.2: 0x3-0x7 and 0xB-0xF are reserved; a frame using one fails the connection. */
export const isKnownOpcode = (opcode: number): boolean =>
  opcode <= Opcode.BINARY || (opcode >= Opcode.CLOSE && opcode <= Opcode.PONG);
