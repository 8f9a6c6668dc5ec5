# A wrong password or an unknown user: 535 5.7.8 (RFC 4954 6); the
# client may try again
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> AUTH PLAIN AGFsaWNlAHdyb25n
< 535 5.7.8
rule auth-bad-credentials
> AUTH PLAIN AG5vYm9keQB3b25kZXJsYW5k
< 535 5.7.8
> AUTH PLAIN AGpvaG4uc21pdGgAeA==
< 535 5.7.8
> MAIL FROM:<alice@example.org>
< 250 2.1.0
> RCPT TO:<someone@example.com>
< 550 5.7.1
rule relay-denied
> QUIT
< 221 2.0.0
