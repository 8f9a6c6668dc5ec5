# A MAIL or RCPT parameter that belongs to no announced extension gets
# 555 (RFC 5321 4.1.1.11; a client MUST NOT send it, 4.1.1.3)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com> FOO=bar
< 555 5.5.4
rule param-not-offered
phase ready
# DELIVERBY and MT-PRIORITY are not offered by this persona
> MAIL FROM:<ann@example.com> BY=120;R
< 555 5.5.4
> MAIL FROM:<ann@example.com> MT-PRIORITY=3
< 555 5.5.4
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org> XTRA=1
< 555 5.5.4
rule param-not-offered
phase mail
> QUIT
< 221 2.0.0
