#!/usr/bin/env node
// WebSocket-Node's README client, with only the require path changed: prints the UTF-8
// messages it receives and sends a random number every second.
//   node examples/websocket-node/client.js [ws://localhost:8080/]
var WebSocketClient = require('@sansock/node/websocket-node').client;

var client = new WebSocketClient();

client.on('connectFailed', function (error) {
  console.log('Connect Error: ' + error.toString());
});

client.on('connect', function (connection) {
  console.log('WebSocket Client Connected');
  connection.on('error', function (error) {
    console.log('Connection Error: ' + error.toString());
  });
  connection.on('close', function () {
    console.log('echo-protocol Connection Closed');
  });
  connection.on('message', function (message) {
    if (message.type === 'utf8') {
      console.log("Received: '" + message.utf8Data + "'");
    }
  });

  function sendNumber() {
    if (connection.connected) {
      var number = Math.round(Math.random() * 0xffffff);
      connection.sendUTF(number.toString());
      setTimeout(sendNumber, 1000);
    }
  }
  sendNumber();
});

client.connect(process.argv[2] || 'ws://localhost:8080/', 'echo-protocol');
