# A mechanism the server does not offer gets 504 5.5.4 (RFC 4954 4);
# AUTH without a mechanism is a syntax error
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> AUTH XOAUTH2 dXNlcj1hbGljZQ==
< 504 5.5.4
rule auth-unknown-mechanism
> AUTH GSSAPI
< 504 5.5.4
> AUTH
< 501 5.5.4
rule auth-no-mechanism
phase ready
> QUIT
< 221 2.0.0
