/** HTTP responses a server writes during the handshake: the 101, and rejections (RFC 9110 §15). */
import { InvalidArgumentError } from '../errors.js';
import { HeaderList, type HeaderInput } from './header-list.js';
import { formatFields, latin1Encode } from './http-text.js';

/** RFC 9110 §15 (plus 101/426/428/429/431 from RFC 6585 etc.): the standard reason phrases. */
export const STATUS_REASONS: Readonly<Record<number, string>> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a Teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
};

/** The reason phrase for a status ('' for one without a standard phrase; the phrase is optional, RFC 9112 §4). */
export const reasonPhrase = (status: number): string => STATUS_REASONS[status] ?? '';

/** "HTTP/1.1 <status> <reason>\r\n" + headers + "\r\n" (+ body, UTF-8 if a string) as bytes. */
export function serializeResponse(status: number, headers: HeaderInput, body?: Uint8Array | string): Uint8Array {
  if (!Number.isInteger(status) || status < 100 || status > 999) {
    throw new InvalidArgumentError(`Invalid HTTP status: ${status}`);
  }
  const head = latin1Encode(
    `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\n${formatFields(HeaderList.from(headers).entries())}\r\n`,
  );
  if (body === undefined || body.length === 0) return head;
  const bodyBytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const out = new Uint8Array(head.length + bodyBytes.length);
  out.set(head);
  out.set(bodyBytes, head.length);
  return out;
}

/**
 * A rejection like `ws`'s abortHandshake: `Connection: close`, `Content-Type: text/html`,
 * `Content-Length`, body = `message` or the reason phrase. Extra headers come after, and one
 * with the same name as ours replaces it (as `ws`'s object spread does).
 */
export function createRejectResponse(
  status: number,
  options: { readonly message?: string; readonly headers?: HeaderInput } = {},
): Uint8Array {
  const body = new TextEncoder().encode(options.message || reasonPhrase(status));
  const extra = HeaderList.from(options.headers ?? []);
  const ours: Array<[string, string]> = [
    ['Connection', 'close'],
    ['Content-Type', 'text/html'],
    ['Content-Length', String(body.length)],
  ];
  const fields = [...ours.filter(([name]) => !extra.has(name)), ...extra.entries()];
  return serializeResponse(status, fields, body);
}
