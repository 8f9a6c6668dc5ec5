# AUTH may succeed only once per session: a second AUTH MUST get 503
# (RFC 4954 4)
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
< 235 2.7.0
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
< 503 5.5.1
rule auth-twice
> AUTH LOGIN
< 503 5.5.1
rule auth-twice
phase ready
> QUIT
< 221 2.0.0
