#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""clients.py - SMTP clients for tests/cli-listen.sh, on 127.0.0.1 only.

Usage: clients.py PORT MODE [ARG...]; each mode prints what the test
checks and exits 0 when the client itself got what it expected.

Or: clients.py PORT STEP...; each STEP is @OUT MODE [ARG...] (the mode
runs to its end before the next step starts) or &OUT MODE [ARG...] (it
runs in a thread of its own, while the next steps go on): the mode
prints to the file OUT, and writes its exit status to OUT.status when
it ends.  One process for many clients, since each Python start costs
a test some 30 ms of CPU.  Once every step has ended, it exits 0, or 1
when any mode did not.  What happens is told on standard output, a line
an event, for a test to wait for: "OUT: LINE" for each line a mode
prints, "OUT ended STATUS" when it ends.

A client never runs longer than LIFETIME seconds, whatever happens.

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
import signal
import socket
import sys
import threading
import time

LIFETIME = 60
PORT = int(sys.argv[1])


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


def client(mode, args, print=print):
    """the client MODE with its ARGS, printing with print"""
    if mode in ("smtplib", "ehlo"):
        import smtplib  # the others have no need of it: half the start
    if mode == "smtplib":
        s = smtplib.SMTP("127.0.0.1", PORT, local_hostname="py.example.com")
        s.sendmail("bob@example.com", [args[0]],
                   "Subject: from smtplib\r\n\r\nHello from Python.\r\n")
        s.quit()
        print("sent")
    elif mode == "ehlo":
        s = smtplib.SMTP("127.0.0.1", PORT, local_hostname="py.example.com",
                         timeout=30)
        print("EHLO %d" % s.ehlo()[0])
        print("QUIT %d" % s.quit()[0])
    elif mode == "bdat":
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
    elif mode == "barelf":
        c = connect()
        replies(c, 1)
        for cmd in (b"EHLO lf.example.com\n", b"MAIL FROM:<lf@example.com>\n",
                    b"QUIT\n"):
            c.sendall(cmd)
            print(replies(c, 1).decode().splitlines()[-1])
    elif mode == "two":
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
    elif mode == "longline":
        c = connect()
        replies(c, 1)
        c.sendall(b"EHLO long.example.com\r\n")
        replies(c, 1)
        got = send_all(c, b"MAIL FROM:<" + b"a" * (1 << 20) + b">\r\n")
        print(replies(c, 1, got).decode().splitlines()[-1])
        c.sendall(b"QUIT\r\n")
        print(replies(c, 1).decode().splitlines()[-1])
    elif mode == "longdata":
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
    elif mode == "rcpts":
        n = int(args[0])
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
    elif mode == "noread":
        # a small receive window, set before connecting: the server's
        # replies fill it at once, as they would any client's in time
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.settimeout(10)
        c.connect(("127.0.0.1", PORT))
        c.setblocking(False)
        end = time.monotonic() + float(args[0])
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
    elif mode == "idle":
        n, secs = int(args[0]), float(args[1])
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < n + 64:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 64), hard))
        cs = [connect() for _ in range(n)]
        ok = sum(1 for c in cs if c.recv(512).startswith(b"220 "))
        print("%d greeted" % ok, flush=True)
        time.sleep(secs)
    elif mode == "silent":
        c = connect()
        c.settimeout(60)
        replies(c, 1)
        print(replies(c, 1).decode().strip())
    elif mode == "wait":
        c = connect()
        c.settimeout(60)
        replies(c, 1)
        print("greeted", flush=True)
        print(replies(c, 1).decode().strip())
    else:
        sys.exit("clients.py: unknown mode " + mode)


EVENTS = threading.Lock()


def event(line):
    """tell LINE on standard output, at once"""
    with EVENTS:
        try:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
        except OSError:
            pass


def step(out, mode, args):
    """run the client MODE with its output in the file OUT, and its exit
    status in OUT.status; returns that status"""
    with open(out, "w") as f:
        def fprint(*what, flush=False):
            line = " ".join(str(w) for w in what)
            f.write(line + "\n")
            f.flush()
            event("%s: %s" % (out, line))
        try:
            client(mode, args, fprint)
            status = 0
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else 1
            if not isinstance(e.code, int):
                fprint(e.code)
        except Exception as e:
            fprint("clients.py: %s: %r" % (mode, e))
            status = 1
    with open(out + ".status", "w") as f:
        f.write("%d\n" % status)
    event("%s ended %d" % (out, status))
    return status


def main():
    # a bound on the whole run: SIGALRM ends the process
    signal.alarm(LIFETIME)
    if not sys.argv[2][:1] in ("@", "&"):
        client(sys.argv[2], sys.argv[3:])
        return
    steps, args = [], sys.argv[2:]
    while args:
        n = 2
        while n < len(args) and args[n][:1] not in ("@", "&"):
            n += 1
        steps.append(args[:n])
        args = args[n:]
    statuses, threads = [], []
    for out, mode, *margs in steps:
        if out[0] == "&":
            t = threading.Thread(target=lambda o=out[1:], m=mode, a=margs:
                                 statuses.append(step(o, m, a)))
            t.start()
            threads.append(t)
        else:
            statuses.append(step(out[1:], mode, margs))
    for t in threads:
        t.join()
    sys.exit(1 if any(statuses) else 0)


main()
