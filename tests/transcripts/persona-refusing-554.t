# A 554 greeting: the server MUST wait for QUIT and SHOULD answer all
# other commands with 503 (RFC 5321 3.1)
persona refusing
< 554 -
phase refused
> EHLO client.example
< 503 -
rule refused
> HELO client.example
< 503 -
rule refused
> MAIL FROM:<ann@example.com>
< 503 -
> NOOP
< 503 -
> FOO
< 503 -
rule refused
> BDAT 5 LAST
< 503 -
rule refused
phase refused
> QUIT
< 221 -
phase closed
