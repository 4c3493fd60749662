/**
 * The application's part of a server handshake, the same whether the request came as an
 * HTTP/1.1 upgrade or as an RFC 8441 extended CONNECT stream: `verifyClient` (synchronous or
 * asynchronous, told apart by arity as `ws` does) and the choice of subprotocol.
 */
import type http from 'node:http';

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
