# Most public servers do not offer EXPN: 502 (RFC 5321 3.5.3, 7.3)
< 220 -
> EHLO client.example
< 250 -
> EXPN staff@lists.example.org
< 502 5.5.1
rule not-implemented
> QUIT
< 221 2.0.0
