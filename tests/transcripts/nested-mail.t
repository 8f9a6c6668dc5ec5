# A second MAIL inside an open transaction is refused, and the server
# stays where it was (RFC 5321 4.1.4)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> MAIL FROM:<bea@example.com>
< 503 5.5.1
rule nested-mail
phase mail
> RCPT TO:<alice@example.org>
< 250 2.1.5
phase rcpt
> MAIL FROM:<bea@example.com>
< 503 5.5.1
rule nested-mail
phase rcpt
# the first transaction is intact: its message is accepted
> DATA
< 354 -
> Subject: still the first transaction
> 
> .
< 250 2.0.0
phase ready
# after the end of the transaction a new MAIL is fine
> MAIL FROM:<bea@example.com>
< 250 2.1.0
> QUIT
< 221 2.0.0
