/**
 * Reads an HTTP response head off a raw socket with the core's parser (the faye client talks
 * HTTP itself, as websocket-driver does, so a proxy tunnel and TLS can sit underneath). The
 * socket is left paused with no reader of ours once the head is in; bytes after it are handed on.
 */
import type { Duplex } from 'node:stream';
import { HandshakeError, type HttpResponseHead, HttpHeadParser } from '@sansock/core';

export interface HeadReader {
  /** Stop listening (the connection was given up). */
  cancel(): void;
}

export function readResponseHead(
  socket: Duplex,
  onHead: (head: HttpResponseHead, rest: Uint8Array) => void,
  onError: (error: Error) => void,
): HeadReader {
  const parser = new HttpHeadParser('response');
  const stop = (): void => {
    socket.removeListener('data', onData);
    socket.removeListener('error', onSocketError);
    socket.removeListener('close', onSocketClose);
  };
  const onData = (chunk: Buffer): void => {
    const result = parser.push(chunk);
    if (result === null) return;
    // Later bytes are WebSocket frames: nothing may flow until their reader is attached.
    socket.pause();
    stop();
    if (result instanceof HandshakeError) onError(result);
    else onHead(result, parser.rest);
  };
  const onSocketError = (error: Error): void => {
    stop();
    onError(error);
  };
  const onSocketClose = (): void => {
    stop();
    onError(new Error('The connection closed before the response arrived'));
  };
  socket.on('data', onData);
  socket.on('error', onSocketError);
  socket.on('close', onSocketClose);
  return { cancel: stop };
}

/** Response headers as websocket-driver exposes them: lower-case names, repeated fields joined. */
export function headerObject(head: HttpResponseHead): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of head.headers) {
    const key = name.toLowerCase();
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
  }
  return out;
}
