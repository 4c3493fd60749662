#!/usr/bin/env node
// WebSocket-Node's README server, with only the require path changed: it echoes back anything
// sent to it, UTF-8 or binary, to clients that ask for 'echo-protocol'.
//   pnpm run build && node examples/websocket-node/echo-server.js   (PORT=0 picks a free port)
var WebSocketServer = require('@sansock/node/websocket-node').server;
var http = require('http');

var port = process.env.PORT !== undefined ? Number(process.env.PORT) : 8080;

var server = http.createServer(function (request, response) {
  console.log(new Date() + ' Received request for ' + request.url);
  response.writeHead(404);
  response.end();
});
server.listen(port, '127.0.0.1', function () {
  console.log(new Date() + ' Server is listening on port ' + server.address().port);
});

var wsServer = new WebSocketServer({
  httpServer: server,
  // You should not use autoAcceptConnections for production applications: always verify the
  // connection's origin and decide whether or not to accept it.
  autoAcceptConnections: false,
});

function originIsAllowed(origin) {
  // put logic here to detect whether the specified origin is allowed.
  return true;
}

wsServer.on('request', function (request) {
  if (!originIsAllowed(request.origin)) {
    // Make sure we only accept requests from an allowed origin
    request.reject();
    console.log(new Date() + ' Connection from origin ' + request.origin + ' rejected.');
    return;
  }

  var connection = request.accept('echo-protocol', request.origin);
  console.log(new Date() + ' Connection accepted.');
  connection.on('message', function (message) {
    if (message.type === 'utf8') {
      console.log('Received Message: ' + message.utf8Data);
      connection.sendUTF(message.utf8Data);
    } else if (message.type === 'binary') {
      console.log('Received Binary Message of ' + message.binaryData.length + ' bytes');
      connection.sendBytes(message.binaryData);
    }
  });
  connection.on('close', function (reasonCode, description) {
    console.log(new Date() + ' Peer ' + connection.remoteAddress + ' disconnected.');
  });
});
