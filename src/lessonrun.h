/* lessonrun.h - smtpref lesson run: a lesson inside the interactive shell */
#ifndef SMTPREF_LESSONRUN_H
#define SMTPREF_LESSONRUN_H

/* lesson_run_main - argv[0] is "run", then the options and the lesson's
 * name as the user gave them (smtpref lesson run [--dir DIR] NAME);
 * returns the exit status (lessoncmd.h has the search path, lesson.h the
 * session and the evaluator, progress.h and receipt.h the rest) */
int lesson_run_main(int argc, char **argv);

#endif
