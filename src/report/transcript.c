/* transcript.c - stub */
#include <config.h>
#include "report/reportint.h"
int report_session_is_line(const char *s, size_t n) { (void)s; (void)n; return 0; }
void report_session_reset(struct report *r) { (void)r; }
void report_session_line(struct report *r, const char *s, size_t n) { (void)r; (void)s; (void)n; }
void report_session_finish(struct report *r) { (void)r; }
