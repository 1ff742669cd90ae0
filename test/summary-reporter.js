// Prints the plain closing line CI systems read ("N passed, N failed, N skipped") after Jest's own summary.
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped, numTotalTests: total } = results;
    const suitesFailed = results.numFailedTestSuites + (results.numRuntimeErrorTestSuites ?? 0);
    if (total === 0) process.stdout.write("tests: 0 passed, 0 failed\n");
    else process.stdout.write(`tests: ${passed} passed, ${failed + (failed === 0 && suitesFailed > 0 ? suitesFailed : 0)} failed, ${skipped} skipped\n`);
  }
}
