# SMTP smuggling against the strict persona: each variant with a bare
# CR or LF is refused with one 554 5.5.2 after the real CRLF . CRLF
# (RFC 5321 4.1.1.4, 2.3.8; security-cases 2: "5xx for bare CR/LF");
# the smuggled command never runs and the session stays usable.
persona strict
< 220 -
> EHLO client.example
< 250 -
# lflf: LF . LF
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw x\r\n\n.\nMAIL FROM:<evil@example.com>\r\n.\r\n
< 554 5.5.2
rule bare-lf-data
phase ready
# crlflf: CRLF . LF
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw x\r\n\r\n.\nMAIL FROM:<evil@example.com>\r\n.\r\n
< 554 5.5.2
rule bare-lf-data
phase ready
# crcr: CR . CR
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw x\r\n\r.\rMAIL FROM:<evil@example.com>\r\n.\r\n
< 554 5.5.2
rule bare-lf-data
phase ready
# crcrlf: CR . CRLF
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw x\r\n\r.\r\nMAIL FROM:<evil@example.com>\r\n.\r\n
< 554 5.5.2
rule bare-lf-data
phase ready
# crlf-bare: CR . LF
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw x\r\n\r.\nMAIL FROM:<evil@example.com>\r\n.\r\n
< 554 5.5.2
rule bare-lf-data
phase ready
# crlfcr: CRLF . CR
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw x\r\n\r\n.\rMAIL FROM:<evil@example.com>\r\n.\r\n
< 554 5.5.2
rule bare-lf-data
phase ready
# lfcr: LF . CR
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw x\r\n\n.\rMAIL FROM:<evil@example.com>\r\n.\r\n
< 554 5.5.2
rule bare-lf-data
phase ready
# lfcrlf: LF . CRLF (the Outlook-to-Postfix case)
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw x\r\n\n.\r\nMAIL FROM:<evil@example.com>\r\n.\r\n
< 554 5.5.2
rule bare-lf-data
phase ready
# crlfcrcrlf: CRLF . CR CRLF
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw x\r\n\r\n.\r\r\nMAIL FROM:<evil@example.com>\r\n.\r\n
< 554 5.5.2
rule bare-lf-data
phase ready
# crcrlf2: CR CRLF . CR CRLF
> MAIL FROM:<ann@example.com>
< 250 2.1.0
> RCPT TO:<alice@example.org>
< 250 2.1.5
> DATA
< 354 -
>raw x\r\n\r\r\n.\r\r\nMAIL FROM:<evil@example.com>\r\n.\r\n
< 554 5.5.2
rule bare-lf-data
phase ready
> QUIT
< 221 2.0.0
