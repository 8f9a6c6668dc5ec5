# A lost reply: the connection breaks after the final dot, before the 250
# arrives.  The server has accepted the message (RFC 5321 6.1); the client
# must treat it as a temporary failure (RFC 5321 3.8) and send it again,
# which the server accepts a second time: a duplicate
fault DATA-END 1 drop
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
> Subject: once
+ 
+ Hello.
+ .
event connection-lost
phase closed
reconnect
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
> Subject: once
+ 
+ Hello.
+ .
< 250 2.0.0
rule message-accepted
> QUIT
< 221 2.0.0
