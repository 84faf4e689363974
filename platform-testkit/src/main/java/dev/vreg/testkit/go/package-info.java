/**
 * Go test fixtures: module versions described in code ({@link dev.vreg.testkit.go.GoModule}), a static GOPROXY
 * serving them with request counting and fault injection ({@link dev.vreg.testkit.go.StaticGoProxy}), the same as an
 * upstream fixture that can also be programmed per path, require credentials and misbehave
 * ({@link dev.vreg.testkit.go.GoproxyFixture}), and the real go command in a sealed environment
 * ({@link dev.vreg.testkit.go.GoTool}), and small Go programs that ask the toolchain's own golang.org/x/mod for the
 * truth ({@link dev.vreg.testkit.go.XModProgram}).
 *
 * <p>The fixtures are meant to be byte-exact: the {@code .info}, {@code .mod} and {@code .zip} files are what a real
 * proxy serves, and the {@code h1:} hashes are what the go command writes to go.sum. Zips are written, and hashes
 * computed, by the go command's rules in {@code go-module}; the tests of this package prove the results with the go
 * command itself.
 */
package dev.vreg.testkit.go;
