/**
 * `ws`'s property shape, which its own tests check: the ready-state constants enumerable and
 * read-only on the class and the prototype, the attributes and `on<event>` handlers enumerable
 * (configurable) accessors on the prototype. `_socket` stays hidden. Class syntax makes
 * accessors non-enumerable, hence this pass after the class is defined.
 */
import { CLOSED, CLOSING, CONNECTING, OPEN } from './constants.js';

const ATTRIBUTES = ['binaryType', 'bufferedAmount', 'extensions', 'isPaused', 'protocol', 'readyState', 'url'];
const EVENT_HANDLERS = ['onopen', 'onmessage', 'onclose', 'onerror'];

export function applyWsPropertyShape(constructor: { prototype: object }): void {
  for (const [name, value] of [
    ['CONNECTING', CONNECTING],
    ['OPEN', OPEN],
    ['CLOSING', CLOSING],
    ['CLOSED', CLOSED],
  ] as const) {
    const descriptor = { configurable: false, enumerable: true, writable: false, value };
    Object.defineProperty(constructor, name, descriptor);
    Object.defineProperty(constructor.prototype, name, descriptor);
  }
  for (const name of [...ATTRIBUTES, ...EVENT_HANDLERS]) {
    Object.defineProperty(constructor.prototype, name, { enumerable: true });
  }
}
