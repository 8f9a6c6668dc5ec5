# Arguments the grammar of RFC 5321 4.1.2 does not allow: 501, and the
# state does not change (4.1.4)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:ann@example.com
< 501 5.1.7
rule syntax-brackets
> MAIL FROM:<ann>
< 501 5.1.7
> MAIL TO:<ann@example.com>
< 501 5.5.2
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<>
< 501 5.1.3
> RCPT TO:alice@example.org
< 501 5.1.3
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA now
< 501 5.5.2
phase rcpt
> QUIT now
< 501 5.5.2
phase rcpt
> QUIT
< 221 2.0.0
