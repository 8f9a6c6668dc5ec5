# security-cases L9: MAIL, a bad RCPT and DATA in one group get 250, an
# error and 503: no 354 without a valid recipient (RFC 2920 3.2)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
+ RCPT TO:<@example.com>
+ DATA
< 250 2.1.0
< 501 5.1.3
< 503 5.5.1
rule data-before-rcpt
phase mail
> QUIT
< 221 2.0.0
