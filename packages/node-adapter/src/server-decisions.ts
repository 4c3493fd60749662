/**
 * The application's part of a server handshake, the same whether the request came as an
 * HTTP/1.1 upgrade or as an RFC 8441 extended CONNECT stream: `verifyClient` (synchronous or
 * asynchronous, told apart by arity as `ws` does) and the choice of subprotocol.
 */
import type http from 'node:http';
import { HandshakeError } from '@sansock/core';

/**
 * The status the ws API answers a bad request with, on either path. The core suggests 426 for a
 * wrong or missing Sec-WebSocket-Version (RFC 6455 §4.4's "such as 426"); `ws` answers 400, as
 * §4.4's own example does, with the same Sec-WebSocket-Version header. A 'wsClientError'
 * listener gets the error with the status that would have been sent.
 */
export function asWsRejection(error: HandshakeError): HandshakeError {
  if (error.code !== 'WS_ERR_UNSUPPORTED_VERSION' || error.status === 400) return error;
  const rejection = new HandshakeError(error.message, error.code, 400, error.headers);
  rejection.stack = error.stack; // same name and message: where the core found the fault is the useful trace
  return rejection;
}

/** What a rejection carries: `ws`'s status (401 unless the async callback gives one), message and extra headers. */
export type RejectHandshake = (code: number, message?: string, headers?: http.OutgoingHttpHeaders) => void;

type VerifyDone = (verified: boolean, code?: number, message?: string, headers?: http.OutgoingHttpHeaders) => void;

/** Runs `verifyClient` when there is one, then `accept()`, or `reject(...)` if the application refused. */
export function verifyThen<I>(
  verifyClient: ((...args: never[]) => unknown) | undefined,
  info: I,
  reject: RejectHandshake,
  accept: () => void,
): void {
  if (verifyClient === undefined) {
    accept();
    return;
  }
  if (verifyClient.length === 2) {
    (verifyClient as unknown as (info: I, done: VerifyDone) => void)(info, (verified, code, message, headers) => {
      if (verified) accept();
      else reject(code || 401, message, headers);
    });
    return;
  }
  if ((verifyClient as unknown as (info: I) => boolean)(info)) accept();
  else reject(401);
}

/** The subprotocol to answer with: `handleProtocols`' choice, else the client's first; '' for none. */
export function chooseProtocol(
  offered: readonly string[],
  handleProtocols: ((protocols: Set<string>, request: http.IncomingMessage) => string | false | null | undefined) | undefined,
  request: http.IncomingMessage,
): string {
  if (offered.length === 0) return '';
  const chosen = handleProtocols ? handleProtocols(new Set(offered), request) : offered[0];
  return chosen || '';
}
