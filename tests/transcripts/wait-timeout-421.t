# Simulated time on an open connection: a client that says nothing for 5
# minutes or more meets the server's timeout, 421 and a closed connection
# (RFC 5321 4.5.3.2.7, 3.8); a shorter pause changes nothing
< 220 -
> EHLO client.example
< 250 -
wait 4m
> NOOP
< 250 2.0.0
wait 5m
< 421 4.4.2
rule timeout
phase closed
