# Before EHLO/HELO a transaction cannot start (RFC 5321 4.1.1.1, 4.1.4),
# but NOOP, RSET, VRFY and HELP work and SHOULD not get 503 (4.1.4).
# No enhanced codes yet: ENHANCEDSTATUSCODES is announced only by EHLO.
< 220 -
phase greeted
> MAIL FROM:<ann@example.com>
< 503 -
rule helo-first
phase greeted
> RCPT TO:<alice@example.org>
< 503 -
rule helo-first
> DATA
< 503 -
rule helo-first
> BDAT 4 LAST
< 503 -
rule helo-first
> NOOP
< 250 -
> RSET
< 250 -
phase greeted
> HELP
< 214 -
> EHLO client.example
< 250 -
phase ready
> MAIL FROM:<ann@example.com>
< 250 2.1.0
phase mail
> QUIT
< 221 2.0.0
phase closed
