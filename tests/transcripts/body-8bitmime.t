# BODY= (RFC 6152 2, RFC 3030 3): 7BIT and 8BITMIME where 8BITMIME is
# announced; BINARYMIME only where announced; other values 501
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com> BODY=BINARYMIME
< 501 5.5.4
rule param-value
> MAIL FROM:<ann@example.com> BODY=FOO
< 501 5.5.4
> MAIL FROM:<ann@example.com> BODY=7BIT
< 250 2.1.0
> RSET
< 250 2.0.0
> MAIL FROM:<ann@example.com> BODY=8BITMIME
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw Subject: caf\xc3\xa9\r\n\r\nna\xc3\xafve\r\n.\r\n
< 250 2.0.0
noevent 8bit-undeclared
# 8-bit text without BODY=8BITMIME breaks RFC 5321 2.4: a warning
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw caf\xc3\xa9\r\n.\r\n
< 250 2.0.0
event 8bit-undeclared
> QUIT
< 221 2.0.0
