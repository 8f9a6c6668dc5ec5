# Exchange announces its private verbs (X-EXPS, XEXCH50, X-LINK2STATE):
# only Exchange peers use them, the simulated server answers 502; the
# standard extensions work (BINARYMIME with BDAT, AUTH LOGIN in clear)
persona exchange
< 220 -
> EHLO client.example
< 250 -
> X-EXPS GSSAPI
< 502 5.5.1
rule vendor-verb
> X-LINK2STATE
< 502 5.5.1
rule vendor-verb
> MAIL FROM:<ann@example.com> BODY=BINARYMIME
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> XEXCH50 1 2
< 502 5.5.1
rule vendor-verb
> BDAT 7 LAST
+raw \x00\x01bin\r\n
< 250 2.0.0
rule message-accepted
# this Exchange takes LOGIN without TLS
> AUTH LOGIN
< 334 -
> YWxpY2U=
< 334 -
> d29uZGVybGFuZA==
< 235 2.7.0
> QUIT
< 221 2.0.0
