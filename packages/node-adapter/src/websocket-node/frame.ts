/**
 * WebSocketFrame: what WebSocket-Node hands to 'frame' listeners when `assembleFragments` is
 * false, and a small serializer for apps that build frames themselves (`toBuffer`). Parsing is
 * the core's job: this class only carries a frame's fields.
 */
import { randomFillSync } from 'node:crypto';

export const FrameOpcode = {
  CONTINUATION: 0x00,
  TEXT: 0x01,
  BINARY: 0x02,
  CLOSE: 0x08,
  PING: 0x09,
  PONG: 0x0a,
} as const;

export interface FrameConfig {
  readonly maxReceivedFrameSize?: number;
}

export class WebSocketFrame {
  fin = false;
  rsv1 = false;
  rsv2 = false;
  rsv3 = false;
  /** Whether the frame is (or, for toBuffer, will be) masked. */
  mask = false;
  opcode = 0;
  length = 0;
  binaryPayload: Buffer = Buffer.alloc(0);
  /** Close frames: the status code; -1 when none. */
  closeStatus = -1;
  maxReceivedFrameSize: number;
  protocolError = false;
  frameTooLarge = false;
  invalidCloseFrameLength = false;
  dropReason: string | undefined = undefined;
  // Kept for signature compatibility: WebSocket-Node passes shared scratch buffers here.
  maskBytes: Buffer | undefined;
  frameHeader: Buffer | undefined;
  config: FrameConfig | undefined;

  constructor(maskBytes?: Buffer, frameHeader?: Buffer, config?: FrameConfig) {
    this.maskBytes = maskBytes;
    this.frameHeader = frameHeader;
    this.config = config;
    this.maxReceivedFrameSize = config?.maxReceivedFrameSize ?? 0x100000;
  }

  /** The frame on the wire. `nullMask` masks with a zero key (payload unchanged), for tests. */
  toBuffer(nullMask?: boolean): Buffer {
    let payload = this.binaryPayload;
    if (this.opcode === FrameOpcode.CLOSE && this.closeStatus !== -1) {
      const status = Buffer.alloc(2);
      status.writeUInt16BE(this.closeStatus, 0);
      payload = Buffer.concat([status, payload]);
    }
    const length = payload.length;
    this.length = length;
    const lengthBytes = length > 0xffff ? 8 : length > 125 ? 2 : 0;
    const maskBytes = this.mask ? 4 : 0;
    const out = Buffer.allocUnsafe(2 + lengthBytes + maskBytes + length);
    out[0] = (this.fin ? 0x80 : 0) | (this.rsv1 ? 0x40 : 0) | (this.rsv2 ? 0x20 : 0) | (this.rsv3 ? 0x10 : 0) | (this.opcode & 0x0f);
    const maskBit = this.mask ? 0x80 : 0;
    let offset = 2;
    if (lengthBytes === 8) {
      out[1] = maskBit | 127;
      out.writeBigUInt64BE(BigInt(length), 2);
      offset = 10;
    } else if (lengthBytes === 2) {
      out[1] = maskBit | 126;
      out.writeUInt16BE(length, 2);
      offset = 4;
    } else out[1] = maskBit | length;
    if (this.mask) {
      const key = out.subarray(offset, offset + 4);
      if (nullMask) key.fill(0);
      else randomFillSync(key);
      offset += 4;
      for (let i = 0; i < length; i++) out[offset + i] = payload[i]! ^ key[i & 3]!;
    } else payload.copy(out, offset);
    return out;
  }

  toString(): string {
    return `Opcode: ${this.opcode}, fin: ${this.fin}, length: ${this.length}, hasPayload: ${this.binaryPayload.length > 0}, masked: ${this.mask}`;
  }
}
