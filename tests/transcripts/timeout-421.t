# A client that says nothing for too long gets 421 and the connection
# is closed (RFC 5321 3.8, 4.5.3.2.7)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
timeout
< 421 4.4.2
rule timeout
phase closed
