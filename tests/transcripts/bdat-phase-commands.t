# Between chunks (after a BDAT without LAST): only BDAT, RSET, EHLO,
# QUIT and the informational commands; the rest is 503 (RFC 3030 2)
persona everything
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT 3
+raw abc
< 250 2.0.0
phase bdat
> MAIL FROM:<ann@example.com>
< 503 5.5.1
rule nested-mail
> RCPT TO:<postmaster@example.org>
< 503 5.5.1
rule rcpt-after-bdat
> DATA
< 503 5.5.1
rule data-after-bdat
> STARTTLS
< 503 5.5.1
rule bad-sequence
> AUTH CRAM-MD5
< 503 5.5.1
rule auth-in-transaction
> ETRN example.net
< 503 5.5.1
rule etrn-in-transaction
> NOOP
< 250 2.0.0
> VRFY alice
< 250 2.1.5
> HELP
< 214 2.0.0
phase bdat
> BDAT 3 LAST
+raw def
< 250 2.0.0
rule message-accepted
phase ready
# a new EHLO between chunks drops the chunked message, as RSET would
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT 3
+raw abc
< 250 2.0.0
> EHLO client.example
< 250 -
event ehlo-resets
phase ready
> BDAT 3 LAST
+raw def
< 503 5.5.1
> QUIT
< 221 2.0.0
