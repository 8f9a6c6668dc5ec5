# Before EHLO/HELO: NOOP, RSET, VRFY, EXPN and HELP are processed
# normally (RFC 5321 4.1.4); STARTTLS, AUTH, ETRN and the transaction
# commands need EHLO first (503)
persona everything
< 220 -
phase greeted
> VRFY alice
< 250 -
> EXPN staff@lists.example.org
< 250 -
> HELP
< 214 -
> NOOP
< 250 -
> RSET
< 250 -
> STARTTLS
< 503 -
rule helo-first
> AUTH CRAM-MD5
< 503 -
rule helo-first
> ETRN example.net
< 503 -
rule helo-first
> MAIL FROM:<ann@example.com>
< 503 -
rule helo-first
phase greeted
> QUIT
< 221 -
