import { resolve } from 'node:path';
import { loadConfig } from '../config/load';
import { DEFAULT_DOCKER_HOST, parseDockerHost, type DockerEndpoint } from '../config/docker-host';
import type { Config } from '../config/schema';
import { resolveStacks } from '../config/stacks';
import type { StackDefinition } from '../domain/stacks';
import type { CliOptions } from './args';
import type { AuditSource } from '../domain/audit';
import { defaultAuditPath } from '../sources/audit-log';
import { cloudRunEndpointLabel, resolveCloudRun, type CloudRunSettings } from './cloud-run-settings';

export interface Settings {
  config: Config;
  endpoint: DockerEndpoint;
  showAll: boolean;
  cloudRun: CloudRunSettings;
  readOnly: boolean;
  auditPath: string;
  /** Written on every audit line, so a sandbox rollback is never mistaken for a production one. */
  auditSource: AuditSource;
  /** Where the user is: config lookup and saved logs (under `npm start`, npm runs us in the checkout). */
  cwd: string;
  stacks: StackDefinition[];
  /**
   * Stack switches act on the real engine whatever Cloud Run is: they go to `audit.log`, never the sandbox's log
   * (unless --audit-log names one file for everything).
   */
  dockerAuditPath: string;
}

/** Flags win over the environment, which wins over the config file, which wins over defaults. */
export function resolveSettings(options: CliOptions, cwd: string, env: NodeJS.ProcessEnv): Settings {
  const { config, path } = loadConfig(options.configPath, cwd, env);
  const endpoint = options.dockerHost
    ? parseDockerHost(options.dockerHost, '--docker-host')
    : env.DOCKER_HOST
      ? parseDockerHost(env.DOCKER_HOST, 'DOCKER_HOST')
      : config.docker.host
        ? parseDockerHost(config.docker.host, `${path}: docker.host`)
        : parseDockerHost(DEFAULT_DOCKER_HOST, 'default docker host');
  const cloudRun = resolveCloudRun(options, config, env, path);
  return {
    config,
    endpoint,
    showAll: options.all || config.docker.showAllContainers,
    cloudRun,
    readOnly: options.readOnly || config.readOnly,
    auditPath: options.auditLog ? resolve(cwd, options.auditLog) : defaultAuditPath(env, cloudRun.mode !== 'google'),
    auditSource: { mode: cloudRun.mode, endpoint: cloudRunEndpointLabel(cloudRun) },
    cwd,
    stacks: resolveStacks(config, path, cwd),
    dockerAuditPath: options.auditLog ? resolve(cwd, options.auditLog) : defaultAuditPath(env, false),
  };
}
