# Where SMTPUTF8 is not announced, its parameter gets 555 (RFC 5321
# 4.1.1.11) and an address with 8-bit octets is a syntax error (501:
# RFC 5321 2.4 allows no 8-bit octets without an extension)
persona exchange
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com> SMTPUTF8
< 555 5.5.4
rule param-not-offered
>raw MAIL FROM:<jos\xc3\xa9@example.com>\r\n
< 501 5.1.7
rule syntax-address
> QUIT
< 221 2.0.0
