/**
 * `createWebSocketStream(ws, options)`: the WebSocket as a Duplex, like `ws`'s. Backpressure
 * goes both ways: a full readable side pauses the WebSocket (which stops reading its socket),
 * and a write completes at once while the WebSocket's `bufferedAmount` is within its
 * `sendHighWaterMark`, else when its frame has been flushed to the socket (`ws` always waits
 * for the flush: one frame in flight at a time).
 */
import { Duplex, type DuplexOptions } from 'node:stream';
import { CLOSED, CONNECTING } from './constants.js';
import type { RawData } from './data.js';
import type { WebSocket } from './websocket.js';

export function createWebSocketStream(ws: WebSocket, options?: DuplexOptions): Duplex {
  let terminateOnDestroy = true;
  const duplex = new Duplex({
    ...options,
    autoDestroy: false,
    emitClose: false,
    objectMode: false,
    writableObjectMode: false,
  });

  const onMessage = (data: RawData, isBinary: boolean): void => {
    // Text as a string in readable object mode, as `ws` does.
    const chunk = !isBinary && duplex.readableObjectMode ? String(data) : data;
    if (!duplex.push(chunk)) ws.pause();
  };
  ws.on('message', onMessage);

  ws.once('error', (error: Error) => {
    if (duplex.destroyed) return;
    // The WebSocket is already failing; destroying the stream must not terminate it again.
    terminateOnDestroy = false;
    duplex.destroy(error);
  });

  ws.once('close', () => {
    if (duplex.destroyed) return;
    duplex.push(null);
  });

  duplex._destroy = (error, callback) => {
    if (ws.readyState === CLOSED) {
      callback(error);
      process.nextTick(() => duplex.emit('close'));
      return;
    }
    let called = false;
    ws.once('error', (wsError: Error) => {
      called = true;
      callback(wsError);
    });
    ws.once('close', () => {
      if (!called) callback(error);
      process.nextTick(() => duplex.emit('close'));
    });
    if (terminateOnDestroy) ws.terminate();
  };

  duplex._final = (callback) => {
    if (ws.readyState === CONNECTING) {
      ws.once('open', () => duplex._final(callback));
      return;
    }
    const socket = ws._socket;
    // Never opened (the handshake failed): the 'error'/'close' of the WebSocket end the stream.
    if (socket === undefined) return;
    if (socket.writableFinished) {
      // Our side of TCP is already closed: the writable side is done, and if the readable
      // side has ended too the stream is over.
      callback();
      if (duplex.readableEnded) duplex.destroy();
      return;
    }
    // Ending the writable side starts the closing handshake; it is final once our side of TCP is.
    socket.once('finish', () => callback());
    ws.close();
  };

  duplex._read = () => {
    if (ws.isPaused) ws.resume();
  };

  duplex._write = (chunk: Buffer | string, _encoding, callback) => {
    if (ws.readyState === CONNECTING) {
      ws.once('open', () => duplex._write(chunk, _encoding, callback));
      return;
    }
    // The WebSocket's send high-water mark paces the stream: below it a write completes at
    // once, past it when its frame has been written (by then the queue before it is gone).
    let completed = false;
    const accepted = ws.send(chunk, (error) => {
      if (!completed) {
        completed = true;
        callback(error ?? null);
      } else if (error && !duplex.destroyed) {
        // Failed after the stream moved on (the connection dropped): the stream fails with it.
        duplex.destroy(error);
      }
    });
    if (accepted) {
      completed = true;
      callback(null);
    }
  };

  duplex.on('end', () => {
    if (!duplex.destroyed && duplex.writableFinished) duplex.destroy();
  });
  const onError = (error: Error): void => {
    // `ws`: the first error destroys the stream, and still throws if nobody else listens.
    duplex.removeListener('error', onError);
    duplex.destroy();
    if (duplex.listenerCount('error') === 0) duplex.emit('error', error);
  };
  duplex.on('error', onError);
  return duplex;
}
