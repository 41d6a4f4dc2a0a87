#!/usr/bin/env python3
"""Scripted SMTP misbehaviour for the test bed, for what no real server does on demand.

Run inside the namespace by scripts/testbed: `responder.py [--pidfile=PATH] MODE=IP:PORT ...` with MODE one of
  tarpit   accept the connection and never say anything (no banner); hold it until the client leaves
  drop     a 220 banner, then close the connection as soon as the client's EHLO/HELO arrives
  garbage  answer with bytes that are not SMTP (an HTTP error page with binary junk), then close
"""
import asyncio
import os
import signal
import sys

BANNER_DROP = b"220 mx.drop.test ESMTP ready\r\n"
GARBAGE = (b"HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\n\r\n"
           b"<html><body>\x00\xff\xfe garbage \x1b[0m</body></html>\r\n")


async def tarpit(reader, writer):
    try:
        while await reader.read(4096):   # swallow whatever comes, never answer
            pass
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def drop(reader, writer):
    try:
        writer.write(BANNER_DROP)
        await writer.drain()
        await asyncio.wait_for(reader.readline(), 30)
    except (ConnectionError, asyncio.TimeoutError):
        pass
    finally:
        writer.close()


async def garbage(reader, writer):
    try:
        writer.write(GARBAGE)
        await writer.drain()
        await asyncio.sleep(0.5)
    except ConnectionError:
        pass
    finally:
        writer.close()


HANDLERS = {"tarpit": tarpit, "drop": drop, "garbage": garbage}


async def main(specs):
    servers = []
    for spec in specs:
        mode, _, where = spec.partition("=")
        host, _, port = where.rpartition(":")
        servers.append(await asyncio.start_server(HANDLERS[mode], host, int(port), reuse_address=True))
        print(f"listening {mode} on {host}:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for s in servers:
        s.close()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("--pidfile="):
        with open(sys.argv.pop(1).partition("=")[2], "w") as f:
            f.write(f"{os.getpid()}\n")
    if len(sys.argv) < 2 or any(a.partition("=")[0] not in HANDLERS for a in sys.argv[1:]):
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1:]))
