# A NUL octet in a message: mail text may not hold one (RFC 5322 3.5,
# RFC 2045 2.8; RFC 5321 4.1.1.4 says to avoid control characters).  The
# server flags it; the message is still the message, the dot still ends
# it (issue 14: it was neither flagged nor refused)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw Subject: nul\r\n\r\nab\0c\r\n.\r\n
event nul-in-data
< 250 2.0.0
rule message-accepted
> QUIT
< 221 2.0.0
