# After the TLS handshake the session starts over (RFC 3207 4.2;
# security-cases S2): the EHLO and the open transaction are forgotten,
# and the new EHLO reply no longer offers STARTTLS but now offers AUTH
< 220 -
> EHLO client.example
< 250 -
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
< 502 5.5.1
rule not-implemented
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> STARTTLS
< 220 2.0.0
rule starttls
phase greeted
noevent starttls-discard
> MAIL FROM:<ann@example.com>
< 503 -
rule helo-first
> EHLO client.example
< 250 -
> DATA
< 503 5.5.1
rule data-before-mail
> STARTTLS
< 554 5.5.1
rule tls-already-active
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
< 235 2.7.0
> QUIT
< 221 2.0.0
