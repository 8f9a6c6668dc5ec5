# A BDAT chunk is counted, not dot-terminated: CRLF.CRLF inside it is
# just data, and a command hidden after it is never run (RFC 3030 2;
# security-cases L10)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
>raw BDAT 15 LAST\r\na\r\n.\r\nNOOP\r\nb\r\n
< 250 2.0.0
rule message-accepted
phase ready
> QUIT
< 221 2.0.0
