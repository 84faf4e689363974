package dev.vreg.testkit.docs;

import java.util.List;

/** What running a {@link RunnableDoc} gave: one result per block run, up to and including the first failure. */
public record DocRun(RunnableDoc doc, List<Result> results) {

    /**
     * One block's result.
     *
     * @param status  the shell's status of the block ({@code -1} when it did not finish), 0 for file blocks
     * @param output  what it printed, standard output and error interleaved
     * @param failure why it failed, or null when it passed
     * @param elapsed how long it ran
     */
    public record Result(DocBlock block, int status, String output, String failure, java.time.Duration elapsed) {

        public boolean passed() {
            return failure == null;
        }
    }

    public DocRun {
        results = List.copyOf(results);
    }

    /** Whether every block ran and passed. */
    public boolean passed() {
        return results.size() == doc.blocks().size() && results.stream().allMatch(Result::passed);
    }

    /** The first failing block's result, or null. */
    public Result failure() {
        return results.stream().filter(r -> !r.passed()).findFirst().orElse(null);
    }

    /**
     * Throws unless every block passed, naming the failing block by file and line, with its commands and output.
     *
     * @return this
     */
    public DocRun assertPassed() {
        Result failed = failure();
        if (failed == null && passed()) {
            return this;
        }
        if (failed == null) {
            throw new AssertionError(doc.name() + ": only " + results.size() + " of " + doc.blocks().size()
                    + " blocks ran");
        }
        throw new AssertionError(failed.block().where(doc.name()) + ": the block " + failed.failure() + "\n"
                + "--- block ---\n" + failed.block().text()
                + "--- output ---\n" + failed.output());
    }
}
