# ENHANCEDSTATUSCODES (RFC 2034 3): once EHLO announced it, every 2xx,
# 4xx and 5xx reply carries a code, except the greeting and replies to
# EHLO/HELO; 3xx replies never do
< 220 -
> NOOP
< 250 -
> EHLO client.example
< 250 -
> NOOP
< 250 2.0.0
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
> .
< 250 2.0.0
> EHLO
< 501 -
# after HELO there are no extensions, so no enhanced codes
> HELO client.example
< 250 -
> NOOP
< 250 -
> FOO
< 500 -
> EHLO client.example
< 250 -
> FOO
< 500 5.5.1
> QUIT
< 221 2.0.0
