# The strict persona accepts only CRLF line endings: a command ending in
# a bare LF gets 500 (RFC 5321 2.3.8, 4.1.1)
persona strict
< 220 -
> EHLO client.example
< 250 -
>raw NOOP\n
< 500 5.5.2
rule bare-lf-command
>raw NOOP\r\n
< 250 2.0.0
>raw MAIL FROM:<ann@example.com>\n
< 500 5.5.2
phase ready
> QUIT
< 221 2.0.0
