# A message refused for its content gets 550 after the final dot (RFC
# 5321 3.3); the transaction is over, the session goes on
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
> Subject: test
> 
> XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X
> .
< 550 5.7.1
rule content-spam
phase ready
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> QUIT
< 221 2.0.0
