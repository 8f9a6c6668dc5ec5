# SMTPUTF8 (RFC 6531): non-ASCII addresses need the SMTPUTF8 parameter
# on MAIL (550/553 5.6.7 without it, 3.5); the parameter takes no value
< 220 -
> EHLO client.example
< 250 -
>raw MAIL FROM:<jos\xc3\xa9@example.com>\r\n
< 550 5.6.7
rule utf8-without-smtputf8
> MAIL FROM:<ann@example.com> SMTPUTF8=YES
< 501 5.5.4
rule param-value
> MAIL FROM:<ann@example.com>
< 250 2.1.0
>raw RCPT TO:<j\xc3\xb6rg@example.org>\r\n
< 553 5.6.7
rule utf8-without-smtputf8
> RSET
< 250 2.0.0
>raw MAIL FROM:<jos\xc3\xa9@example.com> SMTPUTF8\r\n
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
> .
< 250 2.0.0
> QUIT
< 221 2.0.0
