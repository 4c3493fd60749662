/**
 * faye's event objects and its EventTarget methods: plain objects carrying `type` and the
 * event's fields, handed first to `on<type>` and then to EventEmitter listeners of the same name
 * (so `onmessage =`, `addEventListener('message')` and `on('message')` all see the same event).
 */
import type { EventEmitter } from 'node:events';

export class FayeEvent {
  static readonly CAPTURING_PHASE = 1;
  static readonly AT_TARGET = 2;
  static readonly BUBBLING_PHASE = 3;

  type: string;
  bubbles = false;
  cancelable = false;
  target: unknown = null;
  currentTarget: unknown = null;
  eventPhase = 0;

  constructor(type: string) {
    this.type = type;
  }

  initEvent(type: string, bubbles: boolean, cancelable: boolean): void {
    this.type = type;
    this.bubbles = bubbles;
    this.cancelable = cancelable;
  }

  stopPropagation(): void {}
  preventDefault(): void {}
}

export class OpenEvent extends FayeEvent {
  constructor() {
    super('open');
  }
}

export class MessageEvent extends FayeEvent {
  /** A string for text messages, a Buffer for binary ones (as faye). */
  readonly data: string | Buffer;
  constructor(data: string | Buffer) {
    super('message');
    this.data = data;
  }
}

export class ErrorEvent extends FayeEvent {
  readonly message: string;
  constructor(message: string) {
    super('error');
    this.message = message;
  }
}

export class CloseEvent extends FayeEvent {
  readonly code: number | undefined;
  readonly reason: string | undefined;
  constructor(code?: number, reason?: string) {
    super('close');
    this.code = code;
    this.reason = reason;
  }
}

export type FayeListener<E extends FayeEvent = FayeEvent> = (event: E) => void;

/** What `dispatch` needs of its target: the `on<type>` properties and an EventEmitter. */
export interface EventTargetHost extends EventEmitter {
  onopen: FayeListener<OpenEvent> | null;
  onmessage: FayeListener<MessageEvent> | null;
  onerror: FayeListener<ErrorEvent> | null;
  onclose: FayeListener<CloseEvent> | null;
}

/** faye's `dispatchEvent`: the handler property first, then the listeners. */
export function dispatch(target: EventTargetHost, event: FayeEvent): void {
  event.target = event.currentTarget = target;
  event.eventPhase = FayeEvent.AT_TARGET;
  const handler = (target as unknown as Record<string, unknown>)[`on${event.type}`];
  if (typeof handler === 'function') (handler as FayeListener).call(target, event);
  target.emit(event.type, event);
}
