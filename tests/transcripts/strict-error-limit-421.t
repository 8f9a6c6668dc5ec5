# After the persona's error limit (5 for strict) the server gives up
# with 421 and closes (RFC 5321 3.8; Postfix's hard error limit)
persona strict
< 220 -
> EHLO client.example
< 250 -
> FOO
< 500 5.5.1
> BAR
< 500 5.5.1
> RCPT TO:<alice@example.org>
< 503 5.5.1
> MAIL FROM:ann
< 501 5.1.7
> BAZ
< 500 5.5.1
< 421 4.7.0
rule too-many-errors
phase closed
