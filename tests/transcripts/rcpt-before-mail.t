# RCPT with no transaction open MUST get 503 (RFC 5321 3.3)
< 220 -
> EHLO client.example
< 250 -
> RCPT TO:<alice@example.org>
< 503 5.5.1
rule rcpt-before-mail
phase ready
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> QUIT
< 221 2.0.0
