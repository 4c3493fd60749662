// faye-websocket's README proxy client, with only the require path changed: the connection
// goes through the HTTP CONNECT proxy in `proxy.origin` (credentials from its user info, extra
// headers for the CONNECT request), sends one message, prints the answer, and closes.
//   node examples/faye/proxy-client.js ws://www.example.com/ http://username:password@proxy.example.com
var WebSocket = require('@sansock/node/faye');

var ws = new WebSocket.Client(process.argv[2] || 'ws://www.example.com/', [], {
  proxy: {
    origin:  process.argv[3] || 'http://username:password@proxy.example.com',
    headers: { 'User-Agent': 'node' }
  }
});

ws.on('open', function(event) {
  console.log('open');
  ws.send('Hello, world!');
});

ws.on('message', function(event) {
  console.log('message', event.data);
  ws.close();
});

ws.on('close', function(event) {
  console.log('close', event.code, event.reason);
  ws = null;
});
