import type { Rule } from "../../core/rule.js";
import apparmorUnconfined from "./apparmor-unconfined.js";
import capabilitiesNotDropped from "./capabilities-not-dropped.js";
import containerRuntimeSocket from "./container-runtime-socket.js";
import dangerousCapabilities from "./dangerous-capabilities.js";
import hostNamespaces from "./host-namespaces.js";
import hostPathVolume from "./host-path-volume.js";
import hostPort from "./host-port.js";
import privilegeEscalation from "./privilege-escalation.js";
import privilegedContainer from "./privileged-container.js";
import runAsRoot from "./run-as-root.js";
import seccompUnconfined from "./seccomp-unconfined.js";
import selinuxCustomOptions from "./selinux-custom-options.js";
import unsafeProcMount from "./unsafe-proc-mount.js";
import unsafeSysctls from "./unsafe-sysctls.js";
import windowsHostProcess from "./windows-host-process.js";
import writableRootFilesystem from "./writable-root-filesystem.js";

/** Pod Security Standards rules (privileged-container … windows-host-process), in RULES.md order. */
export const podSecurityRules: Rule[] = [
  privilegedContainer,
  hostNamespaces,
  hostPort,
  hostPathVolume,
  containerRuntimeSocket,
  privilegeEscalation,
  runAsRoot,
  dangerousCapabilities,
  capabilitiesNotDropped,
  writableRootFilesystem,
  seccompUnconfined,
  unsafeProcMount,
  unsafeSysctls,
  apparmorUnconfined,
  selinuxCustomOptions,
  windowsHostProcess,
];
