/* tui.h - the full-screen view (smtpref tui) */
#ifndef SMTPREF_TUI_H
#define SMTPREF_TUI_H

/* tui_main - argv[0] is "tui"; returns the exit status */
int tui_main(int argc, char **argv);

#endif
