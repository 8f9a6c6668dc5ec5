# A timeout in the middle of the message text: 421, nothing delivered
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
> Subject: never finished
timeout
< 421 4.4.2
phase closed
