# DATA must be the last command of a group (RFC 2920 3.1): whatever
# follows it in the same read is already message text
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
+ QUIT
< 354 -
event pipelining-not-last
phase data
# "QUIT" was message text: the session is still in DATA
> .
< 250 2.0.0
phase ready
> QUIT
< 221 2.0.0
