# CHUNKING (RFC 3030 2): each chunk gets 250, the LAST one ends the
# message; chunks may be pipelined with their commands
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT 22
+raw Subject: chunked\r\n\r\nab
< 250 2.0.0
rule bdat-chunk
phase bdat
> BDAT 4
+raw cd\r\n
+ BDAT 6 LAST
+raw ef\r\ngh
< 250 2.0.0
< 250 2.0.0
rule message-accepted
phase ready
> QUIT
< 221 2.0.0
