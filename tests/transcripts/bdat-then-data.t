# DATA and BDAT cannot be mixed in one transaction: DATA after BDAT MUST
# get 503 (RFC 3030 2); RSET then clears the state
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT 5
+raw hello
< 250 2.0.0
> DATA
< 503 5.5.1
rule data-after-bdat
phase bdat
> RCPT TO:<postmaster@example.org>
< 503 5.5.1
rule rcpt-after-bdat
> RSET
< 250 2.0.0
phase ready
# mixing across transactions of one session is fine
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
> .
< 250 2.0.0
> QUIT
< 221 2.0.0
