# A pre-ESMTP server: EHLO is an unknown command (500), HELO works and
# no extension exists (RFC 5321 3.2: fall back to HELO)
persona rfc821
< 220 -
> EHLO client.example
< 500 -
rule ehlo-unknown
phase greeted
> HELO client.example
< 250 -
phase ready
# RFC 821 knew no parameters: anything after the address is a syntax error
> MAIL FROM:<ann@example.com> SIZE=100
< 501 -
rule params-need-ehlo
> MAIL FROM:<ann@example.com>
< 250 -
> RCPT TO:<alice@example.org>
< 250 -
> DATA
< 354 -
> .
< 250 -
# it knows VRFY, EXPN and HELP, but no extension verb
> VRFY alice
< 250 -
> EXPN staff@lists.example.org
< 250 -
> HELP
< 214 -
> STARTTLS
< 502 -
> ETRN example.net
< 502 -
> QUIT
< 221 -
