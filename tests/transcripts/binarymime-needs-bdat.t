# BODY=BINARYMIME messages can only go with BDAT: DATA MUST get 503
# (RFC 3030 3)
persona everything
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com> BODY=BINARYMIME
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 503 5.5.1
rule data-binarymime
phase rcpt
> BDAT 4 LAST
+raw \x00\xff\r\n
< 250 2.0.0
> QUIT
< 221 2.0.0
