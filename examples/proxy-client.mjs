// A client behind an HTTP CONNECT proxy: sends one message and prints the first reply.
//   pnpm run build && node examples/proxy-client.mjs ws://target.example/ http://user:pass@proxy:3128
//   HTTPS_PROXY=http://proxy:3128 node examples/proxy-client.mjs wss://target.example/ env
import { pathToFileURL } from 'node:url';
import WebSocket from '@sansock/node';

/** Connects to `url` through `proxy` (a URL, or 'env' for HTTP(S)_PROXY / NO_PROXY), sends `message`, resolves with the reply. */
export function askThroughProxy(url, proxy, message = 'hello', options = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { proxy, ...options });
    ws.on('error', reject);
    ws.on('open', () => ws.send(message));
    ws.on('message', (data) => {
      resolve(data.toString());
      ws.close();
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [url, proxy = 'env'] = process.argv.slice(2);
  if (url === undefined) {
    console.error('usage: node examples/proxy-client.mjs <ws-url> [proxy-url|env]');
    process.exit(2);
  }
  askThroughProxy(url, proxy).then(console.log, (error) => {
    console.error(error.message);
    process.exit(1);
  });
}
