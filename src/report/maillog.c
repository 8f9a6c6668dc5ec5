/* maillog.c - stub */
#include <config.h>
#include "report/reportint.h"
int report_log_is_line(const char *s, size_t n) { (void)s; (void)n; return 0; }
void report_log_reset(struct report *r) { (void)r; }
void report_log_line(struct report *r, const char *s, size_t n) { (void)r; (void)s; (void)n; }
void report_log_finish(struct report *r) { (void)r; }
