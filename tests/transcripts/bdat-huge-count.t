# A chunk size of a billion octets, or of twenty digits that fit in 64
# bits, is a size like any other: the octets that follow are the chunk,
# read and thrown away until it is complete, never run as commands
# (RFC 3030 2; issue 14: they ran as RSET, MAIL and RCPT)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT 1000000000 LAST
+ RSET
+ MAIL FROM:<eve@example.com>
+ RCPT TO:<alice@example.org>
phase rcpt
eof
reconnect
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT 18446744073709551615
+ RSET
+ QUIT
phase rcpt
eof
# leading zeros do not make a count longer: 00000000000000000000003 is 3
reconnect
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT 00000000000000000000003 LAST
+raw abc
< 250 2.0.0
> QUIT
< 221 2.0.0
