# AUTH LOGIN: 334 "Username:", 334 "Password:", then 235; the user
# name may also come as an initial response
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> AUTH LOGIN
< 334 -
rule auth-login-user
> YWxpY2U=
< 334 -
rule auth-login-password
> d3Jvbmc=
< 535 5.7.8
> AUTH LOGIN YWxpY2VAZXhhbXBsZS5vcmc=
< 334 -
rule auth-login-password
> d29uZGVybGFuZA==
< 235 2.7.0
> QUIT
< 221 2.0.0
