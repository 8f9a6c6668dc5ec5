# AUTH CRAM-MD5 (RFC 2195): the server's first challenge in a session
# is <1001.1700000001@mx.example.org>; the answer is the user name, a
# space and HMAC-MD5(key = password, challenge) in hex, in base64:
#   HMAC-MD5("wonderland", "<1001.1700000001@mx.example.org>")
#     = 542af41c3ceb7f5162a8ec2d177f6e04
# CRAM-MD5 sends no password, so this persona allows it before TLS
persona everything
< 220 -
> EHLO client.example
< 250 -
> AUTH CRAM-MD5 YWxpY2U=
< 501 5.7.0
rule auth-server-first
> AUTH CRAM-MD5
< 334 -
rule auth-cram-challenge
> YWxpY2UgNTQyYWY0MWMzY2ViN2Y1MTYyYThlYzJkMTc3ZjZlMDQ=
< 235 2.7.0
rule auth-ok
> QUIT
< 221 2.0.0
reconnect
< 220 -
> EHLO client.example
< 250 -
> AUTH CRAM-MD5
< 334 -
# not a user name, a space and 32 hex digits
> YWxpY2U=
< 501 5.5.2
rule auth-cram-syntax
# the second challenge of a session is different (1002), so replaying
# the first answer fails
> AUTH CRAM-MD5
< 334 -
> YWxpY2UgNTQyYWY0MWMzY2ViN2Y1MTYyYThlYzJkMTc3ZjZlMDQ=
< 535 5.7.8
> QUIT
< 221 2.0.0
