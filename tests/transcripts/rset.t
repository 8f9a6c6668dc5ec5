# RSET in every phase: 250, the transaction is gone, the session stays
# identified (RFC 5321 4.1.1.5); RSET takes no argument (501, 4.1.1)
< 220 -
> RSET
< 250 -
phase greeted
> EHLO client.example
< 250 -
> RSET
< 250 2.0.0
phase ready
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RSET
< 250 2.0.0
event rset
phase ready
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> RSET
< 250 2.0.0
phase ready
> DATA
< 503 5.5.1
rule data-before-mail
> RSET everything
< 501 5.5.2
rule syntax-argument
> QUIT
< 221 2.0.0
