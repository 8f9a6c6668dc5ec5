# A client that drops the connection mid-transaction: no reply, no
# message (RFC 5321 3.8)
< 220 -
> EHLO client.example
< 250 -
> MAIL FROM:<ann@example.com>
< 250 2.1.0
eof
phase closed
event dropped-in-transaction
