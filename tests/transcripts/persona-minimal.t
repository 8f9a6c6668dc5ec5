# EHLO works but announces nothing: every parameter gets 555, every
# extension verb 502, no enhanced codes (RFC 5321 4.5.1 minimum only)
persona minimal
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com> SIZE=100
< 555 -
rule param-not-offered
> MAIL FROM:<ann@example.com> BODY=7BIT
< 555 -
> MAIL FROM:<ann@example.com> SMTPUTF8
< 555 -
> STARTTLS
< 502 -
> AUTH PLAIN
< 502 -
> MAIL FROM:<ann@example.com>
< 250 -
> RCPT TO:<alice@example.org> NOTIFY=NEVER
< 555 -
rule param-not-offered
> RCPT TO:<alice@example.org>
< 250 -
> DATA
< 354 -
> hello
> .
< 250 -
> QUIT
< 221 -
