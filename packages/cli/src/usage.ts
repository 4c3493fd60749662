/** The help text (kept next to the options it describes, in args.ts's order). */
export const USAGE = `Usage:
  sansock connect <url> [options]   a client: lines typed are sent, messages printed
  sansock listen <port> [options]   a server: echoes by default, or --broadcast what you type

Connect options:
  -H, --header "Name: value"  request header (repeatable)
  -s, --subprotocol <name>    offer a subprotocol (repeatable)
      --no-deflate            do not offer permessage-deflate
      --ca <file>             trust this CA certificate (PEM) for wss:
  -k, --insecure              do not check the server's certificate
      --proxy <url|env>       tunnel through an HTTP CONNECT proxy; "env" reads HTTPS_PROXY/HTTP_PROXY/NO_PROXY
  -x, --execute <message>     send this once connected (repeatable), then close after --wait
  -w, --wait <seconds>        close this long after connecting (after --execute: default 2)

Listen options:
      --host <address>        address to listen on (default: all interfaces)
  -b, --broadcast             send lines typed to every client instead of echoing
      --deflate               accept permessage-deflate
  -s, --subprotocol <name>    accept this subprotocol when offered (repeatable)

Both:
      --json                  JSON lines: one event per line on stdout; stdin lines that are JSON
                              objects are commands: {"send":"..."} {"send":"<hex>","binary":true}
                              {"ping":"..."} {"pong":"..."} {"close":[1000,"bye"]} (+ "client":N when listening)
      --binary-as <hex|base64>  how binary data is printed and typed (default hex)
  -h, --help                  this text

Commands typed in interactive mode:
  /ping [data]  /pong [data]  /close [code [reason]]  /binary <data>  //text sends "/text"

Exit codes:
  0 closed cleanly (1000, 1001 or no code)   1 connection failed   2 usage
  3 closed abnormally (1006), with another code, or after an error
`;
