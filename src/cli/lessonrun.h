/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lessonrun.h - lessons in the interactive front ends: smtpref lesson
 * run, and --lesson / :lesson in the shell and the TUI */
#ifndef SMTPREF_LESSONRUN_H
#define SMTPREF_LESSONRUN_H

struct console_opts;
struct lesson_path;

/* lesson_run_main - argv[0] is "run", then the options and the lesson's
 * name as the user gave them (smtpref lesson run [--dir DIR] NAME): the
 * shell, running that lesson until it is over.  Returns the exit status. */
int lesson_run_main(int argc, char **argv);

/* lesson_console_setup - let a console run lessons: the progress
 * directory, and :lesson finding lessons in path (NULL: the default
 * path).  With name, that lesson is loaded into co->lesson, to start with
 * the console.  prog names the command in messages.  Returns -1 to go on,
 * or the exit status (1: no such lesson, or it does not parse; the
 * problems are on stderr as file:line). */
int lesson_console_setup(struct console_opts *co, const char *prog,
    const char *name, const struct lesson_path *path);

#endif
