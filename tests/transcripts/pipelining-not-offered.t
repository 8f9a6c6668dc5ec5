# Without PIPELINING in the EHLO reply the client must wait for every
# reply (RFC 2920 3); the server answers in order but warns
persona minimal
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
+ RCPT TO:<alice@example.org>
< 250 -
< 250 -
event pipelining-not-offered
> RCPT TO:<postmaster@example.org>
< 250 -
noevent pipelining-not-offered
> QUIT
< 221 -
