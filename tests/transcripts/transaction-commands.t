# Inside a transaction (after MAIL, after RCPT): what is allowed, and
# the 503 rules for what is not (RFC 5321 3.3, 4.1.4; RFC 3030 2;
# RFC 4954 4; RFC 1985 5)
persona everything
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
phase mail
> BDAT 3 LAST
+raw abc
< 503 5.5.1
rule data-before-rcpt
> VRFY alice
< 250 2.1.5
> EXPN staff
< 250 2.1.5
> HELP
< 214 2.0.0
> NOOP
< 250 2.0.0
phase mail
> RCPT TO:<alice@example.org>
< 250 2.1.5
phase rcpt
> ETRN example.net
< 503 5.5.1
rule etrn-in-transaction
> AUTH CRAM-MD5
< 503 5.5.1
rule auth-in-transaction
> MAIL FROM:<ann@example.com>
< 503 5.5.1
rule nested-mail
> VRFY bob
< 251 2.1.5
phase rcpt
> RCPT TO:<postmaster@example.org>
< 250 2.1.5
> DATA
< 354 -
> .
< 250 2.0.0
phase ready
> QUIT
< 221 2.0.0
