# DELIVERBY (RFC 2852 4): BY=seconds;R|N[T]; a by-time below the
# announced minimum gets 555, one the busy queue cannot meet now 455
# (RFC 5321 4.1.1.11), bad values 501
persona everything
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com> BY=30;R
< 555 5.5.4
rule by-below-minimum
> MAIL FROM:<ann@example.com> BY=120;R
< 455 4.3.0
rule by-queue-busy
phase ready
> MAIL FROM:<ann@example.com> BY=soon;R
< 501 5.5.4
rule param-value
> MAIL FROM:<ann@example.com> BY=120;X
< 501 5.5.4
> MAIL FROM:<ann@example.com> BY=0;R
< 501 5.5.4
> MAIL FROM:<ann@example.com> BY=120
< 501 5.5.4
> MAIL FROM:<ann@example.com> BY=3600;RT
< 250 2.1.0
> RSET
< 250 2.0.0
# with N (notify) even a time already past is fine
> MAIL FROM:<ann@example.com> BY=-60;N
< 250 2.1.0
> QUIT
< 221 2.0.0
