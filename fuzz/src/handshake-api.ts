/** The core's opening-handshake API, as the fuzz suite uses it (one place to adjust if it moves). */
export {
  HandshakeError,
  HttpHeadParser,
  ServerHandshake,
  computeAcceptKey,
  formatExtensionHeader,
  isToken,
  parseExtensionHeader,
  parseTokenList,
  validateClientRequest,
} from '@sansock/core';
export type { HttpRequestHead, HttpResponseHead, IncomingRequest } from '@sansock/core';
