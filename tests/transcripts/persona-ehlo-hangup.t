# Some old servers close the connection on EHLO, with no reply at all.
# The client must connect again and use HELO (RFC 5321 3.2)
persona ehlo-hangup
< 220 -
> EHLO client.example
phase closed
event ehlo-hangup
reconnect
< 220 -
> HELO client.example
< 250 -
phase ready
> MAIL FROM:<ann@example.com>
< 250 -
> RCPT TO:<alice@example.org>
< 250 -
> DATA
< 354 -
> .
< 250 -
> QUIT
< 221 -
