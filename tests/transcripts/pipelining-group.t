# With PIPELINING a whole envelope may go in one read; the server
# answers every command, in order (RFC 2920 3.2), and a refused RCPT
# does not stop the others
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
+ RCPT TO:<alice@example.org>
+ RCPT TO:<nobody@example.org>
+ RCPT TO:<bob@example.org>
+ DATA
< 250 2.1.0
< 250 2.1.5
< 550 5.1.1
< 251 2.1.5
< 354 -
noevent pipelining-not-last
noevent pipelining-not-offered
> Subject: pipelined
> 
> .
< 250 2.0.0
# the previous message's end and the next envelope may share a read
> MAIL FROM:<ann@example.com>
+ RSET
+ NOOP
< 250 2.1.0
< 250 2.0.0
< 250 2.0.0
> QUIT
< 221 2.0.0
