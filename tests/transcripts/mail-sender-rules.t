# MAIL: the null reverse-path <> is for bounces (RFC 5321 4.5.5); a
# blocked sender gets 550 and no transaction opens
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<spammer@spam.example>
< 550 5.7.1
rule sender-blocked
phase ready
> MAIL FROM:<>
< 250 2.1.0
rule mail-null-sender
phase mail
> RSET
< 250 2.0.0
> MAIL FROM:<@relay.example:ann@example.com>
< 250 2.1.0
> QUIT
< 221 2.0.0
