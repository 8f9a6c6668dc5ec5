# A recipient over the server's limit: RFC 5321 4.5.3.1.10 says 452, but
# an RFC 821 server (here "tiny", whose limit is 2) says 552, which the
# client must treat as temporary: the recipients already accepted still
# get the message, and the rest go in a later transaction
persona tiny
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> RCPT TO:<jane.smith@example.org>
< 250 2.1.5
> RCPT TO:<john.smith@example.org>
< 552 5.5.3
rule too-many-rcpts-821
phase rcpt
> DATA
< 354 -
> Subject: hi
+ 
+ Hi.
+ .
< 250 2.0.0
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<john.smith@example.org>
< 250 2.1.5
> QUIT
< 221 2.0.0
