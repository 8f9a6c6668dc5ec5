# A NUL octet in a command line must not cut it short: the line is
# refused as a whole, never read as "RCPT TO:<alice@example.org>"
# (security-cases L6)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
>raw RCPT TO:<alice@example.org>\0junk\r\n
< 500 5.5.2
rule nul
phase mail
>raw NOOP\0\r\n
< 500 5.5.2
> QUIT
< 221 2.0.0
