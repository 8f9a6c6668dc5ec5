# The password back end is down for ivan@example.org: 454 4.7.0
# "temporary authentication failure" (RFC 4954 6)
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> AUTH PLAIN AGl2YW4Ac3B1dG5paw==
< 454 4.7.0
rule auth-tempfail
phase ready
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
< 235 2.7.0
> QUIT
< 221 2.0.0
