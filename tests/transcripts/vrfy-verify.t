# VRFY on a server that really verifies (RFC 5321 3.5.3, 4.1.1.6):
# 250 a user, 251 forwarded, 551 moved, 553 ambiguous, 550 unknown,
# 252 for an address it cannot check; a missing argument is 501
persona everything
< 220 -
> VRFY alice
< 250 -
rule vrfy-ok
> EHLO client.example
< 250 -
> VRFY alice
< 250 2.1.5
rule vrfy-ok
> VRFY <alice@example.org>
< 250 2.1.5
# RFC 6531 3.7.4.2: an SMTPUTF8 parameter may follow the argument
> VRFY alice SMTPUTF8
< 250 2.1.5
> VRFY bob
< 251 2.1.5
rule vrfy-forward
> VRFY erin@example.org
< 551 5.1.6
rule vrfy-moved
> VRFY smith
< 553 5.1.4
rule vrfy-ambiguous
> VRFY nobody
< 550 5.1.1
rule vrfy-unknown
> VRFY someone@example.com
< 252 2.0.0
rule vrfy-remote
> VRFY
< 501 5.5.2
# VRFY leaves the transaction alone (RFC 5321 4.1.1.6)
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> VRFY staff@lists.example.org
< 250 2.1.5
phase mail
> QUIT
< 221 2.0.0
