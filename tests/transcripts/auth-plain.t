# AUTH PLAIN over TLS (RFC 4954 4, RFC 4616): with an initial response,
# or after an empty 334 challenge; "=" is an empty initial response
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> AUTH PLAIN
< 334 -
rule auth-plain-prompt
phase auth
> AGFsaWNlAHdyb25n
< 535 5.7.8
rule auth-bad-credentials
phase ready
> AUTH PLAIN =
< 501 5.5.2
rule auth-plain-syntax
> AUTH plain AGFsaWNlAHdvbmRlcmxhbmQ=
< 235 2.7.0
rule auth-ok
phase ready
> MAIL FROM:<alice@example.org>
< 250 2.1.0
> RCPT TO:<someone@example.com>
< 250 2.1.5
rule relay-authenticated
> QUIT
< 221 2.0.0
