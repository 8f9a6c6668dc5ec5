# A host that never accepts mail greets with 521 and answers 521 to all
# but QUIT (RFC 7504 3)
persona nomail
< 521 -
phase refused
> EHLO client.example
< 521 -
rule nomail
> MAIL FROM:<ann@example.com>
< 521 -
> NOOP
< 521 -
> QUIT
< 221 -
phase closed
