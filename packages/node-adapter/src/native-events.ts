/**
 * The `nativeEvents` option: addEventListener/removeEventListener and the on<type> attributes
 * dispatch through the runtime's own `EventTarget`, with real `Event`, `MessageEvent`,
 * `CloseEvent` and `ErrorEvent` instances, so browser code that checks `instanceof Event` or
 * passes `{ signal }`, `{ once }` or `{ capture }` runs unchanged (ws#1818). Node ≥ 20 has
 * `EventTarget`, `Event` and `MessageEvent`; `CloseEvent` (Node 23+) and `ErrorEvent` (not in
 * Node) fall back to small subclasses of the global `Event`. Without the option, the `ws`
 * emulation of event-target.ts is used, as in `ws`.
 */
import type { EventEmitter } from 'node:events';
import type { Data } from './data.js';
import { type EventListenerLike, type EventSource, addEventListener, getAttributeListener, removeEventListener, setAttributeListener } from './event-target.js';

/** addEventListener's options: `once` as in `ws`; `signal`, `capture` and `passive` with `nativeEvents`. */
export type ListenerOptions = { once?: boolean; signal?: AbortSignal; capture?: boolean; passive?: boolean };

/** The browser-style API of a WebSocket, either way: `ws`'s emulation or the runtime's EventTarget. */
export interface BrowserEvents {
  add(source: EventSource, type: string, listener: unknown, options: ListenerOptions | undefined): void;
  remove(source: EventSource, type: string, listener: unknown, options: { capture?: boolean } | undefined): void;
  /** The on<type> attribute. */
  get(source: EventSource, type: string): unknown;
  set(source: EventSource, type: string, handler: unknown): void;
}

/** The default: event-target.ts, `ws`'s emulation (no state of its own: one for every socket). */
export const EMULATED_EVENTS: BrowserEvents = {
  add: (source, type, listener, options) => addEventListener(source, type, listener as EventListenerLike<never> | null, options),
  remove: (source, type, listener) => removeEventListener(source, type, listener as EventListenerLike<never> | null),
  get: (source, type) => getAttributeListener(source, type),
  set: (source, type, handler) => setAttributeListener(source, type, handler),
};

/** A listener typed for the runtime's own events (browser code). */
export type NativeEventListener = ((this: unknown, event: Event) => unknown) | { handleEvent(event: Event): unknown };
type Listener = NativeEventListener;
export type NativeListenerOptions = boolean | AddEventListenerOptions;

interface CloseEventInit extends EventInit {
  code?: number;
  reason?: string;
  wasClean?: boolean;
}
interface ErrorEventInit extends EventInit {
  error?: unknown;
  message?: string;
}
type CloseEventClass = new (type: string, init?: CloseEventInit) => Event & { readonly code: number; readonly reason: string; readonly wasClean: boolean };
type ErrorEventClass = new (type: string, init?: ErrorEventInit) => Event & { readonly error: unknown; readonly message: string };

/** CloseEvent as browsers have it, where the runtime has none (Node < 23). */
class FallbackCloseEvent extends globalThis.Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  constructor(type: string, init: CloseEventInit = {}) {
    super(type, init);
    this.code = init.code ?? 0;
    this.reason = init.reason ?? '';
    this.wasClean = init.wasClean ?? false;
  }
}

/** ErrorEvent as browsers have it (Node has none). */
class FallbackErrorEvent extends globalThis.Event {
  readonly error: unknown;
  readonly message: string;
  constructor(type: string, init: ErrorEventInit = {}) {
    super(type, init);
    this.error = init.error ?? null;
    this.message = init.message ?? '';
  }
}

const runtime = globalThis as { CloseEvent?: CloseEventClass; ErrorEvent?: ErrorEventClass };
/** The runtime's CloseEvent where it has one (Node 23+, Bun, Deno), else ours. */
export const NativeCloseEvent: CloseEventClass = runtime.CloseEvent ?? FallbackCloseEvent;
export const NativeErrorEvent: ErrorEventClass = runtime.ErrorEvent ?? FallbackErrorEvent;

const BRIDGED = new Set(['open', 'message', 'close', 'error']);

function isListener(value: unknown): value is Listener {
  return typeof value === 'function' || (typeof value === 'object' && value !== null && typeof (value as { handleEvent?: unknown }).handleEvent === 'function');
}
// The globals are always reached as `globalThis.Event`...: a bare `Event` here would make the
// bundler rename event-target.ts's `ws`-style Event class (its `name` would become "Event2").

/**
 * One per WebSocket (made on first use). Listeners go to a private EventTarget; the first
 * listener of a type subscribes to that EventEmitter event, which from then on builds the real
 * event and dispatches it. `event.target`/`currentTarget` are the WebSocket, and a function
 * listener is called with the WebSocket as `this`, as in browsers: each listener is wrapped
 * once (the same wrapper every time, so adding twice and removing keep the DOM's identity rules).
 */
export class NativeEvents implements BrowserEvents {
  private readonly target = new EventTarget();
  private readonly bridged = new Set<string>();
  private readonly wrappers = new WeakMap<object, Map<string, (event: Event) => void>>();
  private readonly attributes = new Map<string, { handler: Listener; wrapper: (event: Event) => void }>();

  /** `wasClean`: whether both close frames were exchanged, for CloseEvent.wasClean. */
  constructor(
    private readonly source: EventEmitter,
    private readonly wasClean: () => boolean,
  ) {}

  add(_source: EventSource, type: string, listener: unknown, options: NativeListenerOptions | undefined): void {
    if (!isListener(listener)) return;
    this.bridge(type);
    this.target.addEventListener(type, this.wrapperOf(type, listener), options);
  }

  remove(_source: EventSource, type: string, listener: unknown, options: boolean | EventListenerOptions | undefined): void {
    if (!isListener(listener)) return;
    const wrapper = this.wrappers.get(listener)?.get(type);
    if (wrapper !== undefined) this.target.removeEventListener(type, wrapper, options);
  }

  get(_source: EventSource, type: string): Listener | null {
    return this.attributes.get(type)?.handler ?? null;
  }

  /** on<type> = handler: replaces the previous one; anything but a function clears it. */
  set(_source: EventSource, type: string, handler: unknown): void {
    const previous = this.attributes.get(type);
    if (previous !== undefined) {
      this.target.removeEventListener(type, previous.wrapper);
      this.attributes.delete(type);
    }
    if (typeof handler !== 'function') return;
    const source = this.source;
    const wrapper = (event: Event): void => {
      (handler as (this: unknown, event: Event) => unknown).call(source, event);
    };
    this.attributes.set(type, { handler: handler as Listener, wrapper });
    this.bridge(type);
    this.target.addEventListener(type, wrapper);
  }

  private wrapperOf(type: string, listener: Listener): (event: Event) => void {
    let byType = this.wrappers.get(listener);
    if (byType === undefined) this.wrappers.set(listener, (byType = new Map()));
    let wrapper = byType.get(type);
    if (wrapper === undefined) {
      const source = this.source;
      wrapper =
        typeof listener === 'function'
          ? (event: Event) => {
              listener.call(source, event);
            }
          : (event: Event) => {
              listener.handleEvent(event);
            };
      byType.set(type, wrapper);
    }
    return wrapper;
  }

  /** Subscribes once per type to the EventEmitter event that becomes this DOM event. */
  private bridge(type: string): void {
    if (!BRIDGED.has(type) || this.bridged.has(type)) return;
    this.bridged.add(type);
    const source = this.source;
    source.on(type, (...args: unknown[]) => {
      const event = this.makeEvent(type, args);
      // Browsers report the WebSocket as target; the private EventTarget stays out of sight.
      Object.defineProperty(event, 'target', { value: source });
      Object.defineProperty(event, 'currentTarget', { value: source });
      Object.defineProperty(event, 'srcElement', { value: source });
      this.target.dispatchEvent(event);
    });
  }

  private makeEvent(type: string, args: unknown[]): Event {
    switch (type) {
      case 'message': {
        const [data, isBinary] = args as [Buffer, boolean];
        const payload: Data = isBinary ? data : String(data);
        return new globalThis.MessageEvent('message', { data: payload });
      }
      case 'close': {
        const [code, reason] = args as [number, Buffer];
        return new NativeCloseEvent('close', { code, reason: String(reason), wasClean: this.wasClean() });
      }
      case 'error': {
        const [error] = args as [Error];
        return new NativeErrorEvent('error', { error, message: error.message });
      }
      default:
        return new globalThis.Event(type);
    }
  }
}
