# AUTH must end a pipelined group, except with an initial response that
# finishes in one round trip, like PLAIN (RFC 4954 4)
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
+ MAIL FROM:<alice@example.org>
+ RCPT TO:<someone@example.com>
< 235 2.7.0
< 250 2.1.0
< 250 2.1.5
rule relay-authenticated
noevent pipelining-not-last
> QUIT
< 221 2.0.0
