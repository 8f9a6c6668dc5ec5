# A server that switched VRFY off answers 502 (RFC 5321 3.5.3 and 7.3
# allow it, though 252 is preferred)
persona strict
< 220 -
> EHLO client.example
< 250 -
> VRFY alice
< 502 5.5.1
rule vrfy-disabled
> QUIT
< 221 2.0.0
