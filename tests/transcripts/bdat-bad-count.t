# BDAT needs a chunk size in digits: anything else is 501 (RFC 3030 3),
# and the chunk boundary is then unknown
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT x
< 501 5.5.4
rule bdat-syntax
> BDAT
< 501 5.5.4
> BDAT 5 FIRST
< 501 5.5.4
> BDAT -1 LAST
< 501 5.5.4
> BDAT 99999999999999999999 LAST
< 501 5.5.4
phase rcpt
> BDAT 2 LAST
+raw ok
< 250 2.0.0
> QUIT
< 221 2.0.0
