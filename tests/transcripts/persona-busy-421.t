# A server too busy to talk greets with 421 and closes at once (RFC 5321
# 3.8): the client tries again later, or the next MX host
persona busy
< 421 -
rule greeting-busy
phase closed
