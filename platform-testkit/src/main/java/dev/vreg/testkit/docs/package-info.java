/**
 * Runnable documentation: the examples of a Markdown file run as a test, so the documentation cannot drift from
 * what the software does.
 *
 * <p>{@link dev.vreg.testkit.docs.RunnableDoc#read} takes the fenced blocks whose info string carries attributes in
 * braces; all other blocks are prose. {@link dev.vreg.testkit.docs.DocRunner} runs them in order in one bash session
 * in a directory of its own, with only {@code PATH}, {@code HOME} and the environment the test gives
 * ({@link dev.vreg.testkit.docs.DocRunner#env}), and {@link dev.vreg.testkit.docs.DocRun#assertPassed} fails naming
 * the first failing block by file and line, with its commands and output.
 *
 * <pre>
 * ```sh {run}            commands that must succeed (the block's status is its last command's)
 * ```sh {run fails}      commands whose last one must fail
 * ```text {output}       right after a run block: what it prints (stdout and stderr); a line "..." stands for
 *                        any lines, "..." inside a line for any text in it; trailing blanks are ignored
 * ```text {file=PATH mode=600}
 *                        written to PATH before the next block: relative to the session directory, or to HOME
 *                        when it starts with ~/; mode optional
 * ```sh {norun="WHY"}    a command shown but deliberately not run, with the reason (it builds the project under
 *                        test, needs a cluster, ...)
 * </pre>
 *
 * <p>{@link dev.vreg.testkit.docs.Fence#read} lists every fenced block of a file, runnable or not, with its language
 * and markers: what a check that no example of a documentation tree is left unrun walks.
 *
 * <p>In file and output blocks {@code ${NAME}} of a variable the test gives is replaced by its value (a
 * {@code .netrc} can show {@code password ${VREG_TOKEN}}); other text, and commands, are left to the shell. A block
 * must not {@code exit}: it is sourced into the session. Each block may run for the runner's timeout (2 minutes by
 * default); processes a block leaves running are killed when the run ends.
 *
 * <pre>{@code
 * DocRunner.in(tempDir).env("VREG", vreg.baseUrl()).run(RunnableDoc.read(Path.of("docs/goauth.md")))
 *         .assertPassed();
 * }</pre>
 */
package dev.vreg.testkit.docs;
