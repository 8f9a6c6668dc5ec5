# SIZE within the limit but over the free space: 452 4.3.1, try later
# (RFC 1870 6.1); the everything persona has a 1 MiB spool
persona everything
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com> SIZE=2000000
< 452 4.3.1
rule size-spool
phase ready
> MAIL FROM:<ann@example.com> SIZE=20000000
< 552 5.3.4
> MAIL FROM:<ann@example.com> SIZE=1000000
< 250 2.1.0
> QUIT
< 221 2.0.0
