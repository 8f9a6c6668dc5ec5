# SPDX-License-Identifier: GPL-3.0-or-later
"""dns.py - a tiny DNS responder for the MX tests of tests/cli-connect.sh

Usage: dns.py PORTFILE

Answers UDP queries on 127.0.0.1 (loopback only; port chosen by the
system, written to PORTFILE) from the fixed zone below, and exits after
LIFETIME seconds.  tests/peers/hostile.py serves it too, as its mode
"dns", in the process of the other scripted servers.  smtpref sends its queries here when
SMTPREF_NAMESERVER=127.0.0.1:PORT.

  multi.test     MX 20 b.multi.test, MX 10 a.multi.test (out of order);
                 a.multi.test has only ::1 (nothing listens there, so the
                 client must go on to b), b.multi.test is 127.0.0.1
  implicit.test  no MX, A 127.0.0.1 (the implicit MX of RFC 5321 5.1)
  nullmx.test    MX 0 "." (RFC 7505)
  anything else  NXDOMAIN
"""
import os
import socket
import struct
import sys
import time

LIFETIME = 60
A, MX, AAAA = 1, 15, 28

ZONE = {
    ("multi.test", MX): [(20, "b.multi.test"), (10, "a.multi.test")],
    ("a.multi.test", AAAA): ["::1"],
    ("b.multi.test", A): ["127.0.0.1"],
    ("implicit.test", A): ["127.0.0.1"],
    ("nullmx.test", MX): [(0, "")],
}
NAMES = {name for name, _ in ZONE}


def encode_name(name):
    out = b""
    for label in name.split(".") if name else []:
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def parse_question(msg):
    pos, labels = 12, []
    while msg[pos]:
        n = msg[pos]
        labels.append(msg[pos + 1:pos + 1 + n].decode("ascii", "replace"))
        pos += 1 + n
    qtype, qclass = struct.unpack("!HH", msg[pos + 1:pos + 5])
    return ".".join(labels).lower(), qtype, msg[12:pos + 5]


def rdata(qtype, value):
    if qtype == MX:
        return struct.pack("!H", value[0]) + encode_name(value[1])
    if qtype == A:
        return socket.inet_pton(socket.AF_INET, value)
    return socket.inet_pton(socket.AF_INET6, value)


def answer(msg):
    qid = msg[:2]
    name, qtype, question = parse_question(msg)
    records = ZONE.get((name, qtype), [])
    rcode = 0 if name in NAMES else 3  # NXDOMAIN
    flags = 0x8180 | rcode  # response, recursion desired and available
    out = qid + struct.pack("!HHHHH", flags, 1, len(records), 0, 0) + question
    for value in records:
        data = rdata(qtype, value)
        out += b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, 60, len(data)) + data
    return out


def serve(sock, lifetime=LIFETIME):
    """answer the queries that come to the UDP socket SOCK, for LIFETIME
    seconds"""
    end = time.monotonic() + lifetime
    while time.monotonic() < end:
        sock.settimeout(max(0.1, end - time.monotonic()))
        try:
            msg, peer = sock.recvfrom(4096)
        except socket.timeout:
            break
        try:
            sock.sendto(answer(msg), peer)
        except (IndexError, struct.error, OSError):
            continue


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write("%d\n" % sock.getsockname()[1])
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    serve(sock)


if __name__ == "__main__":
    main()
