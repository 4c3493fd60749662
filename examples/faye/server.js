// faye-websocket's README server, with only the require path changed: an http server whose
// 'upgrade' handler turns WebSocket requests into faye WebSockets that echo every message.
//   pnpm run build && node examples/faye/server.js        (PORT=0 picks a free port)
var WebSocket = require('@sansock/node/faye'),
    http      = require('http');

var server = http.createServer();

server.on('upgrade', function(request, socket, body) {
  if (WebSocket.isWebSocket(request)) {
    var ws = new WebSocket(request, socket, body, ['echo'], { ping: 5 });

    ws.on('message', function(event) {
      ws.send(event.data);
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
