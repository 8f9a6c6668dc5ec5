# A new EHLO in the middle of a transaction clears it exactly as RSET
# would (RFC 5321 4.1.4)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> EHLO client.example
< 250 -
event ehlo-resets
phase ready
> DATA
< 503 5.5.1
rule data-before-mail
> RCPT TO:<alice@example.org>
< 503 5.5.1
rule rcpt-before-mail
# a refused EHLO leaves the state alone (RFC 5321 4.1.4)
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> EHLO
< 501 -
phase mail
> RCPT TO:<alice@example.org>
< 250 2.1.5
# HELO resets it too, and leaves a session without extensions
> HELO client.example
< 250 -
event ehlo-resets
phase ready
> RCPT TO:<alice@example.org>
< 503 -
rule rcpt-before-mail
> QUIT
< 221 -
