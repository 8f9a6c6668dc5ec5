# carol@example.org may log in only with CRAM-MD5: a right password
# with PLAIN gets 534 5.7.9 "mechanism too weak" (RFC 4954 6);
#   HMAC-MD5("marvel", "<1001.1700000001@mx.example.org>")
#     = b9acd8d1cd976c0529a6b8da86e10962
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> AUTH PLAIN AGNhcm9sAG1hcnZlbA==
< 534 5.7.9
rule auth-too-weak
> AUTH CRAM-MD5
< 334 -
> Y2Fyb2wgYjlhY2Q4ZDFjZDk3NmMwNTI5YTZiOGRhODZlMTA5NjI=
< 235 2.7.0
> QUIT
< 221 2.0.0
