# EXPN: 250 lists a mailing list, 550 for a user or an unknown name,
# 252 for a list elsewhere (RFC 5321 3.5.3, 4.1.1.7)
persona everything
< 220 -
> EHLO client.example
< 250 -
> EXPN staff@lists.example.org
< 250 2.1.5
rule expn-ok
> EXPN staff
< 250 2.1.5
> EXPN staff SMTPUTF8
< 250 2.1.5
> EXPN alice
< 550 5.1.1
rule expn-not-list
> EXPN nosuchlist
< 550 5.1.1
rule expn-unknown
> EXPN list@example.com
< 252 2.0.0
rule expn-remote
> EXPN
< 501 5.5.2
> QUIT
< 221 2.0.0
