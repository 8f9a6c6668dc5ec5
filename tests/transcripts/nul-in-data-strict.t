persona strict
# The strict persona refuses a message holding a NUL octet, as it refuses
# bare CR and LF: what RFC 5321 2.3.8 and RFC 5322 forbid in a message
# (issue 14: even it accepted one)
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
< 554 5.6.0
rule nul-in-data
phase ready
> QUIT
< 221 2.0.0
