// No test talks to the internet: GitHub is nock or a loopback fake, DynamoDB is dynalite on loopback.
import nock from "nock";

nock.disableNetConnect();
nock.enableNetConnect(/127\.0\.0\.1|localhost/);
