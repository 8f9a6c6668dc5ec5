# PLAIN and LOGIN send the password nearly in clear: this server takes
# them only inside TLS and answers 538 5.7.11 before (RFC 4954 4, 6)
persona everything
< 220 -
> EHLO client.example
< 250 -
> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=
< 538 5.7.11
rule auth-needs-tls
phase ready
> AUTH LOGIN
< 538 5.7.11
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> AUTH LOGIN
< 334 -
> YWxpY2U=
< 334 -
> d29uZGVybGFuZA==
< 235 2.7.0
> QUIT
< 221 2.0.0
