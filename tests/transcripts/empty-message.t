# A dot right after the 354 is an empty message, accepted with 250
# (RFC 5321 4.1.1.4; security-cases L8)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
> .
< 250 2.0.0
rule message-accepted
> QUIT
< 221 2.0.0
