# The submission persona (port 587): before TLS only EHLO, STARTTLS,
# NOOP and QUIT work (530, RFC 3207 4); after TLS, AUTH comes before
# anything else (530, RFC 4954 6)
persona submission
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<alice@example.org>
< 530 5.7.0
rule tls-required
# replies to HELO and EHLO never carry an enhanced code (RFC 2034 3)
> HELO client.example
< 530 -
rule tls-required
> NOOP
< 250 2.0.0
> STARTTLS
< 220 2.0.0
phase greeted
> EHLO client.example
< 250 -
> MAIL FROM:<alice@example.org>
< 530 5.7.0
rule auth-required
> VRFY alice
< 530 5.7.0
rule auth-required
> RSET
< 250 2.0.0
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
< 235 2.7.0
> MAIL FROM:<alice@example.org>
< 250 2.1.0
# authenticated: relaying to another organisation is allowed
> RCPT TO:<someone@example.com>
< 250 2.1.5
rule relay-authenticated
> DATA
< 354 -
> .
< 250 2.0.0
> QUIT
< 221 2.0.0
