# HELP is optional (RFC 5321 4.5.1 leaves it out of the minimum set);
# a server that does not offer it answers 502
persona minimal
< 220 -
> EHLO client.example
< 250 -
> HELP
< 502 -
rule not-implemented
> NOOP
< 250 -
> QUIT
< 221 -
