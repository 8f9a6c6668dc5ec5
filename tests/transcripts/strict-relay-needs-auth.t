# The strict persona relays to other domains only for clients that
# logged in, and AUTH exists only inside TLS (RFC 5321 3.6.2, RFC 4954)
persona strict
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<alice@example.org>
< 250 2.1.0
> RCPT TO:<someone@example.com>
< 550 5.7.1
rule relay-denied
> RCPT TO:<alice@example.org>
< 250 2.1.5
> RSET
< 250 2.0.0
# AUTH is not announced before TLS
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
< 502 5.5.1
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
< 235 2.7.0
> MAIL FROM:<alice@example.org>
< 250 2.1.0
> RCPT TO:<someone@example.com>
< 250 2.1.5
rule relay-authenticated
> QUIT
< 221 2.0.0
