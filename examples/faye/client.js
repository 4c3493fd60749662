// faye-websocket's README client, with only the require path changed: connects, sends one
// message, prints what comes back, and closes.
//   node examples/faye/client.js ws://127.0.0.1:8000/
var WebSocket = require('@sansock/node/faye'),
    ws        = new WebSocket.Client(process.argv[2] || 'ws://127.0.0.1:8000/', ['echo']);

ws.on('open', function(event) {
  console.log('open', ws.protocol);
  ws.send('Hello, world!');
});

ws.onmessage = function(event) {
  console.log('message', event.data);
  ws.close(1000, 'done');
};

ws.on('close', function(event) {
  console.log('close', event.code, event.reason);
  ws = null;
});
