/**
 * The infrastructure as CloudFormation receives it: the template `npm run package` compiles from serverless.yml and
 * infra/*.yml (default parameters, stage dev).
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { MAX_MESSAGE_BYTES } from "../../src/lambda/queue-message.js";
import { tableDefinition } from "../../src/store/table.js";
import { compiledTemplate, ensurePackaged, packagedFunctions } from "./packaged.js";

type Template = ReturnType<typeof compiledTemplate>;
type Statement = { Sid?: string; Effect: string; Action: string[]; Resource: unknown; "Fn::If"?: unknown };
let t: Template;

const props = (logicalId: string) => {
  const r = t.Resources[logicalId];
  if (!r) throw new Error(`no resource ${logicalId}`);
  return r.Properties;
};
const byType = (type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
function statements(role: string): Statement[] {
  return (props(role).Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>).flatMap((p) => p.PolicyDocument.Statement);
}
const sid = (role: string, name: string) => statements(role).find((s) => s.Sid === name)!;

beforeAll(() => {
  ensurePackaged();
  t = compiledTemplate();
}, 180_000);

describe("decision table", () => {
  it("has exactly the keys and indexes the store uses, on demand, with TTL on expiresAt, PITR and encryption", () => {
    const table = props("DecisionTable");
    const expected = tableDefinition("x");
    type Named = { AttributeName?: string; IndexName?: string };
    const sortByName = (a: unknown) => [...(a as Named[])].sort((x, y) => String(x.AttributeName ?? x.IndexName).localeCompare(String(y.AttributeName ?? y.IndexName)));
    expect(sortByName(table.AttributeDefinitions)).toEqual(sortByName(expected.AttributeDefinitions));
    expect(table.KeySchema).toEqual(expected.KeySchema);
    expect(sortByName(table.GlobalSecondaryIndexes)).toEqual(sortByName(expected.GlobalSecondaryIndexes));
    expect(table.BillingMode).toBe("PAY_PER_REQUEST");
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: "expiresAt", Enabled: true });
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.SSESpecification).toEqual({ SSEEnabled: true });
    expect(t.Resources.DecisionTable.DeletionPolicy).toBe("Retain");
  });
});

describe("queues", () => {
  it("review queue: visibility timeout ≥ 6 × the worker timeout, redrive to the dead-letter queue, SQS's message size", () => {
    const worker = packagedFunctions().find((f) => f.name === "worker")!;
    const queue = props("ReviewQueue");
    expect(Number(queue.VisibilityTimeout)).toBeGreaterThanOrEqual(6 * worker.timeout);
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { "Fn::GetAtt": ["ReviewDeadLetterQueue", "Arn"] }, maxReceiveCount: 3 });
    expect(queue.MaximumMessageSize).toBe(MAX_MESSAGE_BYTES);
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(props("ReviewDeadLetterQueue").SqsManagedSseEnabled).toBe(true);
  });

  it("the worker is triggered by the review queue and reports partial batch failures", () => {
    const [[, mapping]] = byType("AWS::Lambda::EventSourceMapping");
    expect(mapping.Properties).toMatchObject({ EventSourceArn: { "Fn::GetAtt": ["ReviewQueue", "Arn"] }, FunctionName: { "Fn::GetAtt": ["WorkerLambdaFunction", "Arn"] }, FunctionResponseTypes: ["ReportBatchItemFailures"] });
  });
});

describe("functions", () => {
  it("run on nodejs22.x with the Lambda environment, never the App's credentials in plain variables", () => {
    for (const id of ["WebhookLambdaFunction", "WorkerLambdaFunction"]) {
      const fn = props(id);
      const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(fn.Runtime).toBe("nodejs22.x");
      expect(Object.keys(variables).sort()).toEqual(["APP_SECRET_ID", "GHE_HOST", "GHE_PROTOCOL", "LOG_LEVEL", "QUEUE_URL", "TABLE_NAME"]);
      expect(variables).toMatchObject({ TABLE_NAME: { Ref: "DecisionTable" }, QUEUE_URL: { Ref: "ReviewQueue" }, APP_SECRET_ID: "gitops-guard/dev" });
    }
    expect(props("WebhookLambdaFunction").Handler).toBe("dist/bundle/webhook.handler");
    expect(props("WorkerLambdaFunction").Handler).toBe("dist/bundle/worker.handler");
    expect(Number(props("WebhookLambdaFunction").Timeout)).toBeLessThanOrEqual(10);
  });

  it("webhook is POST /api/github/webhooks on an HTTP API with payload format 2.0", () => {
    expect(byType("AWS::ApiGatewayV2::Route").map(([, r]) => r.Properties.RouteKey)).toEqual(["POST /api/github/webhooks"]);
    expect(byType("AWS::ApiGatewayV2::Integration").map(([, r]) => r.Properties.PayloadFormatVersion)).toEqual(["2.0"]);
  });

  it("log groups keep logs for a limited time", () => {
    for (const id of ["WebhookLogGroup", "WorkerLogGroup"]) expect(props(id).RetentionInDays).toBe(30);
  });
});

describe("alarms", () => {
  const alarms = () => byType("AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
  it("dead-letter queue not empty, errors and throttles of both functions, all to the alarm topic", () => {
    const on = (metric: string, dimension: unknown) => alarms().filter((a) => a.MetricName === metric && JSON.stringify(a.Dimensions ?? []).includes(JSON.stringify(dimension)));
    expect(on("ApproximateNumberOfMessagesVisible", { "Fn::GetAtt": ["ReviewDeadLetterQueue", "QueueName"] })).toEqual([expect.objectContaining({ Threshold: 0, ComparisonOperator: "GreaterThanThreshold" })]);
    for (const fn of ["WebhookLambdaFunction", "WorkerLambdaFunction"]) {
      expect(on("Errors", { Ref: fn })).toHaveLength(1);
      expect(on("Throttles", { Ref: fn })).toHaveLength(1);
    }
    for (const a of alarms()) expect(a.AlarmActions).toEqual([{ Ref: "AlarmTopic" }]);
  });
});

describe("least-privilege IAM", () => {
  it("no wildcard actions; DynamoDB on this table and its indexes, SQS on the review queue, the App secret only", () => {
    for (const role of ["WebhookRole", "WorkerRole"]) {
      for (const s of statements(role).filter((x) => x.Action)) {
        for (const a of s.Action) expect(a).not.toContain("*");
        expect(JSON.stringify(s.Resource)).not.toBe('"*"');
        if (s.Action.some((a) => a.startsWith("dynamodb:"))) expect(s.Resource).toEqual(expect.arrayContaining([{ "Fn::GetAtt": ["DecisionTable", "Arn"] }]));
        if (s.Action.some((a) => a.startsWith("sqs:"))) expect(s.Resource).toEqual([{ "Fn::GetAtt": ["ReviewQueue", "Arn"] }]);
      }
      expect(sid(role, "AppSecret")).toMatchObject({
        Action: ["secretsmanager:GetSecretValue"],
        Resource: [{ "Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:gitops-guard/dev-??????" }],
      });
    }
    expect(sid("WebhookRole", "QueuedClaims")).toMatchObject({ Action: ["dynamodb:PutItem", "dynamodb:DeleteItem"], Resource: [{ "Fn::GetAtt": ["DecisionTable", "Arn"] }] });
    expect(sid("WebhookRole", "Enqueue").Action).toEqual(["sqs:SendMessage"]);
    expect(sid("WorkerRole", "Decisions").Resource).toEqual([{ "Fn::GetAtt": ["DecisionTable", "Arn"] }, { "Fn::Sub": "${DecisionTable.Arn}/index/*" }]);
    // The ECR scan cache batches its reads and writes (src/store/ecr-scan-cache.ts): on the table only.
    expect(sid("WorkerRole", "EcrScanCache")).toMatchObject({ Action: ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"], Resource: [{ "Fn::GetAtt": ["DecisionTable", "Arn"] }] });
    expect(statements("WebhookRole").flatMap((s) => s.Action ?? []).some((a) => a.startsWith("ecr:") || a.startsWith("sts:"))).toBe(false);
  });

  it("ECR read-only actions; sts:AssumeRole only on role ARNs given as a parameter (none by default)", () => {
    expect(sid("WorkerRole", "EcrRead").Action.sort()).toEqual(["ecr:BatchGetImage", "ecr:DescribeImageScanFindings", "ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:ListImageReferrers"]);
    const assume = statements("WorkerRole").find((s) => s["Fn::If"]);
    expect(assume?.["Fn::If"]).toEqual(["HasAssumeRoleArns", expect.objectContaining({ Action: ["sts:AssumeRole"], Resource: { "Fn::Split": [",", ""] } }), { Ref: "AWS::NoValue" }]);
    expect(t.Conditions?.HasAssumeRoleArns).toEqual({ "Fn::Not": [{ "Fn::Equals": ["", ""] }] });
  });
});
