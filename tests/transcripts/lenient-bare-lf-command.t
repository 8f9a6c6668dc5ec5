# The default persona tolerates a command line ending in a bare LF, with
# a warning (RFC 5321 2.3.8 says lines end in CRLF)
< 220 -
> EHLO client.example
< 250 -
>raw NOOP\n
< 250 2.0.0
event bare-lf-command
>raw MAIL FROM:<ann@example.com>\nRCPT TO:<alice@example.org>\r\n
< 250 2.1.0
< 250 2.1.5
> QUIT
< 221 2.0.0
