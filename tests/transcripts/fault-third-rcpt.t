# An injected fault: the third RCPT is answered 452 4.5.3 whatever the
# rules say; the others are unaffected
fault RCPT 3 452 4.5.3
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
+ RCPT TO:<alice@example.org>
+ RCPT TO:<alice@example.org>
+ RCPT TO:<alice@example.org>
< 250 2.1.5
< 250 2.1.5
< 452 4.5.3
rule fault-injected
< 250 2.1.5
> QUIT
< 221 2.0.0
