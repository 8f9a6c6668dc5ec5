# Unknown verbs get 500 (RFC 5321 4.2.4), also a header line sent
# where a command was expected and an empty line
< 220 -
> FOO
< 500 -
rule unknown-verb
> EHLO client.example
< 250 -
> XYZZY plugh
< 500 5.5.1
rule unknown-verb
> Subject: x
< 500 5.5.1
rule unknown-verb
> 
< 500 5.5.1
> MAILFROM:<ann@example.com>
< 500 5.5.1
> NOOP
< 250 2.0.0
> QUIT
< 221 2.0.0
