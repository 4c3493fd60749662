/**
 * The browser-style half of the `ws` API: addEventListener/removeEventListener and the
 * onopen/onmessage/onclose/onerror attributes, delivering Event-shaped objects built from the
 * EventEmitter events ('message'(data, isBinary) becomes a MessageEvent, and so on).
 */
import type { EventEmitter } from 'node:events';
import type { Data } from './data.js';
/** Whether both close frames were exchanged, for CloseEvent.wasClean (see EventSource). */
export const kWasClean = Symbol('sansock.wasClean');

const kTarget = Symbol('kTarget');
const kType = Symbol('kType');

/** A minimal DOM-like Event (type + target), like `ws`'s. */
export class Event {
  private readonly [kType]: string;
  [kTarget]: unknown = null;
  constructor(type: string) {
    this[kType] = type;
  }
  get type(): string {
    return this[kType];
  }
  get target(): unknown {
    return this[kTarget];
  }
}

export interface CloseEventInit {
  readonly code?: number;
  readonly reason?: string;
  readonly wasClean?: boolean;
}

export class CloseEvent extends Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  constructor(type: string, init: CloseEventInit = {}) {
    super(type);
    this.code = init.code ?? 0;
    this.reason = init.reason ?? '';
    this.wasClean = init.wasClean ?? false;
  }
}

export interface ErrorEventInit {
  readonly error?: unknown;
  readonly message?: string;
}

export class ErrorEvent extends Event {
  /** What was thrown or emitted (an Error, in practice); `any` as in `@types/ws`, so `event.error.code` compiles. */
  readonly error: any;
  readonly message: string;
  constructor(type: string, init: ErrorEventInit = {}) {
    super(type);
    this.error = init.error ?? null;
    this.message = init.message ?? '';
  }
}

export interface MessageEventInit {
  readonly data?: unknown;
}

export class MessageEvent extends Event {
  /** Typed as `ws`'s `Data` (what the 'message' wrapper puts here), as `@types/ws` does. */
  readonly data: Data;
  constructor(type: string, init: MessageEventInit = {}) {
    super(type);
    this.data = (init.data ?? null) as Data;
  }
}

export type EventListenerFunction<E extends Event = Event> = (this: unknown, event: E) => void;
export interface EventListenerObject<E extends Event = Event> {
  handleEvent(event: E): void;
}
export type EventListenerLike<E extends Event = Event> = EventListenerFunction<E> | EventListenerObject<E>;

/** Which Event each browser-style event type delivers. */
export interface WebSocketEventTypes {
  open: Event;
  message: MessageEvent;
  close: CloseEvent;
  error: ErrorEvent;
}

/** Marks the wrappers we attach, so removeEventListener and the on* attributes can find them. */
const kListener = Symbol('kListener');
const kForAttribute = Symbol('kForAttribute');
type Wrapper = ((...args: unknown[]) => void) & { [kListener]?: EventListenerLike<never>; [kForAttribute]?: boolean };

/** What the wrappers need from the WebSocket to build the events. */
export interface EventSource extends EventEmitter {
  readonly [kWasClean]: boolean;
}

function makeEvent(type: keyof WebSocketEventTypes, args: unknown[], source: EventSource): Event {
  switch (type) {
    case 'message': {
      const [data, isBinary] = args as [Buffer, boolean];
      return new MessageEvent('message', { data: isBinary ? data : data.toString() });
    }
    case 'close': {
      const [code, reason] = args as [number, Buffer];
      return new CloseEvent('close', { code, reason: reason.toString(), wasClean: source[kWasClean] });
    }
    case 'error': {
      const [error] = args as [Error];
      return new ErrorEvent('error', { error, message: error.message });
    }
    default:
      return new Event('open');
  }
}

function invoke(listener: EventListenerLike<never>, thisArg: unknown, event: Event): void {
  if (typeof listener === 'function') (listener as EventListenerFunction).call(thisArg, event);
  else (listener as EventListenerObject).handleEvent(event);
}

const EVENT_TYPES = new Set(['open', 'message', 'close', 'error']);

export function addEventListener(
  source: EventSource,
  type: string,
  listener: EventListenerLike<never> | null | undefined,
  options: { readonly once?: boolean } & { readonly [kForAttribute]?: boolean } = {},
): void {
  if (listener === null || listener === undefined || !EVENT_TYPES.has(type)) return;
  const forAttribute = options[kForAttribute] === true;
  // Like the DOM (and `ws`): the same listener is only added once.
  if (!forAttribute) {
    for (const existing of source.listeners(type) as Wrapper[]) {
      if (!existing[kForAttribute] && existing[kListener] === listener) return;
    }
  }
  const wrapper: Wrapper = function (this: unknown, ...args: unknown[]) {
    const event = makeEvent(type as keyof WebSocketEventTypes, args, source);
    event[kTarget] = source;
    invoke(listener, source, event);
  };
  wrapper[kListener] = listener;
  wrapper[kForAttribute] = forAttribute;
  if (options.once) source.once(type, wrapper);
  else source.on(type, wrapper);
}

export function removeEventListener(source: EventSource, type: string, listener: EventListenerLike<never> | null | undefined): void {
  for (const existing of source.listeners(type) as Wrapper[]) {
    if (existing[kListener] === listener && !existing[kForAttribute]) {
      source.removeListener(type, existing);
      return;
    }
  }
}

/** The on<type> attribute getter: the listener set through the attribute, or null. */
export function getAttributeListener(source: EventSource, type: string): EventListenerLike<never> | null {
  for (const existing of source.listeners(type) as Wrapper[]) {
    if (existing[kForAttribute]) return existing[kListener] ?? null;
  }
  return null;
}

/** The on<type> attribute setter: replaces the previous attribute listener; non-functions clear it. */
export function setAttributeListener(source: EventSource, type: string, handler: unknown): void {
  for (const existing of source.listeners(type) as Wrapper[]) {
    if (existing[kForAttribute]) {
      source.removeListener(type, existing);
      break;
    }
  }
  if (typeof handler !== 'function') return;
  addEventListener(source, type, handler as EventListenerFunction, { [kForAttribute]: true });
}
