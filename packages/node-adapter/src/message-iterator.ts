/**
 * `for await (const message of ws)`: the messages of a `ws`-style WebSocket as an async
 * iterator, each as `onmessage`'s `event.data` would be (text as a string, binary as
 * `binaryType` says). Messages the loop has not taken yet pause the WebSocket (its socket is not
 * read), so a slow loop holds the peer back instead of filling memory. The loop ends when the
 * connection closes; it throws the error of a connection that failed. Leaving the loop early
 * (`break`) stops listening and lets reading go on; it does not close the connection.
 */
import type { EventEmitter } from 'node:events';
import type { Data, RawData } from './data.js';

/** What the iterator needs from the WebSocket. */
export interface IterableSocket extends EventEmitter {
  readonly readyState: number;
  readonly isPaused: boolean;
  pause(): void;
  resume(): void;
}

const CLOSED = 3;

export function iterateMessages(ws: IterableSocket): AsyncIterableIterator<Data> {
  const queue: Data[] = [];
  let waiting: { resolve: (result: IteratorResult<Data>) => void; reject: (error: unknown) => void } | null = null;
  let ended = ws.readyState === CLOSED;
  let failure: { error: unknown } | null = null;
  /** We paused the socket (and so must resume it), rather than the application. */
  let pausedByUs = false;

  const onMessage = (data: RawData, isBinary: boolean): void => {
    const message: Data = isBinary ? data : String(data);
    if (waiting !== null) {
      const taker = waiting;
      waiting = null;
      taker.resolve({ value: message, done: false });
      return;
    }
    queue.push(message);
    if (!ws.isPaused) {
      ws.pause();
      pausedByUs = true;
    }
  };
  const onError = (error: unknown): void => {
    failure ??= { error };
  };
  const onClose = (): void => {
    ended = true;
    detach();
    if (waiting === null) return;
    const taker = waiting;
    waiting = null;
    if (failure === null) {
      taker.resolve({ value: undefined, done: true });
      return;
    }
    // Thrown once; the iterator is done after that.
    taker.reject(failure.error);
    failure = null;
  };
  const detach = (): void => {
    ws.removeListener('message', onMessage);
    ws.removeListener('error', onError);
    ws.removeListener('close', onClose);
  };
  const resumeIfOurs = (): void => {
    if (pausedByUs) {
      pausedByUs = false;
      ws.resume();
    }
  };
  if (!ended) {
    ws.on('message', onMessage);
    ws.on('error', onError);
    ws.on('close', onClose);
  }

  const iterator: AsyncIterableIterator<Data> = {
    next(): Promise<IteratorResult<Data>> {
      if (queue.length > 0) {
        const value = queue.shift()!;
        if (queue.length === 0) resumeIfOurs();
        return Promise.resolve({ value, done: false });
      }
      if (ended) {
        if (failure !== null) {
          const { error } = failure;
          // Thrown once; the iterator is done after that.
          failure = null;
          return Promise.reject(error);
        }
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return(): Promise<IteratorResult<Data>> {
      ended = true;
      failure = null;
      queue.length = 0;
      detach();
      resumeIfOurs();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
