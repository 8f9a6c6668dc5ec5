# HELP: 214 for the command list or one command, 211 for the status
# (RFC 5321 4.1.1.8, 4.2.2), 504 for a topic it does not know
< 220 -
> HELP
< 214 -
rule help
> EHLO client.example
< 250 -
> HELP
< 214 2.0.0
> HELP MAIL
< 214 2.0.0
rule help-topic
> HELP STATUS
< 211 2.0.0
rule help-status
> HELP nothing-like-this
< 504 5.5.4
rule help-unknown
> MAIL FROM:<ann@example.com>
< 250 2.1.0
# HELP changes nothing: the transaction goes on
> HELP RCPT
< 214 2.0.0
phase mail
> QUIT
< 221 2.0.0
