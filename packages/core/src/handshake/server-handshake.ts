/** The server side of the opening handshake over raw bytes (for servers with no HTTP stack). */
import { HandshakeError, InvalidArgumentError, InvalidStateError } from '../errors.js';
import type { Extension } from '../extension.js';
import type { HeaderInput } from './header-list.js';
import { HttpHeadParser, type HttpHeadLimits, type HttpRequestHead } from './http-head-parser.js';
import { createRejectResponse, serializeResponse } from './http-response.js';
import { negotiateExtensions } from './negotiate-extensions.js';
import {
  createAcceptHeaders,
  validateClientRequest,
  type ServerHandshakeOptions,
  type ValidatedRequest,
} from './server-request.js';

/**
 * Feed received bytes to `receiveData` until it returns something other than null. On a
 * HandshakeError, write `reject(error.status, { headers: error.headers })` and close; on a
 * validated request, decide (subprotocol, authentication...) and write `accept()`'s response
 * or a rejection.
 */
export class ServerHandshake {
  private readonly parser: HttpHeadParser<'request'>;
  private readonly options: ServerHandshakeOptions;
  private validated: ValidatedRequest | undefined;
  /** A failure is latched: later calls to receiveData return it again. */
  private failure: HandshakeError | undefined;
  private accepted = false;

  constructor(options: ServerHandshakeOptions & HttpHeadLimits = {}) {
    this.options = options;
    this.parser = new HttpHeadParser('request', options);
  }

  receiveData(
    bytes: Uint8Array,
  ): null | HandshakeError | { readonly request: ValidatedRequest; readonly head: HttpRequestHead; readonly rest: Uint8Array } {
    if (this.failure !== undefined) return this.failure;
    if (this.validated !== undefined) {
      throw new InvalidStateError('server handshake', 'validated', 'receive more handshake data');
    }
    const head = this.parser.push(bytes);
    if (head === null) return null;
    if (head instanceof HandshakeError) return (this.failure = head);
    const request = validateClientRequest(head, this.options);
    if (request instanceof HandshakeError) return (this.failure = request);
    this.validated = request;
    return { request, head, rest: this.parser.rest };
  }

  /**
   * After a validated request: negotiates extensions and builds the 101 response. `protocol`
   * must be one the client offered (else InvalidArgumentError: local misuse); by default none
   * is chosen. A HandshakeError (status 400) if an extension factory refused the offers.
   */
  accept(
    options: { readonly protocol?: string; readonly headers?: HeaderInput } = {},
  ):
    | { readonly response: Uint8Array; readonly protocol: string; readonly extensions: Extension[]; readonly extensionsHeader: string }
    | HandshakeError {
    const request = this.validated;
    if (request === undefined) throw new InvalidStateError('server handshake', 'not validated', 'accept');
    if (this.accepted) throw new InvalidStateError('server handshake', 'accepted', 'accept again');
    const protocol = options.protocol ?? '';
    if (protocol !== '' && !request.protocols.includes(protocol)) {
      throw new InvalidArgumentError(`Subprotocol ${JSON.stringify(protocol)} was not offered by the client`);
    }
    const negotiated = negotiateExtensions(request.extensionOffers, this.options.extensions ?? []);
    if (negotiated instanceof HandshakeError) return negotiated;
    let headers: Array<[string, string]>;
    try {
      headers = createAcceptHeaders(request, {
        protocol,
        extensionsHeader: negotiated.header,
        headers: options.headers ?? [],
        sha1Base64: this.options.sha1Base64,
      });
    } catch (error) {
      for (const extension of negotiated.extensions) extension.dispose?.();
      throw error;
    }
    this.accepted = true;
    return {
      response: serializeResponse(101, headers),
      protocol,
      extensions: negotiated.extensions,
      extensionsHeader: negotiated.header,
    };
  }

  /** A rejection response to write before closing (see `createRejectResponse`). */
  reject(status: number, options: { readonly message?: string; readonly headers?: HeaderInput } = {}): Uint8Array {
    return createRejectResponse(status, options);
  }
}
