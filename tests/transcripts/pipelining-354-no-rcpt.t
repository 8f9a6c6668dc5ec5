# An old server that answers DATA with 354 although every recipient of the
# pipelined group was refused (RFC 2920 3.2 says it SHOULD NOT): the client
# sends a lone dot (RFC 2920 3.1), which gets 554, and no message is sent
persona fifteen
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
+ RCPT TO:<nobody@example.org>
+ DATA
< 250 2.1.0
< 550 5.1.1
< 354 -
rule data-no-recipients
phase data
> .
< 554 5.5.1
rule no-valid-recipients-end
phase ready
> QUIT
< 221 2.0.0
