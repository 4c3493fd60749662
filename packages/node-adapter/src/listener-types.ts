/**
 * Listener typing as permissive as `@types/ws`, without `any`. Node's typed
 * `EventEmitter<Events>` only accepts a listener whose parameters match the event exactly, so
 * code written against `ws` such as
 *
 *   await new Promise((resolve) => ws.once('open', resolve));   // resolve takes a value
 *   ws.on('message', (data: Buffer) => ...);                      // data is Buffer | ArrayBuffer | Buffer[]
 *
 * would not compile. `@types/ws` ends each listener method with an `(...args: any[]) => void`
 * overload; WebSocket and WebSocketServer end theirs with this one instead: every function is
 * assignable to it (`never` is assignable to any parameter type). Their typed overload comes
 * first, so untyped listener parameters still get the event's argument types
 * (`ws.on('message', (data, isBinary) => ...)`) and `this` is the emitter.
 */
export type CatchAllListener = (...args: never[]) => unknown;

/** A listener for event `K` of an event map (name → argument tuple), called with `this` = the emitter. */
export type TypedListener<Events extends { [E in keyof Events]: unknown[] }, K extends keyof Events, This> = (
  this: This,
  ...args: Events[K]
) => void;
