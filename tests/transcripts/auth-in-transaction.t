# AUTH during a mail transaction MUST get 503 (RFC 4954 4)
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> MAIL FROM:<alice@example.org>
< 250 2.1.0
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
< 503 5.5.1
rule auth-in-transaction
phase mail
> RCPT TO:<alice@example.org>
< 250 2.1.5
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
< 503 5.5.1
rule auth-in-transaction
phase rcpt
> RSET
< 250 2.0.0
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
< 235 2.7.0
> QUIT
< 221 2.0.0
