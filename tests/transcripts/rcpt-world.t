# RCPT against the simulated world (RFC 5321 3.3, 3.4, 4.2.2; RFC 7504)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
rule rcpt
> RCPT TO:<staff@lists.example.org>
< 250 2.1.5
rule rcpt-list
> RCPT TO:<bob@example.org>
< 251 2.1.5
rule forward
> RCPT TO:<erin@example.org>
< 551 5.1.6
rule moved
> RCPT TO:<frank@example.org>
< 452 4.2.2
rule mailbox-full
> RCPT TO:<grace@example.org>
< 450 4.2.1
rule mailbox-busy
> RCPT TO:<heidi@example.org>
< 550 5.2.1
rule mailbox-disabled
> RCPT TO:<root@example.org>
< 553 5.7.1
rule mailbox-not-allowed
> RCPT TO:<smith@example.org>
< 553 5.1.4
rule mailbox-ambiguous
> RCPT TO:<nobody@example.org>
< 550 5.1.1
rule unknown-user
> RCPT TO:<anyone@null.example>
< 556 5.1.10
rule null-mx
> RCPT TO:<someone@example.com>
< 550 5.7.1
rule relay-denied
> RCPT TO:<Postmaster>
< 250 2.1.5
rule postmaster
> RCPT TO:<postmaster@lists.example.org>
< 250 2.1.5
> DATA
< 354 -
> .
< 250 2.0.0
> QUIT
< 221 2.0.0
