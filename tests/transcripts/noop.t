# NOOP does nothing and is always answered 250, with or without an
# argument (RFC 5321 4.1.1.9), in every phase
< 220 -
> NOOP
< 250 -
phase greeted
> EHLO client.example
< 250 -
> NOOP hello there
< 250 2.0.0
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> NOOP
< 250 2.0.0
phase mail
> RCPT TO:<alice@example.org>
< 250 2.1.5
> NOOP
< 250 2.0.0
phase rcpt
> QUIT
< 221 2.0.0
