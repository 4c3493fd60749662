/**
 * Which shared bytes suit a member for a compressed publish (RFC 7692). A frame compressed on
 * its own, with no earlier context, can be inflated by every peer that negotiated
 * server_no_context_takeover (§7.1.1.1) and a server window at least as large (§7.1.2.1).
 */
import type { DeflateParams, Extension } from '@sansock/core';

/**
 * - 'plain': no permessage-deflate: the uncompressed frame.
 * - a number: permessage-deflate without server context takeover, with that LZ77 window
 *   (bits): one frame compressed per window size suits every such member.
 * - 'own': permessage-deflate with context takeover: the message must go through the socket's
 *   own compressor (its context would otherwise diverge from the peer's).
 */
export type FrameShape = 'plain' | 'own' | number;

const EXTENSION_NAME = 'permessage-deflate';

export function frameShapeOf(extensions: readonly Extension[]): FrameShape {
  for (const extension of extensions) {
    if (extension.name !== EXTENSION_NAME) continue;
    const params = (extension as Extension & { readonly params?: DeflateParams }).params;
    if (params === undefined || !params.serverNoContextTakeover) return 'own';
    const bits = params.serverMaxWindowBits ?? 15;
    // zlib's raw deflate cannot make an 8-bit window (it uses 9), so such a peer gets its own.
    return bits < 9 ? 'own' : bits;
  }
  return 'plain';
}
