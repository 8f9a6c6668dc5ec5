# SMTP smuggling, variant crcrlf2: CR CRLF . CR CRLF
# is not the end of the data.
# Only CRLF . CRLF ends it (RFC 5321 4.1.1.4; security-cases 2):
# the server answers exactly once, after the real end, and the command
# smuggled in between is message text, never run.
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw Subject: smuggling\r\n\r\nx\r\r\n.\r\r\nNOOP\r\n.\r\n
< 250 2.0.0
rule message-accepted
phase ready
# the same after a complete line, with a MAIL smuggled in
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw Subject: smuggling\r\n\r\nx\r\n\r\r\n.\r\r\nMAIL FROM:<evil@example.com>\r\n.\r\n
< 250 2.0.0
rule message-accepted
phase ready
> QUIT
< 221 2.0.0
