/** What the CLI reports: one shape for both the human output and the JSON-lines output. */
import type { BinaryEncoding } from './encoding.js';

/** A payload as printed: text as is, binary in the chosen encoding. */
export interface Payload {
  data: string;
  binary: boolean;
  /** Present for binary payloads. */
  encoding?: BinaryEncoding;
}

/** `client` numbers a server's connections from 1; absent on the client side. */
export type CliEvent =
  | { type: 'open'; url: string; protocol: string; extensions: string }
  | { type: 'listening'; url: string; port: number }
  | { type: 'connection'; client: number; remote: string; protocol: string; extensions: string }
  | ({ type: 'message'; client?: number } & Payload)
  | ({ type: 'ping' | 'pong'; client?: number } & Payload)
  | { type: 'close'; code: number; reason: string; client?: number }
  | { type: 'error'; message: string; code?: string; client?: number };
