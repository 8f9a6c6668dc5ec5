# The strict persona takes no bare LF for a line end (RFC 5321 2.3.8): a
# command that ends in one is refused once, with 421, and the connection
# is closed (RFC 5321 3.8), as Postfix does with smtpd_forbid_bare_newline,
# so nothing after the LF is ever read as a command
persona strict
< 220 -
> EHLO client.example
< 250 -
>raw NOOP\r\n
< 250 2.0.0
>raw NOOP\nNOOP\r\n
< 421 4.5.0
rule bare-lf-command
phase closed
reconnect
< 220 -
> EHLO client.example
< 250 -
>raw MAIL FROM:<ann@example.com>\n
< 421 4.5.0
rule bare-lf-command
phase closed
