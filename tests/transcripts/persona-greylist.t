# Greylisting (RFC 6647 2.1): the first attempt for a sender/recipient
# pair gets 451 4.7.1; the same pair is accepted when the client comes
# back on a new connection
persona greylist
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 451 4.7.1
rule greylisted
phase mail
> QUIT
< 221 2.0.0
reconnect
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
# a new pair is greylisted in its turn
> RCPT TO:<jane.smith@example.org>
< 451 4.7.1
> DATA
< 354 -
> .
< 250 2.0.0
> QUIT
< 221 2.0.0
