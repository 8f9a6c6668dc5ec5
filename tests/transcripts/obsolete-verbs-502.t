# SEND, SOML, SAML and TURN are retired (RFC 5321 F.1, F.6): 502
< 220 -
> EHLO client.example
< 250 -
> SEND FROM:<ann@example.com>
< 502 5.5.1
rule obsolete
> SOML FROM:<ann@example.com>
< 502 5.5.1
rule obsolete
> SAML FROM:<ann@example.com>
< 502 5.5.1
rule obsolete
> TURN
< 502 5.5.1
rule obsolete
phase ready
> QUIT
< 221 2.0.0
