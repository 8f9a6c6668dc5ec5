# CVE-2011-0411 with NOOP and with a whole pipelined envelope: one 220,
# and nothing sent in clear with STARTTLS ever runs (security-cases S1)
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
+ NOOP
< 220 2.0.0
event starttls-discard
> EHLO client.example
< 250 -
> QUIT
< 221 2.0.0
reconnect
< 220 -
> EHLO client.example
< 250 -
> STARTTLS
+ MAIL FROM:<ann@example.com>
+ RCPT TO:<alice@example.org>
+ DATA
< 220 2.0.0
event starttls-discard
phase greeted
> QUIT
< 221 -
