/* shell.h - the interactive teaching shell (smtpref shell) */
#ifndef SMTPREF_SHELL_H
#define SMTPREF_SHELL_H

/* shell_main - argv[0] is "shell"; returns the exit status */
int shell_main(int argc, char **argv);

#endif
