/** Writing HTTP heads as bytes: latin1 text, and the checks that keep local input from forging fields. */
import { InvalidArgumentError } from '../errors.js';
import { isToken } from './tokens.js';

/**
 * RFC 9110 §5.5: field-value = *( VCHAR / obs-text / SP / HTAB ). Anything else (above all CR
 * and LF, which would start a new field or the body) is refused.
 */
export function isFieldValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x09) continue;
    if (code < 0x20 || code === 0x7f || code > 0xff) return false;
  }
  return true;
}

/** Throws InvalidArgumentError unless `[name, value]` is a field we may write (local input). */
export function checkField(name: string, value: string): void {
  if (!isToken(name)) throw new InvalidArgumentError(`Invalid header name: ${JSON.stringify(name)}`);
  if (!isFieldValue(value)) throw new InvalidArgumentError(`Invalid value for header ${name}: ${JSON.stringify(value)}`);
}

/** Text whose characters are all ≤ 0xFF, one byte each (the head is latin1 on the wire). */
export function latin1Encode(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw new InvalidArgumentError(`Character U+${code.toString(16).padStart(4, '0')} cannot be sent in an HTTP head`);
    out[i] = code;
  }
  return out;
}

/** Bytes as latin1: every byte one character, so obs-text (0x80-0xFF) survives unchanged. */
export function latin1Decode(bytes: Uint8Array): string {
  // Not TextDecoder('latin1'): the Encoding Standard maps that label to windows-1252.
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return out;
}

/** "Name: value\r\n" for each field, checked. */
export function formatFields(fields: ReadonlyArray<readonly [string, string]>): string {
  let out = '';
  for (const [name, value] of fields) {
    checkField(name, value);
    out += `${name}: ${value}\r\n`;
  }
  return out;
}
