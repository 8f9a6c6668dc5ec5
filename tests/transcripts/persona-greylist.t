# Greylisting (RFC 6647 2.1): the first attempt for a sender/recipient
# pair gets 451 4.7.1; a retry sooner than the persona's delay (5 minutes)
# gets 451 again; after it, on a new connection, the same pair is accepted
persona greylist
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 451 4.7.1
rule greylisted
phase mail
> QUIT
< 221 2.0.0
# at once: too soon
reconnect
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 451 4.7.1
rule greylist-too-soon
> QUIT
< 221 2.0.0
# the clock moves on while no connection is open
wait 4m
reconnect
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 451 4.7.1
rule greylist-too-soon
> QUIT
< 221 2.0.0
wait 1m
reconnect
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
# a new pair is greylisted in its turn
> RCPT TO:<jane.smith@example.org>
< 451 4.7.1
rule greylisted
> DATA
< 354 -
> .
< 250 2.0.0
> QUIT
< 221 2.0.0
