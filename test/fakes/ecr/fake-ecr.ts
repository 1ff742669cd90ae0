/**
 * A loopback ECR-compatible server for tests and the call-count scenario. It speaks the real AWS JSON 1.1
 * protocol (`X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Op>`, `application/x-amz-json-1.1`, errors as
 * `{"__type", "message"}` with the HTTP status AWS uses) for the five operations gitops-guard calls, and STS
 * `AssumeRole` in the query protocol (form body in, XML out), so the SDK reaches it through
 * `AWS_ENDPOINT_URL_ECR` / `AWS_ENDPOINT_URL_STS` unchanged. It is stateful (repositories, images, indexes,
 * scans, referrers), counts calls per operation, can fail calls on demand, and can require that an account's
 * registry is called with the credentials of an assumed role (to prove cross-account roles are used).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Json = Record<string, unknown>;

export interface FakeScan {
  status: string;
  description?: string;
  /** Basic findings, wire shape. */
  findings?: Json[];
  /** Enhanced findings, wire shape. */
  enhancedFindings?: Json[];
  severityCounts?: Record<string, number>;
  completedAt?: number;
}

export interface FakeImage {
  digest: string;
  tags?: string[];
  mediaType?: string;
  /** The manifest text BatchGetImage returns (an index lists its children here). */
  manifest?: string;
  artifactType?: string;
  /** For a referrer (signature, attestation): the digest it refers to. */
  subject?: string;
  size?: number;
  /** A scan; absent: ScanNotFoundException. */
  scan?: FakeScan;
  /** Verbatim DescribeImageScanFindings pages (their own nextToken chain), instead of `scan`. */
  scanPages?: Json[];
}

interface Repo {
  registryId: string;
  name: string;
  mutability: string;
  exclusions: string[];
  images: FakeImage[];
}

export const ECR_OPERATIONS = ["DescribeImages", "BatchGetImage", "DescribeImageScanFindings", "DescribeRepositories", "ListImageReferrers"] as const;
export type EcrOperation = (typeof ECR_OPERATIONS)[number];
export type CallCounts = Record<EcrOperation | "AssumeRole", number>;

interface Fault {
  op: string;
  type: string;
  message: string;
  status: number;
  remaining: number;
  match?: (body: Json) => boolean;
}

export interface RecordedCall {
  op: string;
  body: Json;
  accessKeyId: string | null;
  region: string | null;
}

const TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";
const MEDIA_DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json";

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function idOf(body: Json): { imageDigest?: string; imageTag?: string } {
  return (body as { imageId?: { imageDigest?: string; imageTag?: string } }).imageId ?? {};
}

export class FakeEcr {
  private readonly repos = new Map<string, Repo>();
  private readonly faults: Fault[] = [];
  /** registryId → access key id that calls to it must be signed with. */
  private readonly requiredKeys = new Map<string, string>();
  /** role ARN → the temporary access key id AssumeRole hands out for it. */
  private readonly roles = new Map<string, string>();
  readonly calls: RecordedCall[] = [];
  /** Maximum page size DescribeImageScanFindings uses, whatever maxResults asks (to force pagination). */
  scanPageSize = 1000;

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<FakeEcr> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const fake = new FakeEcr(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on("request", (req, res) => void fake.handle(req, res));
    return fake;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections();
    });
  }

  // ---- state ----------------------------------------------------------------------------------------------

  repository(registryId: string, name: string, opts: { mutability?: string; exclusions?: string[] } = {}): this {
    this.repos.set(`${registryId}/${name}`, { registryId, name, mutability: opts.mutability ?? "IMMUTABLE", exclusions: opts.exclusions ?? [], images: [] });
    return this;
  }

  image(registryId: string, repository: string, image: FakeImage): this {
    const repo = this.repos.get(`${registryId}/${repository}`);
    if (!repo) throw new Error(`fake ECR: no repository ${registryId}/${repository}`);
    repo.images = repo.images.filter((i) => i.digest !== image.digest);
    for (const t of image.tags ?? []) for (const other of repo.images) other.tags = other.tags?.filter((x) => x !== t);
    repo.images.push(image);
    return this;
  }

  /** Changes the scan of an image (e.g. IN_PROGRESS → COMPLETE). */
  setScan(registryId: string, repository: string, digest: string, scan: FakeScan | undefined): this {
    const img = this.find(registryId, repository, digest);
    if (!img) throw new Error(`fake ECR: no image ${digest}`);
    img.scan = scan;
    return this;
  }

  /** The next `times` calls of `op` (matching `match`) fail with this AWS error. */
  fail(op: string, type: string, opts: { times?: number; message?: string; status?: number; match?: (body: Json) => boolean } = {}): this {
    this.faults.push({ op, type, message: opts.message ?? `${type} (fake)`, status: opts.status ?? (type === "ServerException" ? 500 : 400), remaining: opts.times ?? 1, match: opts.match });
    return this;
  }

  /** Calls to this registry must be signed with the credentials STS hands out for `roleArn`; others are denied. */
  requireRole(registryId: string, roleArn: string): this {
    const key = `ASIA${registryId}${randomBytes(2).toString("hex").toUpperCase()}`;
    this.roles.set(roleArn, key);
    this.requiredKeys.set(registryId, key);
    return this;
  }

  counts(): CallCounts {
    const out = { AssumeRole: 0 } as CallCounts;
    for (const op of ECR_OPERATIONS) out[op] = 0;
    for (const c of this.calls) if (c.op in out) out[c.op as keyof CallCounts]++;
    return out;
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  private find(registryId: string, repository: string, digest: string): FakeImage | undefined {
    return this.repos.get(`${registryId}/${repository}`)?.images.find((i) => i.digest === digest);
  }

  // ---- HTTP -----------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const auth = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\//.exec(String(req.headers.authorization ?? ""));
    const target = String(req.headers["x-amz-target"] ?? "");
    if (target.startsWith(TARGET_PREFIX)) {
      const op = target.slice(TARGET_PREFIX.length);
      let body: Json = {};
      try {
        body = text ? (JSON.parse(text) as Json) : {};
      } catch {
        return this.jsonError(res, new AwsError("SerializationException", "body is not JSON"));
      }
      this.calls.push({ op, body, accessKeyId: auth?.[1] ?? null, region: auth?.[2] ?? null });
      try {
        this.injectFault(op, body);
        this.checkAccess(op, body, auth?.[1] ?? null);
        const out = this.ecr(op, body);
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": randomBytes(8).toString("hex") });
        res.end(JSON.stringify(out));
      } catch (err) {
        this.jsonError(res, err instanceof AwsError ? err : new AwsError("ServerException", String(err), 500));
      }
      return;
    }
    const form = new URLSearchParams(text);
    if (form.get("Action") === "AssumeRole") return this.assumeRole(form, res, auth?.[1] ?? null);
    this.jsonError(res, new AwsError("UnknownOperationException", `unknown operation ${target || form.get("Action") || "?"}`));
  }

  private jsonError(res: ServerResponse, err: AwsError): void {
    res.writeHead(err.status, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": err.type });
    res.end(JSON.stringify({ __type: err.type, message: err.message }));
  }

  private injectFault(op: string, body: Json): void {
    const f = this.faults.find((x) => x.op === op && x.remaining > 0 && (!x.match || x.match(body)));
    if (!f) return;
    f.remaining--;
    throw new AwsError(f.type, f.message, f.status);
  }

  private checkAccess(op: string, body: Json, accessKeyId: string | null): void {
    const registryId = String(body.registryId ?? "");
    const required = this.requiredKeys.get(registryId);
    if (required && accessKeyId !== required) {
      throw new AwsError(
        "AccessDeniedException",
        `User: arn:aws:sts::000000000000:assumed-role/hub/gitops-guard is not authorized to perform: ecr:${op} on resource: arn:aws:ecr:eu-central-1:${registryId}:repository/${String(body.repositoryName ?? "*")} because no resource-based policy allows the ecr:${op} action`,
      );
    }
  }

  private assumeRole(form: URLSearchParams, res: ServerResponse, callerKey: string | null): void {
    const roleArn = form.get("RoleArn") ?? "";
    this.calls.push({ op: "AssumeRole", body: { RoleArn: roleArn, RoleSessionName: form.get("RoleSessionName") }, accessKeyId: callerKey, region: null });
    const key = this.roles.get(roleArn);
    if (!key) {
      res.writeHead(403, { "content-type": "text/xml" });
      res.end(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
      );
      return;
    }
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    res.writeHead(200, { "content-type": "text/xml" });
    res.end(
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><AssumedRoleUser><AssumedRoleId>AROAFAKE:${form.get("RoleSessionName") ?? "s"}</AssumedRoleId><Arn>${roleArn.replace(":role/", ":assumed-role/").replace("arn:aws:iam:", "arn:aws:sts:")}/${form.get("RoleSessionName") ?? "s"}</Arn></AssumedRoleUser><Credentials><AccessKeyId>${key}</AccessKeyId><SecretAccessKey>fake-secret</SecretAccessKey><SessionToken>fake-token</SessionToken><Expiration>${expiration}</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  }

  // ---- ECR operations -------------------------------------------------------------------------------------

  private repo(body: Json): Repo {
    const registryId = String(body.registryId ?? "");
    const name = String(body.repositoryName ?? "");
    const repo = this.repos.get(`${registryId}/${name}`);
    if (!repo) throw new AwsError("RepositoryNotFoundException", `The repository with name '${name}' does not exist in the registry with id '${registryId}'`);
    return repo;
  }

  private lookup(repo: Repo, id: { imageDigest?: string; imageTag?: string }): FakeImage | undefined {
    if (id.imageDigest) return repo.images.find((i) => i.digest === id.imageDigest);
    if (id.imageTag) return repo.images.find((i) => i.tags?.includes(id.imageTag!));
    return undefined;
  }

  private ecr(op: string, body: Json): Json {
    switch (op) {
      case "DescribeImages":
        return this.describeImages(body);
      case "BatchGetImage":
        return this.batchGetImage(body);
      case "DescribeImageScanFindings":
        return this.describeScan(body);
      case "DescribeRepositories":
        return this.describeRepositories(body);
      case "ListImageReferrers":
        return this.listReferrers(body);
      default:
        throw new AwsError("UnknownOperationException", `the fake does not serve ${op}`);
    }
  }

  private detail(repo: Repo, i: FakeImage): Json {
    return {
      registryId: repo.registryId,
      repositoryName: repo.name,
      imageDigest: i.digest,
      ...(i.tags?.length ? { imageTags: i.tags } : {}),
      imageSizeInBytes: i.size ?? 1000,
      imagePushedAt: 1767225600,
      imageManifestMediaType: i.mediaType ?? MEDIA_DOCKER_V2,
      ...(i.artifactType ? { artifactMediaType: i.artifactType } : {}),
      ...(i.subject ? { subjectManifestDigest: i.subject } : {}),
      imageStatus: "ACTIVE",
    };
  }

  private describeImages(body: Json): Json {
    const repo = this.repo(body);
    const ids = body.imageIds as Array<{ imageDigest?: string; imageTag?: string }> | undefined;
    if (!ids) return { imageDetails: repo.images.map((i) => this.detail(repo, i)) };
    if (ids.length > 100) throw new AwsError("InvalidParameterException", "Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length less than or equal to 100'");
    const details: Json[] = [];
    for (const id of ids) {
      const img = this.lookup(repo, id);
      if (!img) {
        throw new AwsError(
          "ImageNotFoundException",
          `The image with imageId {imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'} does not exist within the repository with name '${repo.name}' in the registry with id '${repo.registryId}'`,
        );
      }
      if (!details.some((d) => d.imageDigest === img.digest)) details.push(this.detail(repo, img));
    }
    return { imageDetails: details };
  }

  private batchGetImage(body: Json): Json {
    const repo = this.repo(body);
    const ids = (body.imageIds as Array<{ imageDigest?: string; imageTag?: string }> | undefined) ?? [];
    if (ids.length > 100) throw new AwsError("InvalidParameterException", "Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length less than or equal to 100'");
    const images: Json[] = [];
    const failures: Json[] = [];
    for (const id of ids) {
      const img = this.lookup(repo, id);
      if (!img) {
        failures.push({ imageId: id, failureCode: "ImageNotFound", failureReason: "Requested image not found" });
        continue;
      }
      if (id.imageDigest && id.imageTag && !img.tags?.includes(id.imageTag)) {
        failures.push({ imageId: id, failureCode: "ImageTagDoesNotMatchDigest", failureReason: "Tag does not match digest" });
        continue;
      }
      images.push({
        registryId: repo.registryId,
        repositoryName: repo.name,
        imageId: { imageDigest: img.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
        imageManifest: img.manifest ?? JSON.stringify({ schemaVersion: 2, mediaType: img.mediaType ?? MEDIA_DOCKER_V2, layers: [] }),
        imageManifestMediaType: img.mediaType ?? MEDIA_DOCKER_V2,
      });
    }
    return { images, failures };
  }

  private describeScan(body: Json): Json {
    const repo = this.repo(body);
    const id = idOf(body);
    const img = this.lookup(repo, id);
    if (!img) throw new AwsError("ImageNotFoundException", `The image with imageId {imageDigest:'${id.imageDigest ?? "null"}'} does not exist within the repository with name '${repo.name}'`);
    if (img.scanPages) {
      const token = typeof body.nextToken === "string" ? body.nextToken : null;
      const index = token === null ? 0 : img.scanPages.findIndex((p, i) => i > 0 && img.scanPages![i - 1]!.nextToken === token);
      if (index < 0) throw new AwsError("InvalidParameterException", "Invalid nextToken");
      return { ...img.scanPages[index]!, registryId: repo.registryId, repositoryName: repo.name, imageId: { imageDigest: img.digest } };
    }
    const scan = img.scan;
    if (!scan) {
      throw new AwsError(
        "ScanNotFoundException",
        `Image scan does not exist for the image with '{imageDigest:'${img.digest}', imageTag:'null'}' in the repository with name '${repo.name}' in the registry with id '${repo.registryId}'`,
      );
    }
    const base: Json = {
      registryId: repo.registryId,
      repositoryName: repo.name,
      imageId: { imageDigest: img.digest },
      imageScanStatus: { status: scan.status, description: scan.description ?? "fake" },
    };
    if (scan.status !== "COMPLETE" && scan.status !== "ACTIVE") return base;
    const enhanced = scan.enhancedFindings !== undefined;
    const all = (enhanced ? scan.enhancedFindings : scan.findings) ?? [];
    const size = Math.min(Number(body.maxResults ?? 100), this.scanPageSize);
    const start = typeof body.nextToken === "string" ? Number(Buffer.from(body.nextToken, "base64").toString("utf8")) : 0;
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? Buffer.from(String(start + size)).toString("base64") : undefined;
    const counts: Record<string, number> = scan.severityCounts ?? {};
    if (!scan.severityCounts) for (const f of all) counts[String(f.severity)] = (counts[String(f.severity)] ?? 0) + 1;
    return {
      ...base,
      imageScanFindings: {
        imageScanCompletedAt: scan.completedAt ?? 1767830460,
        vulnerabilitySourceUpdatedAt: 1767830000,
        findingSeverityCounts: counts,
        ...(enhanced ? { enhancedFindings: page } : { findings: page }),
      },
      ...(next ? { nextToken: next } : {}),
    };
  }

  private describeRepositories(body: Json): Json {
    const registryId = String(body.registryId ?? "");
    const names = (body.repositoryNames as string[] | undefined) ?? [...this.repos.values()].filter((r) => r.registryId === registryId).map((r) => r.name);
    const repositories = names.map((name) => {
      const r = this.repo({ registryId, repositoryName: name });
      return {
        repositoryArn: `arn:aws:ecr:eu-central-1:${registryId}:repository/${name}`,
        registryId,
        repositoryName: name,
        repositoryUri: `${registryId}.dkr.ecr.eu-central-1.amazonaws.com/${name}`,
        createdAt: 1700000000,
        imageTagMutability: r.mutability,
        ...(r.exclusions.length ? { imageTagMutabilityExclusionFilters: r.exclusions.map((filter) => ({ filterType: "WILDCARD", filter })) } : {}),
        imageScanningConfiguration: { scanOnPush: false },
        encryptionConfiguration: { encryptionType: "AES256" },
      };
    });
    return { repositories };
  }

  private listReferrers(body: Json): Json {
    const repo = this.repo(body);
    const subject = (body.subjectId as { imageDigest?: string } | undefined)?.imageDigest;
    if (!subject || !repo.images.some((i) => i.digest === subject)) throw new AwsError("ImageNotFoundException", `The subject image ${subject ?? "?"} does not exist`);
    const referrers = repo.images
      .filter((i) => i.subject === subject)
      .map((i) => ({ digest: i.digest, mediaType: i.mediaType ?? "application/vnd.oci.image.manifest.v1+json", artifactType: i.artifactType, size: i.size ?? 800, artifactStatus: "ACTIVE" }));
    return { referrers };
  }
}
