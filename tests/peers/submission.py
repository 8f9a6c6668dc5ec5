# SPDX-License-Identifier: GPL-3.0-or-later
"""submission.py - aiosmtpd with STARTTLS and AUTH, for tests/cli-connect.sh

Usage: submission.py PORTFILE MAILDIR CERT KEY USER PASSWORD [implicit]

A submission server on 127.0.0.1 (loopback only; port chosen by the
system, written to PORTFILE): STARTTLS with the given throwaway
certificate, AUTH PLAIN and LOGIN only under TLS (aiosmtpd's default),
accepting USER with PASSWORD.  With "implicit", TLS starts at once
(port 465 style, RFC 8314) instead.  Messages go to the Maildir MAILDIR.
It exits after LIFETIME seconds.
"""
import asyncio
import os
import ssl
import sys

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP, AuthResult

LIFETIME = 60


def main():
    portfile, maildir, cert, key, user, password = sys.argv[1:7]
    implicit = len(sys.argv) > 7 and sys.argv[7] == "implicit"
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    handler = Mailbox(maildir)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login == user.encode() and
              auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False)

    def factory():
        return SMTP(handler, hostname="submission.test",
                    tls_context=None if implicit else ctx,
                    authenticator=authenticator, auth_require_tls=True)

    async def run():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(factory, "127.0.0.1", 0,
                                          ssl=ctx if implicit else None)
        port = server.sockets[0].getsockname()[1]
        with open(portfile + ".tmp", "w") as f:
            f.write("%d\n" % port)
        os.rename(portfile + ".tmp", portfile)
        await asyncio.sleep(LIFETIME)
        server.close()

    asyncio.run(run())


if __name__ == "__main__":
    main()
