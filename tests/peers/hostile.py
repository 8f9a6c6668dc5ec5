# SPDX-License-Identifier: GPL-3.0-or-later
"""hostile.py - scripted SMTP servers that misbehave, for tests/cli-connect.sh

Usage: hostile.py MODE[,MODE...] PORTFILE [CERT KEY [ESC-CERT ESC-KEY]]

Listens on 127.0.0.1 (loopback only), a port chosen by the system for
each MODE, and writes the ports to PORTFILE, one a line in the order of
the modes, once it listens on them all (one process serves many modes,
since each Python start costs a test a tenth of a second or more).
Serves the connections each MODE needs, each mode in a thread of its
own, then exits; it also exits after LIFETIME seconds whatever happens,
so a test can never leave it behind.  Modes:

  silent        accepts and never sends a greeting
  drip          sends a greeting one octet every quarter second
  long-line     a greeting of 1 MiB without a line end
  many-lines    answers EHLO with "250-x" lines without end
  bad-code      greeting "2a0 hello"
  mixed         answers EHLO with "250-first" then "550 last"
  mid-close     sends "220-partial" and closes
  sloppy        bare LF line ends, an enhanced code of the wrong class,
                a code RFC 5321 does not allow for RCPT
  ehlo-reject   answers EHLO with 500, HELO with 250 (an RFC 821 server)
  ehlo-hangup   closes the connection on EHLO, then (second connection)
                accepts HELO
  inject        STARTTLS whose 220 carries more replies in the same write
                (CERT and KEY for the TLS that follows)
  unsolicited   sends replies nobody asked for after its greeting
  escapes       terminal escape sequences, C1 controls and a CR in its
                greeting, EHLO keyword lines and replies, then STARTTLS
                (ESC-CERT and ESC-KEY when given, else CERT and KEY: the
                names of either may hold escapes too)
  dns           not SMTP: the DNS responder of tests/peers/dns.py, on a
                UDP port, for the whole LIFETIME
"""
import importlib.util
import os
import socket
import sys
import threading
import time

LIFETIME = 60


def readline(conn):
    """One line from the client, without its line end; None at the end
    (ssl.SSLError is an OSError)."""
    buf = b""
    while not buf.endswith(b"\n"):
        try:
            ch = conn.recv(1)
        except (ConnectionError, OSError):
            return None
        if not ch:
            return None
        buf += ch
    return buf.rstrip(b"\r\n").decode("latin-1")


def send(conn, data):
    try:
        conn.sendall(data)
        return True
    except (ConnectionError, OSError):
        return False


def serve_commands(conn, answers, default=b"250 2.0.0 ok\r\n"):
    """Answer each command by its verb until QUIT or the end."""
    while True:
        line = readline(conn)
        if line is None:
            return
        verb = line.split(" ", 1)[0].upper()
        if not send(conn, answers.get(verb, default)):
            return
        if verb == "QUIT":
            return


def wait_close(conn):
    while readline(conn) is not None:
        pass


def mode_silent(conn):
    wait_close(conn)


def mode_drip(conn):
    for ch in b"220 a greeting that takes its time\r\n":
        if not send(conn, bytes([ch])):
            return
        time.sleep(0.25)


def mode_long_line(conn):
    send(conn, b"220 ")
    for _ in range(256):
        if not send(conn, b"A" * 4096):
            return
    wait_close(conn)


def mode_many_lines(conn):
    send(conn, b"220 many.example ESMTP\r\n")
    if readline(conn) is None:
        return
    for _ in range(100000):
        if not send(conn, b"250-x\r\n"):
            return


def mode_bad_code(conn):
    send(conn, b"2a0 hello\r\n")
    wait_close(conn)


def mode_mixed(conn):
    send(conn, b"220 mixed.example ESMTP\r\n")
    if readline(conn) is None:
        return
    send(conn, b"250-first\r\n550 last\r\n")
    wait_close(conn)


def mode_mid_close(conn):
    send(conn, b"220-partial\r\n")


def mode_sloppy(conn):
    send(conn, b"220 sloppy.example ESMTP\n")
    serve_commands(conn, {
        "EHLO": b"250-sloppy.example\n250 ENHANCEDSTATUSCODES\n",
        "MAIL": b"250 5.1.0 sender ok, says the wrong class\r\n",
        "RCPT": b"354 not a reply RCPT can get\r\n",
        "QUIT": b"221 2.0.0 bye\r\n",
    })


def mode_ehlo_reject(conn):
    send(conn, b"220 old.example SMTP\r\n")
    serve_commands(conn, {
        "EHLO": b"500 command not recognized\r\n",
        "HELO": b"250 old.example\r\n",
        "QUIT": b"221 bye\r\n",
    }, default=b"250 ok\r\n")


def mode_ehlo_hangup(conn, nth):
    send(conn, b"220 older.example SMTP\r\n")
    if nth == 0:
        readline(conn)  # EHLO: hang up without a word
        return
    serve_commands(conn, {
        "EHLO": b"500 what\r\n",
        "HELO": b"250 older.example\r\n",
        "QUIT": b"221 bye\r\n",
    }, default=b"250 ok\r\n")


def mode_unsolicited(conn):
    send(conn, b"220 chatty.example ESMTP\r\n")
    readline(conn)
    send(conn, b"250 hello\r\n" + b"250 nobody asked\r\n" * 20)
    wait_close(conn)


def mode_inject(conn, cert, key):
    import ssl  # (only the TLS modes load it)
    send(conn, b"220 inject.example ESMTP\r\n")
    while True:
        line = readline(conn)
        if line is None:
            return
        verb = line.split(" ", 1)[0].upper()
        if verb == "EHLO":
            send(conn, b"250-inject.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
        elif verb == "STARTTLS":
            # the 220 and forged replies in one write (CVE-2021-22947)
            send(conn, b"220 go ahead\r\n250-inject.example\r\n250 AUTH LOGIN\r\n")
            break
        elif verb == "QUIT":
            send(conn, b"221 bye\r\n")
            return
        else:
            send(conn, b"250 ok\r\n")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
    except (ssl.SSLError, OSError):
        return
    serve_commands(tls, {
        "EHLO": b"250-inject.example\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n",
        "QUIT": b"221 bye\r\n",
    })


def mode_escapes(conn, cert, key):
    import ssl
    # OSC 0 sets the window title, OSC 52 writes the clipboard, CSI 2J
    # clears the screen (raw C1 0x9b, and as UTF-8 c2 9b), a CR lets the
    # rest of the line overwrite its start
    send(conn, b"220 esc.example \x1b]0;pwned\x07 ESMTP\r\n")
    ehlo = (b"250-esc.example\r\n"
            b"250-X-\x1b]0;pwned\x07\r\n"
            b"250-X-\x1b]52;c;cHduZWQ=\x07\r\n"
            b"250-\x9b2J\r\n"
            b"250-\xc2\x9b2J\r\n"
            b"250-PIPELINING\r\n"
            b"250 STARTTLS\r\n")
    while True:
        line = readline(conn)
        if line is None:
            return
        verb = line.split(" ", 1)[0].upper()
        if verb == "EHLO":
            send(conn, ehlo)
        elif verb == "STARTTLS":
            send(conn, b"220 go ahead\r\n")
            break
        elif verb == "QUIT":
            send(conn, b"221 bye\x1b[2J\r\n")
            return
        else:
            send(conn, b"250 ok\x1b[2J\x07 bad\rgenuine\r\n")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
    except (ssl.SSLError, OSError):
        return
    serve_commands(tls, {
        "EHLO": b"250-esc.example\r\n250-X-\x1b]0;pwned-tls\x07\r\n250 PIPELINING\r\n",
        "QUIT": b"221 bye\r\n",
    }, default=b"250 ok\x1b]0;pwned\x07\r\n")


def serve(mode, srv, cert, key):
    """The connections MODE needs on the listening socket srv."""
    connections = 2 if mode == "ehlo-hangup" else 1
    for nth in range(connections):
        try:
            conn, _ = srv.accept()
        except (socket.timeout, OSError):
            break
        conn.settimeout(LIFETIME)
        try:
            if mode == "ehlo-hangup":
                mode_ehlo_hangup(conn, nth)
            elif mode == "inject":
                mode_inject(conn, cert, key)
            elif mode == "escapes":
                mode_escapes(conn, cert, key)
            else:
                globals()["mode_" + mode.replace("-", "_")](conn)
        finally:
            try:
                conn.close()
            except OSError:
                pass


def serve_dns(srv):
    """tests/peers/dns.py's responder on the UDP socket srv"""
    spec = importlib.util.spec_from_file_location(
        "dnspeer", os.path.join(os.path.dirname(os.path.abspath(__file__)), "dns.py"))
    dnspeer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dnspeer)
    dnspeer.serve(srv, LIFETIME)


def main():
    modes, portfile = sys.argv[1].split(","), sys.argv[2]
    cert = sys.argv[3] if len(sys.argv) > 3 else None
    key = sys.argv[4] if len(sys.argv) > 4 else None
    esc_cert = sys.argv[5] if len(sys.argv) > 5 else cert
    esc_key = sys.argv[6] if len(sys.argv) > 6 else key
    for mode in modes:
        if mode not in ("ehlo-hangup", "inject", "escapes", "dns") and \
                "mode_" + mode.replace("-", "_") not in globals():
            sys.exit("hostile.py: no mode " + mode)
    timer = threading.Timer(LIFETIME, lambda: os._exit(0))
    timer.daemon = True
    timer.start()
    servers = []
    for mode in modes:
        if mode == "dns":
            srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            srv.bind(("127.0.0.1", 0))
        else:
            srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind(("127.0.0.1", 0))
            srv.listen(4)
            srv.settimeout(LIFETIME)
        servers.append(srv)
    with open(portfile + ".tmp", "w") as f:
        for srv in servers:
            f.write("%d\n" % srv.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    threads = []
    for mode, srv in zip(modes, servers):
        if mode == "dns":
            args = (srv,)
        elif mode == "escapes":
            args = (mode, srv, esc_cert, esc_key)
        else:
            args = (mode, srv, cert, key)
        threads.append(threading.Thread(target=serve_dns if mode == "dns" else serve,
                                        args=args, daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    os._exit(0)


if __name__ == "__main__":
    main()
