/** The client side of the opening handshake over raw bytes (for clients with no HTTP stack). */
import { HandshakeError, InvalidStateError } from '../errors.js';
import { createClientRequest, serializeRequest, type ClientRequest, type ClientRequestOptions } from './client-request.js';
import { validateServerResponse, type AcceptedResponse } from './client-response.js';
import { HttpHeadParser, type HttpHeadLimits, type HttpResponseHead } from './http-head-parser.js';

type ClientOutcome = { readonly accepted: AcceptedResponse; readonly response: HttpResponseHead; readonly rest: Uint8Array };

/**
 * Write `bytes`, then feed what the server sends to `receiveData` until it returns something
 * other than null. After success, `rest` holds the first frames if they came with the head:
 * hand them to the Connection.
 */
export class ClientHandshake {
  readonly request: ClientRequest;
  /** The serialized request to write. */
  readonly bytes: Uint8Array;
  private readonly parser: HttpHeadParser<'response'>;
  private outcome: ClientOutcome | HandshakeError | null = null;

  /** Throws InvalidArgumentError on bad options (local misuse), like `createClientRequest`. */
  constructor(options: ClientRequestOptions & HttpHeadLimits) {
    this.request = createClientRequest(options);
    this.bytes = serializeRequest(this.request);
    this.parser = new HttpHeadParser('response', options);
  }

  /**
   * null = need more bytes; a HandshakeError (a malformed or oversized response head, or a
   * response that fails §4.1's checks: `status` is the received status when there was one;
   * later calls return it again); or the accepted response (later calls throw
   * InvalidStateError: the bytes belong to the Connection now).
   */
  receiveData(bytes: Uint8Array): null | HandshakeError | ClientOutcome {
    if (this.outcome instanceof HandshakeError) return this.outcome;
    if (this.outcome !== null) throw new InvalidStateError('client handshake', 'complete', 'receive more handshake data');
    const head = this.parser.push(bytes);
    if (head === null) return null;
    if (head instanceof HandshakeError) {
      this.outcome = head;
      return head;
    }
    const accepted = validateServerResponse(this.request, head);
    this.outcome = accepted instanceof HandshakeError ? accepted : { accepted, response: head, rest: this.parser.rest };
    return this.outcome;
  }
}
