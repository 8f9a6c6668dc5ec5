# CVE-2011-0411: commands in the same read as STARTTLS are discarded,
# never run after the handshake (security-cases S1, S2)
< 220
> EHLO client.example
< 250
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> STARTTLS
+ RSET
+ EHLO commandinjectiontester
< 220 2.0.0
event starttls-discard
phase greeted
# EHLO and MAIL were forgotten with the handshake
> MAIL FROM:<ann@example.com>
< 503
rule helo-first
> EHLO client.example
< 250
> RCPT TO:<alice@example.org>
< 503 5.5.1
> STARTTLS
< 554 5.5.1
> QUIT
< 221
