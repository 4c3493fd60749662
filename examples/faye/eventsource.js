// faye-websocket's README EventSource server, with only the require path changed: every
// EventSource request gets a message every `INTERVAL` ms (1000 by default); other requests get text.
//   pnpm run build && node examples/faye/eventsource.js   (PORT=0 picks a free port)
var WebSocket   = require('@sansock/node/faye'),
    EventSource = WebSocket.EventSource,
    http        = require('http');

var server = http.createServer();
var interval = Number(process.env.INTERVAL || 1000);

server.on('request', function(request, response) {
  if (EventSource.isEventSource(request)) {
    var es = new EventSource(request, response, { retry: 10, ping: 15 });
    console.log('open', es.url, es.lastEventId);

    // Periodically send messages
    var count = 0;
    var loop = setInterval(function() { es.send('Hello', { event: 'greeting', id: ++count }) }, interval);

    es.on('close', function() {
      clearInterval(loop);
      es = null;
    });

  } else {
    // Normal HTTP request
    response.writeHead(200, {'Content-Type': 'text/plain'});
    response.end('Hello');
  }
});

server.listen(process.env.PORT === undefined ? 8000 : Number(process.env.PORT), '127.0.0.1', function() {
  console.log('listening', server.address().port);
});
