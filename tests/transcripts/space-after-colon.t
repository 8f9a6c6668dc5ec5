# "MAIL FROM: <x>" breaks RFC 5321 3.3 ("spaces are not permitted on
# either side of the colon"); this lenient server accepts it and warns
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM: <ann@example.com>
< 250 2.1.0
event space-after-colon
> RCPT TO: <alice@example.org>
< 250 2.1.5
event space-after-colon
> RCPT TO:<postmaster@example.org>
< 250 2.1.5
noevent space-after-colon
> QUIT
< 221 2.0.0
