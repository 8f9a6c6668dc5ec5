# The chunk size is trusted exactly (RFC 3030 2; security-cases L10):
# octets beyond it are read as commands, and a short chunk leaves the
# server waiting until it times out
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
>raw BDAT 5 LAST\r\nhello world\r\n
< 250 2.0.0
rule message-accepted
< 500 5.5.1
rule unknown-verb
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
>raw BDAT 10 LAST\r\nhello
phase rcpt
# three more octets: still two short
>raw abc
phase rcpt
timeout
< 421 4.4.2
phase closed
