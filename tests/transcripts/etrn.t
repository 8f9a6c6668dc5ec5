# ETRN (RFC 1985 5): 250 a named queue started, 251 nothing waiting,
# 252 the domain and its subdomains, 253 messages waiting, 458 cannot
# run the queue now, 459 node not allowed, 501 no node
persona everything
< 220 -
> EHLO client.example
< 250 -
> ETRN #outgoing
< 250 2.0.0
rule etrn-queue
> ETRN quiet.example
< 251 2.0.0
rule etrn-empty
> ETRN @example.net
< 252 2.0.0
rule etrn-subdomains
> ETRN example.net
< 253 2.0.0
rule etrn-started
> ETRN broken.example
< 458 4.3.0
rule etrn-cannot
> ETRN example.org
< 459 4.7.1
rule etrn-not-allowed
> ETRN
< 501 5.5.2
rule etrn-syntax
# ETRN is not allowed inside a transaction (RFC 1985 5)
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> ETRN example.net
< 503 5.5.1
rule etrn-in-transaction
phase mail
> QUIT
< 221 2.0.0
