# The default persona keeps no queue for others: ETRN is not offered
< 220 -
> EHLO client.example
< 250 -
> ETRN example.net
< 502 5.5.1
rule not-implemented
> QUIT
< 221 2.0.0
