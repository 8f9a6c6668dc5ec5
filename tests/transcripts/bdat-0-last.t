# "BDAT 0 LAST" ends a chunked message with an empty chunk (RFC 3030 2)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT 9
+raw hello\r\n\r\n
< 250 2.0.0
> BDAT 0 LAST
< 250 2.0.0
rule message-accepted
phase ready
# an empty message in one chunk is accepted too
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT 0 LAST
< 250 2.0.0
> QUIT
< 221 2.0.0
