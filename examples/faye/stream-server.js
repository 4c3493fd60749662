// faye-websocket's README server in its other forms, with only the require path changed: the
// WebSocket as a duplex stream (`ws.pipe(ws)` echoes), subprotocol negotiation, the
// permessage-deflate extension, and `ws.ping(message, callback)` whose callback fires on the
// matching pong.
//   pnpm run build && node examples/faye/stream-server.js   (PORT=0 picks a free port; needs
//   the permessage-deflate package)
var WebSocket = require('@sansock/node/faye'),
    deflate   = require('permessage-deflate'),
    http      = require('http');

var server = http.createServer();

server.on('upgrade', function(request, socket, body) {
  if (WebSocket.isWebSocket(request)) {
    var ws = new WebSocket(request, socket, body, ['irc', 'amqp'], { extensions: [deflate] });

    ws.pipe(ws);

    ws.on('open', function() {
      console.log('open', ws.protocol);
      ws.ping('Mic check, one, two', function() {
        // fires when pong is received
        console.log('pong received');
      });
    });

    ws.on('close', function(event) {
      console.log('close', event.code, event.reason);
      ws = null;
    });
  }
});

server.listen(process.env.PORT === undefined ? 8000 : Number(process.env.PORT), '127.0.0.1', function() {
  console.log('listening', server.address().port);
});
