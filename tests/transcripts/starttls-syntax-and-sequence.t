# STARTTLS takes no argument (501, RFC 3207 4) and comes after EHLO
# (503); where it is not offered it is not implemented (502)
< 220 -
> STARTTLS
< 503 -
rule helo-first
> EHLO client.example
< 250 -
> STARTTLS now
< 501 5.5.2
rule syntax-argument
phase ready
> STARTTLS
< 220 2.0.0
> QUIT
< 221 -
reconnect
< 220 -
> HELO client.example
< 250 -
> STARTTLS
< 502 -
rule not-negotiated
> QUIT
< 221 -
