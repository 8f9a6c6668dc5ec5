# The "fifteen extensions" server: ENHANCEDSTATUSCODES, SIZE 51200000,
# EXPN, HELP, ETRN, DSN work; the obsolete verbs it lists get 502
persona fifteen
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com> SIZE=51200000 BODY=8BITMIME RET=HDRS
< 250 2.1.0
> RSET
< 250 2.0.0
> MAIL FROM:<ann@example.com> SIZE=51200001
< 552 5.3.4
rule size-declared
> SEND FROM:<ann@example.com>
< 502 5.5.1
rule obsolete
> SOML FROM:<ann@example.com>
< 502 5.5.1
> SAML FROM:<ann@example.com>
< 502 5.5.1
> TURN
< 502 5.5.1
rule obsolete
> ETRN example.net
< 253 2.0.0
> EXPN staff@lists.example.org
< 250 2.1.5
> HELP
< 214 2.0.0
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org> NOTIFY=SUCCESS,FAILURE
< 250 2.1.5
> DATA
< 354 -
> .
< 250 2.0.0
# no STARTTLS and no AUTH here
> STARTTLS
< 502 5.5.1
> AUTH PLAIN
< 502 5.5.1
> QUIT
< 221 2.0.0
