# The default persona will not say whether a user exists: 252 for every
# address, "cannot VRFY user, but will accept message" (RFC 5321 3.5.3
# calls that the proper way to decline)
< 220 -
> EHLO client.example
< 250 -
> VRFY alice
< 252 2.0.0
rule vrfy-cannot
> VRFY nobody
< 252 2.0.0
rule vrfy-cannot
> QUIT
< 221 2.0.0
