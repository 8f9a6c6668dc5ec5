# A local part may have 64 octets (RFC 5321 4.5.3.1.1): 65 is a syntax
# error, 501 with the address's enhanced code
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com>
< 501 5.1.7
rule syntax-address
> MAIL FROM:<aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com>
< 250 2.1.0
> RCPT TO:<aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.org>
< 501 5.1.3
rule syntax-address
> RCPT TO:<aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.org>
< 550 5.1.1
rule unknown-user
> QUIT
< 221 2.0.0
