# BDAT needs a chunk size in digits (RFC 3030 3).  Without one the server
# cannot know where the chunk ends: reading what follows as commands
# would run the client's data (the chunking form of smuggling), so it
# closes with 421, as Postfix does (with 521)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT x
+ RSET
+ MAIL FROM:<eve@example.com>
< 421 4.5.4
rule bdat-syntax
phase closed
reconnect
< 220 -
> EHLO client.example
< 250 -
> BDAT
< 421 4.5.4
phase closed
reconnect
< 220 -
> EHLO client.example
< 250 -
> BDAT 5 FIRST
< 421 4.5.4
reconnect
< 220 -
> EHLO client.example
< 250 -
> BDAT -1 LAST
< 421 4.5.4
# a count past 2^64 - 1 is no count either
reconnect
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT 99999999999999999999 LAST
+ RSET
+ MAIL FROM:<eve@example.com>
< 421 4.5.4
phase closed
# blanks around the words are taken as they come
reconnect
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
>raw BDAT  2\tLAST \r\nok
< 250 2.0.0
phase ready
> QUIT
< 221 2.0.0
