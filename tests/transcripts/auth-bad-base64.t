# A line of the AUTH exchange that is not base64 gets 501 5.5.2
# (RFC 4954 4), also as an initial response
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> AUTH PLAIN
< 334 -
> !!!not base64!!!
< 501 5.5.2
rule auth-bad-base64
phase ready
> AUTH PLAIN AGFsaWNl%%%
< 501 5.5.2
rule auth-bad-base64
> AUTH LOGIN
< 334 -
> YWxpY2U
< 501 5.5.2
> QUIT
< 221 2.0.0
