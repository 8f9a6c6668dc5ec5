# DATA needs a transaction with at least one accepted recipient
# (RFC 5321 3.3); a refused DATA leaves the state as it was (4.1.4)
< 220 -
> EHLO client.example
< 250 -
> DATA
< 503 5.5.1
rule data-before-mail
phase ready
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> DATA
< 503 5.5.1
rule data-before-rcpt
phase mail
# the 503 was not a 354: what follows is a command, not message text
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
phase data
> .
< 250 2.0.0
> QUIT
< 221 2.0.0
