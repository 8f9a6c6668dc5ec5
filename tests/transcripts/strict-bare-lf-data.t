# Bare LF inside DATA: the strict persona reads on to the real CRLF.CRLF
# and refuses the message there with 554 5.5.2 (RFC 5321 4.1.1.4, 2.3.8)
persona strict
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw Subject: bare\n\nline one\nline two\r\n
event bare-lf-data
>raw .\r\n
< 554 5.5.2
rule bare-lf-data
phase ready
# a bare CR is refused the same way
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw a\rb\r\n.\r\n
< 554 5.5.2
> QUIT
< 221 2.0.0
