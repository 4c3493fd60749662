"""A Python `websockets` peer for the interop tests (Debian's python3-websockets).

usage: python-peer.py client <url>      connect, run the script below, print a JSON report
       python-peer.py server            serve on 127.0.0.1:0, print {"port": N}, echo, report on close

The client sends a text, a binary and an empty message and expects them echoed, pings with a
payload, then closes with 4001 "py-bye". The server echoes every message and, when the peer
closes, prints the close code/reason it received.
"""
import asyncio
import json
import sys

import websockets


def emit(obj):
    print(json.dumps(obj), flush=True)


async def run_client(url):
    async with websockets.connect(url, max_size=None) as ws:
        report = {"extensions": [e.name for e in ws.extensions], "echoes": []}
        for message in ["héllo from python", b"\x00\x01\x02\xff", ""]:
            await ws.send(message)
            reply = await ws.recv()
            report["echoes"].append(reply.hex() if isinstance(reply, bytes) else reply)
        big = bytes(range(256)) * 4096  # 1 MiB
        await ws.send(big)
        report["big_ok"] = (await ws.recv()) == big
        pong_waiter = await ws.ping(b"py-ping")
        await pong_waiter
        report["pong"] = True
        await ws.close(4001, "py-bye")
        report["close_code"] = ws.close_code
        emit(report)


async def run_server():
    done = asyncio.get_running_loop().create_future()

    async def echo(ws, path=None):
        try:
            async for message in ws:
                await ws.send(message)
        finally:
            if not done.done():
                done.set_result({"close_code": ws.close_code, "close_reason": ws.close_reason,
                                 "extensions": [e.name for e in ws.extensions]})

    async with websockets.serve(echo, "127.0.0.1", 0, max_size=None) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        emit({"port": port})
        emit(await done)


if __name__ == "__main__":
    if sys.argv[1] == "client":
        asyncio.run(run_client(sys.argv[2]))
    else:
        asyncio.run(run_server())
