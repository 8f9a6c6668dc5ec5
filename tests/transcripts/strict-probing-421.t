# Address probing: unknown recipients count with the client's other
# mistakes, and after the strict persona's fifth the server ends the
# session with 421 (RFC 5321 7.8), as Postfix's hard error limit does
persona strict
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> RCPT TO:<adam@example.org>
+ RCPT TO:<bert@example.org>
+ RCPT TO:<chris@example.org>
+ RCPT TO:<dora@example.org>
+ RCPT TO:<emil@example.org>
< 550 5.1.1
< 550 5.1.1
< 550 5.1.1
< 550 5.1.1
< 550 5.1.1
rule unknown-user
< 421 4.7.0
rule too-many-errors
phase closed
