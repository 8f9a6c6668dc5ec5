#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""clients.py - SMTP clients for tests/cli-listen.sh, on 127.0.0.1 only.

Usage: clients.py PORT MODE [ARG...]; each mode prints what the test
checks and exits 0 when the client itself got what it expected.

  smtplib ADDR           Python's smtplib sends a message to ADDR
  barelf                 a session whose lines end in LF alone
  two                    two sessions at once, their commands interleaved
  longline               a MAIL command of 1 MiB, then QUIT
  longdata               a message with a line of 1 MiB
  rcpts N                MAIL, then N RCPTs pipelined, reading as it goes
  noread SECONDS         commands without ever reading a reply
  idle N SECONDS         N connections that read the greeting, then wait
  silent                 reads the greeting, then says nothing: prints
                         what the server says when it gives up
  ehlo                   smtplib: EHLO, then QUIT; prints each reply code
  bdat                   a message in two BDAT chunks (RFC 3030), then one
                         begun and dropped by RSET
  wait                   connects and waits for whatever the server says
                         (a 421 when it stops), printing it
"""
import resource
import smtplib
import socket
import sys
import time

PORT = int(sys.argv[1])
MODE = sys.argv[2]
ARGS = sys.argv[3:]


def connect():
    c = socket.create_connection(("127.0.0.1", PORT), 10)
    c.settimeout(10)
    return c


def replies(c, n, buf=b""):
    """read until n final reply lines ("ddd ...") came (buf: what
    was read already)"""
    while buf.count(b"\r\n") == 0 or sum(
            1 for l in buf.split(b"\r\n") if len(l) > 3 and l[3:4] == b" ") < n:
        chunk = c.recv(65536)
        if not chunk:
            break
        buf += chunk
    return buf


def send_all(c, data):
    """send everything, non-blocking, reading replies meanwhile; returns
    what was read"""
    got = b""
    c.setblocking(False)
    view = memoryview(data)
    while view:
        try:
            k = c.send(view)
            view = view[k:]
        except BlockingIOError:
            pass
        try:
            k = c.recv(1 << 20)
            if not k:
                break
            got += k
        except BlockingIOError:
            time.sleep(0.001)
    c.setblocking(True)
    c.settimeout(10)
    return got


def main():
    if MODE == "smtplib":
        s = smtplib.SMTP("127.0.0.1", PORT, local_hostname="py.example.com")
        s.sendmail("bob@example.com", [ARGS[0]],
                   "Subject: from smtplib\r\n\r\nHello from Python.\r\n")
        s.quit()
        print("sent")
    elif MODE == "ehlo":
        s = smtplib.SMTP("127.0.0.1", PORT, local_hostname="py.example.com",
                         timeout=30)
        print("EHLO %d" % s.ehlo()[0])
        print("QUIT %d" % s.quit()[0])
    elif MODE == "bdat":
        c = connect()
        replies(c, 1)
        for cmd in (b"EHLO bdat.example.com\r\n", b"MAIL FROM:<a@example.com>\r\n",
                    b"RCPT TO:<alice@example.org>\r\n",
                    b"BDAT 20\r\nSubject: chunks\r\n\r\nA",
                    b"BDAT 17 LAST\r\n.dot stays\r\nend\r\n",
                    b"MAIL FROM:<a@example.com>\r\n", b"RCPT TO:<alice@example.org>\r\n",
                    b"BDAT 5\r\nabcde", b"RSET\r\n", b"QUIT\r\n"):
            c.sendall(cmd)
            print(replies(c, 1).decode().splitlines()[-1])
    elif MODE == "barelf":
        c = connect()
        replies(c, 1)
        for cmd in (b"EHLO lf.example.com\n", b"MAIL FROM:<lf@example.com>\n",
                    b"QUIT\n"):
            c.sendall(cmd)
            print(replies(c, 1).decode().splitlines()[-1])
    elif MODE == "two":
        a, b = connect(), connect()
        replies(a, 1)
        replies(b, 1)
        for x, y in ((b"EHLO a.example.com", b"EHLO b.example.com"),
                     (b"MAIL FROM:<a@example.com>", b"MAIL FROM:<b@example.com>"),
                     (b"RCPT TO:<alice@example.org>", b"RCPT TO:<bob@example.org>"),
                     (b"QUIT", b"QUIT")):
            a.sendall(x + b"\r\n")
            b.sendall(y + b"\r\n")
            print(replies(a, 1).decode().splitlines()[-1])
            print(replies(b, 1).decode().splitlines()[-1])
    elif MODE == "longline":
        c = connect()
        replies(c, 1)
        c.sendall(b"EHLO long.example.com\r\n")
        replies(c, 1)
        got = send_all(c, b"MAIL FROM:<" + b"a" * (1 << 20) + b">\r\n")
        print(replies(c, 1, got).decode().splitlines()[-1])
        c.sendall(b"QUIT\r\n")
        print(replies(c, 1).decode().splitlines()[-1])
    elif MODE == "longdata":
        c = connect()
        replies(c, 1)
        for cmd in (b"EHLO long.example.com", b"MAIL FROM:<a@example.com>",
                    b"RCPT TO:<alice@example.org>", b"DATA"):
            c.sendall(cmd + b"\r\n")
            replies(c, 1)
        got = send_all(c, b"Subject: long\r\n\r\n" + b"b" * (1 << 20) + b"\r\n.\r\n")
        print(replies(c, 1, got).decode().splitlines()[-1])
        c.sendall(b"QUIT\r\n")
        print(replies(c, 1).decode().splitlines()[-1])
    elif MODE == "rcpts":
        n = int(ARGS[0])
        c = connect()
        replies(c, 1)
        c.sendall(b"EHLO many.example.com\r\n")
        replies(c, 1)
        c.sendall(b"MAIL FROM:<a@example.com>\r\n")
        replies(c, 1)
        got = len(send_all(c, b"RCPT TO:<alice@example.org>\r\n" * n))
        c.sendall(b"QUIT\r\n")
        c.settimeout(20)
        while True:
            k = c.recv(1 << 20)
            if not k:
                break
            got += len(k)
        print("got %d octets of replies" % got)
    elif MODE == "noread":
        # a small receive window, set before connecting: the server's
        # replies fill it at once, as they would any client's in time
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.settimeout(10)
        c.connect(("127.0.0.1", PORT))
        c.setblocking(False)
        end = time.monotonic() + float(ARGS[0])
        sent = 0
        while time.monotonic() < end:
            try:
                sent += c.send(b"NOOP\r\n" * 1000)
            except BlockingIOError:
                time.sleep(0.01)
            except OSError:
                print("closed by the server after %d octets" % sent)
                return
        print("still open after %d octets" % sent)
        sys.exit(1)
    elif MODE == "idle":
        n, secs = int(ARGS[0]), float(ARGS[1])
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < n + 64:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 64), hard))
        cs = [connect() for _ in range(n)]
        ok = sum(1 for c in cs if c.recv(512).startswith(b"220 "))
        print("%d greeted" % ok, flush=True)
        time.sleep(secs)
    elif MODE == "silent":
        c = connect()
        c.settimeout(60)
        replies(c, 1)
        print(replies(c, 1).decode().strip())
    elif MODE == "wait":
        c = connect()
        c.settimeout(60)
        replies(c, 1)
        print("greeted", flush=True)
        print(replies(c, 1).decode().strip())
    else:
        sys.exit("clients.py: unknown mode " + MODE)


main()
