# The strict persona answers a space after the colon with 501
# (RFC 5321 3.3, 4.1.2)
persona strict
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM: <ann@example.com>
< 501 5.5.2
rule space-after-colon
phase ready
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO: <alice@example.org>
< 501 5.5.2
phase mail
> QUIT
< 221 2.0.0
