/* SPDX-License-Identifier: GPL-3.0-or-later */
/* explaincmd.c - smtpref explain [FILE...|-]
 *
 * Reads each file (or standard input) in pieces and hands them to the
 * report reader (src/report/), which recognises what it is; each
 * recipient it finds is printed at once by term/verdict.c, so memory
 * stays bounded whatever the input's size.  An input in which nothing
 * is found is named on standard error with what it looks like instead.
 */
#include <config.h>

#include "cli/explaincmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/report.h"
#include "term/render.h"
#include "term/verdict.h"

enum { OPT_COLOR = 256, OPT_JSON };

static const struct option options[] = {
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void usage(FILE *out)
{
	fputs(
"Usage: smtpref explain [OPTION]... [FILE]...\n"
"\n"
"Say what happened to each recipient of a bounce, a log or a session:\n"
"which address, why (the reason in a few words), who refused it at which\n"
"command, whether it is final, and what to do; then the details.  With no\n"
"FILE, or when FILE is -, read standard input.\n"
"\n"
"It recognises by itself:\n"
"  a bounce            an RFC 3464 delivery status notification, or the\n"
"                      bounce of any common mail system; MIME-encoded or not,\n"
"                      one message or an mbox of several\n"
"  log lines           of Postfix, Exim or Sendmail, grouped by queue id\n"
"  a transcript        of swaks, curl -v, openssl s_client, or smtpref's own\n"
"  a reply             a reply line or a multi-line reply block, or a\n"
"                      Diagnostic-Code: line\n"
"\n"
"Options:\n"
"      --json           one JSON object per input, one a line (the shape is\n"
"                       in smtpref(1), EXPLAIN)\n"
"      --color[=WHEN]   colour the output: auto (the default), always or never\n"
"  -q, --quiet          one line per recipient\n"
"  -h, --help           show this help and exit\n"
"\n"
"Exit status: 0 every input explained; 1 an input could not be read or\n"
"holds no bounce, log line, transcript or reply; 2 usage error.\n"
"\n"
"Examples:\n"
"  smtpref explain bounce.eml\n"
"  grep 4F9D195432 /var/log/mail.log | smtpref explain\n"
"  smtpref explain --json *.eml | jq -r '.recipients[] | .address + \" \" + .reason'\n"
"\n"
"Full documentation: man smtpref (EXPLAIN, REASONS)\n", out);
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("smtpref explain: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'smtpref explain --help' for more information.\n", stderr);
	return 2;
}

/* explain_stream - one input; 0 when something was found in it */
static int explain_stream(struct report *rp, struct verdict *v, FILE *in,
    const char *name)
{
	static char buf[1 << 16];
	const struct report_summary *s;
	size_t n;
	int err = 0;

	verdict_begin(v, name);
	report_begin(rp);
	/* binary input ends the reading: /dev/zero or a disk image would
	 * otherwise be read to its end, or forever */
	while (!report_done(rp) && (n = fread(buf, 1, sizeof buf, in)) > 0)
		report_feed(rp, buf, n);
	if (ferror(in))
		err = errno ? errno : EIO;
	report_end(rp);
	s = report_summary(rp);
	verdict_end(v, s);
	if (err) {
		fprintf(stderr, "smtpref: %s: %s\n", name, strerror(err));
		return 1;
	}
	if (s->too_deep)
		fprintf(stderr, "smtpref: %s: MIME parts nested more than %d deep were skipped\n",
		    name, REPORT_MIME_DEPTH);
	if (s->dropped)
		fprintf(stderr, "smtpref: %s: %lu recipients past the first %d of a bounce's text were left out\n",
		    name, s->dropped, REPORT_PENDING_MAX);
	if (s->recipients == 0) {
		fprintf(stderr, "smtpref: %s: not a bounce, a mail log, a transcript or a reply: it looks like %s\n",
		    name, s->looks_like ? s->looks_like : "something else");
		return 1;
	}
	return 0;
}

static int explain_file(struct report *rp, struct verdict *v, const char *path)
{
	struct stat st;
	FILE *in;
	int status;

	if (!strcmp(path, "-"))
		return explain_stream(rp, v, stdin, "-");
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "smtpref: %s: is a directory (give the files in it)\n", path);
		return 1;
	}
	if ((in = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "smtpref: %s: %s\n", path, strerror(errno));
		return 1;
	}
	status = explain_stream(rp, v, in, path);
	fclose(in);
	return status;
}

int explain_main(int argc, char **argv)
{
	enum render_color_mode color = RENDER_COLOR_AUTO;
	int json = 0, quiet = 0, c, status = 0, k, i;
	struct report *rp;
	struct verdict v;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
		switch (c) {
		case OPT_COLOR:
			k = optarg ? render_parse_color(optarg) : RENDER_COLOR_ALWAYS;
			if (k < 0)
				return usage_error("invalid --color value '%s' (use auto, always or never)", optarg);
			color = (enum render_color_mode)k;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if ((rp = report_new(verdict_rcpt, &v)) == NULL) {
		fputs("smtpref: out of memory\n", stderr);
		return 1;
	}
	verdict_init(&v, stdout, json, quiet, color);
	if (optind == argc)
		status = explain_file(rp, &v, "-");
	for (i = optind; i < argc; i++)
		status |= explain_file(rp, &v, argv[i]);
	report_free(rp);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "smtpref: standard output: %s\n", strerror(errno));
		return 1;
	}
	return status;
}
