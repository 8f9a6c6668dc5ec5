# After HELO there are no extensions (RFC 5321 2.2.1): nothing may
# follow the address of MAIL and RCPT (501), extension verbs get 502, and
# replies carry no enhanced codes
< 220 -
> HELO client.example
< 250 -
phase ready
> MAIL FROM:<ann@example.com> SIZE=1000
< 501 -
rule params-need-ehlo
phase ready
> MAIL FROM:<ann@example.com> BODY=8BITMIME
< 501 -
> STARTTLS
< 502 -
rule not-negotiated
> MAIL FROM:<ann@example.com>
< 250 -
> RCPT TO:<alice@example.org> NOTIFY=NEVER
< 501 -
rule params-need-ehlo
> RCPT TO:<alice@example.org>
< 250 -
# BDAT is unknown without CHUNKING: its "chunk" is read as a command
> BDAT 4 LAST
< 502 -
rule not-negotiated
> DATA
< 354 -
> .
< 250 -
> QUIT
< 221 -
