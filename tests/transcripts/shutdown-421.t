# A server shutting down answers 421 and closes (RFC 5321 3.8); before
# EHLO there is no enhanced code yet
< 220 -
shutdown
< 421 -
rule shutdown
phase closed
