# Every RCPT of the transaction was refused: DATA gets 554 "no valid
# recipients" (RFC 5321 3.3), and no message text may follow
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<nobody@example.org>
< 550 5.1.1
rule unknown-user
> RCPT TO:<heidi@example.org>
< 550 5.2.1
phase mail
> DATA
< 554 5.5.1
rule no-valid-recipients
phase mail
# BDAT is refused the same way, after its chunk has been read
> BDAT 5 LAST
+raw hello
< 554 5.5.1
rule no-valid-recipients
> RSET
< 250 2.0.0
phase ready
> QUIT
< 221 2.0.0
