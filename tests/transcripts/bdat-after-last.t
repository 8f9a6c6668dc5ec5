# A BDAT after BDAT LAST MUST get 503 (RFC 3030 2); its chunk is still
# read and thrown away, so the next command is understood
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT 5 LAST
+raw hello
< 250 2.0.0
phase ready
> BDAT 4 LAST
+raw NOOP
< 503 5.5.1
phase ready
> NOOP
< 250 2.0.0
> QUIT
< 221 2.0.0
