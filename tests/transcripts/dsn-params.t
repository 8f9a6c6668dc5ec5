# DSN (RFC 3461): RET and ENVID on MAIL, NOTIFY and ORCPT on RCPT, with
# good values accepted and bad ones refused with 501
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com> RET=PAPER
< 501 5.5.4
rule param-value
> MAIL FROM:<ann@example.com> ENVID=a+ZZb
< 501 5.5.4
> MAIL FROM:<ann@example.com> RET=HDRS ENVID=QQ314159+2Bx
< 250 2.1.0
> RCPT TO:<alice@example.org> NOTIFY=NEVER,SUCCESS
< 501 5.5.4
rule param-value
> RCPT TO:<alice@example.org> NOTIFY=SOMETIMES
< 501 5.5.4
> RCPT TO:<alice@example.org> ORCPT=alice@example.org
< 501 5.5.4
> RCPT TO:<alice@example.org> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;alice@example.org
< 250 2.1.5
> RCPT TO:<postmaster@example.org> NOTIFY=NEVER
< 250 2.1.5
> QUIT
< 221 2.0.0
