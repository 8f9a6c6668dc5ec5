# A "*" line cancels the AUTH exchange: 501 (RFC 4954 4), and the
# session is back where it was, not authenticated
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> AUTH LOGIN
< 334 -
> *
< 501 5.7.0
rule auth-cancelled
phase ready
> AUTH LOGIN
< 334 -
> YWxpY2U=
< 334 -
> *
< 501 5.7.0
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
< 235 2.7.0
> QUIT
< 221 2.0.0
