#!/usr/bin/env node
// WebSocket-Node's README client on the W3C WebSocket API, with only the require path changed.
//   node examples/websocket-node/w3c-client.js [ws://localhost:8080/]
var W3CWebSocket = require('@sansock/node/websocket-node').w3cwebsocket;

var client = new W3CWebSocket(process.argv[2] || 'ws://localhost:8080/', 'echo-protocol');

client.onerror = function () {
  console.log('Connection Error');
};

client.onopen = function () {
  console.log('WebSocket Client Connected');

  function sendNumber() {
    if (client.readyState === client.OPEN) {
      var number = Math.round(Math.random() * 0xffffff);
      client.send(number.toString());
      setTimeout(sendNumber, 1000);
    }
  }
  sendNumber();
};

client.onclose = function () {
  console.log('echo-protocol Client Closed');
};

client.onmessage = function (e) {
  if (typeof e.data === 'string') {
    console.log("Received: '" + e.data + "'");
  }
};
