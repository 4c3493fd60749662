import { enter, leave } from './flush-scope.js';

/**
 * Write coalescing for sends made outside any driver's listeners: between `holdWrites()` and
 * `releaseWrites()`, sends to every driver wait, and the release writes each connection's share
 * once. A pub/sub bus delivers a burst of messages from one read of its own socket and fans each
 * out to many connections: held for that burst, it costs one write per connection, not one per
 * message per connection (as a broadcast from a 'message' listener already does). Calls nest;
 * every hold must be released (in a `finally`, or a microtask the caller is sure will run).
 */
export function holdWrites(): void {
  enter();
}

export function releaseWrites(): void {
  leave();
}
