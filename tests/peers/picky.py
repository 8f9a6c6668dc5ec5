# SPDX-License-Identifier: GPL-3.0-or-later
"""picky.py - an aiosmtpd handler that refuses some recipients, for
tests/cli-oneliner.sh

Usage: PYTHONPATH=tests/peers python3 -m aiosmtpd -n -l 127.0.0.1:PORT \
           -c picky.Picky MAILDIR
(the tests have tests/peers/submission.py serve it, with the others)

Messages go to the Maildir MAILDIR, as aiosmtpd's Mailbox handler does.
RCPT of a local part starting with "nobody" gets 550 5.1.1, of one
starting with "later" 450 4.2.0 (a greylisting server's answer), and of
one starting with "slow" is accepted after 2.5 seconds (a tarpit); any
other is accepted.  aiosmtpd's -u offers SMTPUTF8.
"""
import asyncio

from aiosmtpd.handlers import Mailbox


class Picky(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("nobody"):
            return "550 5.1.1 <%s>: Recipient address rejected: no such user" % address
        if local.startswith("later"):
            return "450 4.2.0 <%s>: Recipient address rejected: greylisted, try again later" % address
        if local.startswith("slow"):
            # just over the 2 s from which a reply counts as slow
            await asyncio.sleep(2.1)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"
