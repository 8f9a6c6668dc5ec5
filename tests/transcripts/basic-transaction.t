# A whole mail transaction with the default persona
< 220 -
phase greeted
> EHLO client.example
< 250 -
phase ready
> MAIL FROM:<ann@example.com>
< 250 2.1.0
phase mail
> RCPT TO:<alice@example.org>
< 250 2.1.5
phase rcpt
> DATA
< 354 -
phase data
> Subject: hello
> 
> Two lines,
> ..and a stuffed dot.
> .
< 250 2.0.0
phase ready
> QUIT
< 221 2.0.0
phase closed
