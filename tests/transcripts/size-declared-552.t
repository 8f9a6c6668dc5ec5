# SIZE (RFC 1870): a declared size over the announced limit gets 552 at
# MAIL, before any text is sent (6.1); up to the limit is fine
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com> SIZE=35882578
< 552 5.3.4
rule size-declared
phase ready
> MAIL FROM:<ann@example.com> SIZE=35882577
< 250 2.1.0
> RSET
< 250 2.0.0
> MAIL FROM:<ann@example.com> SIZE=lots
< 501 5.5.4
rule param-value
> QUIT
< 221 2.0.0
