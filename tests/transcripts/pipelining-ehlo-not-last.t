# EHLO, NOOP, VRFY and QUIT must be last in a group (RFC 2920 3.1); the
# server still answers in order, and warns
< 220 -
> EHLO client.example
+ MAIL FROM:<ann@example.com>
< 250 -
< 250 2.1.0
event pipelining-not-last
> NOOP
+ RCPT TO:<alice@example.org>
< 250 2.0.0
< 250 2.1.5
event pipelining-not-last
> RSET
+ MAIL FROM:<ann@example.com>
+ RCPT TO:<alice@example.org>
< 250 2.0.0
< 250 2.1.0
< 250 2.1.5
noevent pipelining-not-last
> QUIT
< 221 2.0.0
