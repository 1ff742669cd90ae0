// No test talks to the internet: GitHub is nock or a loopback fake, DynamoDB is dynalite on loopback.
import { afterAll } from "@jest/globals";
import nock from "nock";

nock.disableNetConnect();
nock.enableNetConnect(/127\.0\.0\.1|localhost/);

// nock patches Node's http module, which every test file run by one Jest worker shares. Undo the patch after each
// file; otherwise one more layer piles up per file and every later HTTP request (AWS SDK to dynalite, loopback
// fakes) goes through all of them: 50 requests took 22 s instead of 0.6 s after 40 test files.
afterAll(() => {
  nock.restore();
});
