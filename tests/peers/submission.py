# SPDX-License-Identifier: GPL-3.0-or-later
"""submission.py - the aiosmtpd servers of tests/cli-connect.sh and
tests/cli-oneliner.sh, all in one process

Usage: submission.py PORTFILE CERT KEY USER PASSWORD SERVER...

Each SERVER is KIND:PORT:MAILDIR, aiosmtpd on 127.0.0.1 (loopback only)
at PORT (0: a port the system chooses) delivering to the Maildir
MAILDIR.  One process serves them all, since each Python that loads
aiosmtpd costs a test a fifth of a second of CPU.  KIND is one of

  mailbox     as `python3 -m aiosmtpd -n -c aiosmtpd.handlers.Mailbox MAILDIR`
  picky       as `python3 -m aiosmtpd -n -u -c picky.Picky MAILDIR`: the
              handler of tests/peers/picky.py, SMTPUTF8 offered
  starttls    as mailbox with `--tlscert CERT --tlskey KEY --no-requiretls`:
              STARTTLS offered, not required
  submission  a submission server: STARTTLS with the throwaway
              certificate CERT, AUTH PLAIN and LOGIN only under TLS
              (aiosmtpd's default), accepting USER with PASSWORD
  implicit    the same with TLS at once (port 465 style, RFC 8314)
              instead of STARTTLS

The ports are written to PORTFILE, one a line in the order of the
servers, once all of them listen.  It exits after LIFETIME seconds.
"""
import asyncio
import logging
import os
import socket
import ssl
import sys

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP, AuthResult

from picky import Picky

LIFETIME = 120


def main():
    portfile, cert, key, user, password = sys.argv[1:6]
    servers = [arg.split(":", 2) for arg in sys.argv[6:]]
    kinds = ("mailbox", "picky", "starttls", "submission", "implicit")
    for server in servers:
        if len(server) != 3 or server[0] not in kinds:
            sys.exit("submission.py: not KIND:PORT:MAILDIR: " + ":".join(server))
    # as python3 -m aiosmtpd does
    logging.basicConfig(level=logging.ERROR)
    cli_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cli_tls.check_hostname = False
    cli_tls.load_cert_chain(cert, key)
    sub_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sub_tls.load_cert_chain(cert, key)
    # the name aiosmtpd's SMTP looks up for each session when given none
    fqdn = socket.getfqdn()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login == user.encode() and
              auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False)

    def factory(kind, maildir):
        if kind in ("submission", "implicit"):
            handler = Mailbox(maildir)
            return lambda: SMTP(handler, hostname="submission.test",
                                tls_context=None if kind == "implicit" else sub_tls,
                                authenticator=authenticator, auth_require_tls=True)
        handler = Picky(maildir) if kind == "picky" else Mailbox(maildir)
        # no --size: no SIZE keyword, no limit
        return lambda: SMTP(handler, hostname=fqdn, data_size_limit=None,
                            enable_SMTPUTF8=kind == "picky",
                            tls_context=cli_tls if kind == "starttls" else None,
                            require_starttls=False)

    async def run():
        loop = asyncio.get_running_loop()
        ports = []
        for kind, port, maildir in servers:
            server = await loop.create_server(
                factory(kind, maildir), "127.0.0.1", int(port),
                ssl=sub_tls if kind == "implicit" else None)
            ports.append(server.sockets[0].getsockname()[1])
        with open(portfile + ".tmp", "w") as f:
            f.write("".join("%d\n" % p for p in ports))
        os.rename(portfile + ".tmp", portfile)
        await asyncio.sleep(LIFETIME)

    asyncio.run(run())


if __name__ == "__main__":
    main()
