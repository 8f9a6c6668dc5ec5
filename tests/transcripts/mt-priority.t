# MT-PRIORITY (RFC 6710 3): a priority from -9 to 9 on MAIL
persona everything
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com> MT-PRIORITY=10
< 501 5.5.4
rule param-value
> MAIL FROM:<ann@example.com> MT-PRIORITY=high
< 501 5.5.4
> MAIL FROM:<ann@example.com> MT-PRIORITY=-9
< 250 2.1.0
> RSET
< 250 2.0.0
> MAIL FROM:<ann@example.com> MT-PRIORITY=+3
< 250 2.1.0
> QUIT
< 221 2.0.0
