/** Exit codes a script can rely on (documented in the README). */
export const EXIT = {
  /** Closed cleanly (1000, 1001 or no status code), or a server stopped by a signal or end of input. */
  OK: 0,
  /** The connection never opened (refused, handshake rejected, TLS, proxy), or the server could not listen. */
  CONNECTION_FAILED: 1,
  /** Bad command line (unknown option, missing argument, unreadable --ca file). */
  USAGE: 2,
  /** Opened, then closed abnormally (1006), with any other close code, or after an error. */
  ABNORMAL_CLOSE: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Close codes that mean "all went well". */
export function isCleanClose(code: number): boolean {
  return code === 1000 || code === 1001 || code === 1005;
}
