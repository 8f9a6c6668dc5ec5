# Without CHUNKING in the EHLO reply, BDAT is not a command this server
# knows: 502, and the bytes that follow are read as commands, as a real
# server would (RFC 3030 2 applies only once CHUNKING is offered)
persona minimal
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 -
> RCPT TO:<alice@example.org>
< 250 -
>raw BDAT 6 LAST\r\nNOOP\r\n
< 502 -
rule not-implemented
< 250 -
> QUIT
< 221 -
