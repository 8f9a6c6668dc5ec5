# REQUIRETLS (RFC 8689) is offered only inside TLS: asked for before
# STARTTLS it gets 530 (use STARTTLS first); after TLS it is accepted
persona everything
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com> REQUIRETLS
< 530 5.7.10
rule requiretls-needs-tls
phase ready
> STARTTLS
< 220 2.0.0
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com> REQUIRETLS=yes
< 501 5.5.4
rule param-value
> MAIL FROM:<ann@example.com> REQUIRETLS
< 250 2.1.0
> QUIT
< 221 2.0.0
