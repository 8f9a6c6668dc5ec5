# The default persona gives up after 10 client errors: 421, close
< 220 -
> EHLO client.example
< 250 -
> FOO
< 500 5.5.1
> FOO
< 500 5.5.1
> FOO
< 500 5.5.1
> RCPT TO:<alice@example.org>
< 503 5.5.1
> DATA
< 503 5.5.1
> MAIL FROM:ann
< 501 5.1.7
> FOO
< 500 5.5.1
> FOO
< 500 5.5.1
> FOO
< 500 5.5.1
> NOOP
< 250 2.0.0
> FOO
< 500 5.5.1
< 421 4.7.0
rule too-many-errors
phase closed
