# EHLO takes a domain or an address literal, HELO a domain only
# (RFC 5321 4.1.1.1); a missing or bad argument gets 501, without an
# enhanced code since replies to EHLO/HELO never carry one (RFC 2034 3)
< 220 -
> EHLO
< 501 -
phase greeted
> HELO
< 501 -
> EHLO bad_name.example
< 501 -
> HELO [192.0.2.1]
< 501 -
> EHLO [192.0.2.300]
< 501 -
phase greeted
> EHLO [192.0.2.1]
< 250 -
phase ready
> EHLO [IPv6:2001:db8::1]
< 250 -
> HELO client.example
< 250 -
> QUIT
< 221 -
