# QUIT is valid in every phase and ends the session with 221; an
# unfinished transaction is dropped (RFC 5321 4.1.1.10)
< 220 -
> QUIT
< 221 -
phase closed
reconnect
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> QUIT
< 221 2.0.0
phase closed
reconnect
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> BDAT 3
+raw abc
< 250 2.0.0
phase bdat
> QUIT
< 221 2.0.0
phase closed
