import type { Config } from "../../core/config.js";
import { hasAwsCredentials } from "../environment.js";

export type EcrActivation = { enabled: true; why: string } | { enabled: false; reason: string };

/**
 * Whether the ECR checks run. `ecr.enabled: false` (or the CLI's `--no-ecr`) turns them off; `true` forces them
 * on (e.g. for an EC2 instance role the environment does not show); unset, they run whenever AWS credentials or
 * `AWS_ENDPOINT_URL_ECR` are present. Pure: the caller passes the environment.
 */
export function ecrActivation(env: NodeJS.ProcessEnv, ecr: Pick<Config["ecr"], "enabled">, opts: { cliDisabled?: boolean } = {}): EcrActivation {
  if (opts.cliDisabled) return { enabled: false, reason: "turned off by --no-ecr" };
  if (ecr.enabled === false) return { enabled: false, reason: "turned off by ecr.enabled: false in the configuration" };
  if (ecr.enabled === true) return { enabled: true, why: "ecr.enabled: true in the configuration" };
  if (env.AWS_ENDPOINT_URL_ECR?.trim()) return { enabled: true, why: "AWS_ENDPOINT_URL_ECR is set" };
  if (hasAwsCredentials(env)) return { enabled: true, why: "AWS credentials are configured in the environment" };
  return { enabled: false, reason: "no AWS credentials (AWS_ACCESS_KEY_ID, AWS_PROFILE, web identity, container credentials) and no AWS_ENDPOINT_URL_ECR in the environment; set them, or ecr.enabled: true" };
}
