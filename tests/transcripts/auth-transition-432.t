# dave@example.org must change his password: 432 4.7.12 (RFC 4954 6),
# a temporary failure
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> AUTH PLAIN AGRhdmUAcG9kYmF5
< 432 4.7.12
rule auth-transition
phase ready
> QUIT
< 221 2.0.0
