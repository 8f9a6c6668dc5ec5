# Faults can hit the reply after the final dot too: the transaction
# ends, with no message taken
fault DATA-END 1 451 4.3.0
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
> .
< 451 4.3.0
rule fault-injected
phase ready
> QUIT
< 221 2.0.0
