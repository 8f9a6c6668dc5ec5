/* SPDX-License-Identifier: GPL-3.0-or-later */
/* licence.h - the lines every program's --version ends with (the GNU
 * coding standards' form): smtpref is GPL-3.0-or-later, as GNU
 * readline, which smtpref-interactive links, requires */
#ifndef SMTPREF_LICENCE_H
#define SMTPREF_LICENCE_H

#define LICENCE_VERSION_TEXT \
	"Copyright (C) 2026 smtpref developers\n" \
	"License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n" \
	"This is free software: you are free to change and redistribute it.\n" \
	"There is NO WARRANTY, to the extent permitted by law.\n"

#endif
