/**
 * The guides' security checklist for a container (000 "Security Checklist", 002 "Security Analysis"): non-root,
 * capabilities dropped, read-only root filesystem with a tmpfs for /tmp, no new privileges, an init as PID 1.
 * Configuration does not change with state, so these apply to stopped containers too.
 */
import { composeFix, composePlace, fail, INITS, inspectCommand, isRootUser, pass, skip } from './finding';
import type { CheckDefinition, ContainerFacts } from './types';

/** How docker and compose spell the option (`security_opt: [no-new-privileges:true]`). */
const NO_NEW_PRIVILEGES = new Set(['no-new-privileges', 'no-new-privileges:true', 'no-new-privileges=true']);

const withoutTrailingSlash = (path: string) => path.replace(/(.)\/+$/, '$1');

const tmpfsForTmp: CheckDefinition<ContainerFacts> = {
  code: 'NC108',
  title: 'tmpfs for /tmp on a read-only root filesystem',
  severity: 'error',
  scope: 'container',
  guide: '001 Troubleshooting: Issue 3 (tmpfs, critical for performance)',
  fix: 'Add `tmpfs: [/tmp]` under its service in the compose file',
  command: inspectCommand('read_only={{.HostConfig.ReadonlyRootfs}} tmpfs={{json .HostConfig.Tmpfs}}'),
  probe: (f) => {
    if (!f.readOnlyRootfs) return skip('root filesystem is writable: /tmp needs no tmpfs');
    const mounted = f.tmpfs.length > 0 ? f.tmpfs.join(', ') : 'nothing';
    if (f.tmpfs.some((path) => withoutTrailingSlash(path) === '/tmp')) return pass(`read-only root filesystem, tmpfs on ${mounted}`);
    const evidence = [`read-only root filesystem, tmpfs on ${mounted}: /tmp is not writable`];
    return fail(evidence, composeFix(f, `add ${composePlace(f, 'tmpfs: [/tmp]', '--tmpfs /tmp')}`));
  },
};

const nonRootUser: CheckDefinition<ContainerFacts> = {
  code: 'NC109',
  title: 'Runs as a non-root user',
  severity: 'warning',
  scope: 'container',
  guide: '000 Security Checklist: Non-root user (netra/nextjs)',
  fix: 'Run it as an unprivileged user: `USER netra` in its Dockerfile, or `user:` under its compose service',
  command: inspectCommand('{{.Config.User}}'),
  probe: (f) => {
    const user = f.user.trim();
    if (!isRootUser(user)) return pass(`runs as user ${user}`);
    const seen = user === '' ? 'Config.User is empty: runs as root' : `Config.User is ${user}: runs as root`;
    const fix = `add a \`USER netra\` line to its Dockerfile, or ${composePlace(f, 'user: "1000:1000"', '--user 1000:1000')}`;
    return fail([seen], composeFix(f, fix));
  },
};

const capDropAll: CheckDefinition<ContainerFacts> = {
  code: 'NC110',
  title: 'All capabilities dropped',
  severity: 'warning',
  scope: 'container',
  guide: '002 Security Analysis: Drops all capabilities',
  fix: 'Add `cap_drop: [ALL]` under its compose service (and `cap_add` only what it needs)',
  command: inspectCommand('{{.HostConfig.CapDrop}}'),
  probe: (f) => {
    if (f.capDrop.some((cap) => /^(CAP_)?ALL$/i.test(cap))) return pass(`drops ${f.capDrop.join(', ')}`);
    const seen = f.capDrop.length === 0 ? 'HostConfig.CapDrop is empty: keeps the default capabilities' : `drops only ${f.capDrop.join(', ')}`;
    return fail([seen], composeFix(f, `add ${composePlace(f, 'cap_drop: [ALL]', '--cap-drop ALL')} (and cap_add only what it needs)`));
  },
};

const readOnlyRootfs: CheckDefinition<ContainerFacts> = {
  code: 'NC111',
  title: 'Read-only root filesystem',
  severity: 'warning',
  scope: 'container',
  guide: '002 Priority 3: Security Hardening (read-only root filesystem)',
  fix: 'Add `read_only: true` under its compose service, with `tmpfs: [/tmp]` for what it writes',
  command: inspectCommand('{{.HostConfig.ReadonlyRootfs}}'),
  probe: (f) => {
    if (f.readOnlyRootfs) return pass('HostConfig.ReadonlyRootfs is true');
    const fix = `add ${composePlace(f, 'read_only: true', '--read-only')}, with a tmpfs for /tmp (see NC108)`;
    return fail(['HostConfig.ReadonlyRootfs is false: the root filesystem is writable'], composeFix(f, fix));
  },
};

const noNewPrivileges: CheckDefinition<ContainerFacts> = {
  code: 'NC112',
  title: 'No new privileges',
  severity: 'warning',
  scope: 'container',
  guide: '000 Security Enhancements: containers run with minimal privileges',
  fix: 'Add `security_opt: [no-new-privileges:true]` under its compose service',
  command: inspectCommand('{{.HostConfig.SecurityOpt}}'),
  probe: (f) => {
    const option = f.securityOpt.find((o) => NO_NEW_PRIVILEGES.has(o.trim().toLowerCase()));
    if (option !== undefined) return pass(`security_opt ${option}`);
    const seen = f.securityOpt.length === 0 ? 'HostConfig.SecurityOpt is empty' : `security_opt ${f.securityOpt.join(', ')}, without no-new-privileges`;
    const fix = `add ${composePlace(f, 'security_opt: [no-new-privileges:true]', '--security-opt no-new-privileges:true')}`;
    return fail([seen], composeFix(f, fix));
  },
};

const initAsPid1: CheckDefinition<ContainerFacts> = {
  code: 'NC113',
  title: 'An init as PID 1',
  severity: 'warning',
  scope: 'container',
  guide: '002 Priority 2: Use Tini Init System',
  fix: 'Add `init: true` under its compose service, or `ENTRYPOINT ["/sbin/tini", "--"]` in its Dockerfile',
  command: inspectCommand('init={{.HostConfig.Init}} {{.Path}} {{.Args}}'),
  probe: (f) => {
    if (f.dockerInit) return pass("HostConfig.Init is true: docker's init is PID 1");
    const pid1 = f.command[0];
    if (pid1 === undefined) return skip('the engine reported no command: PID 1 is not known');
    if (INITS.has(pid1.split('/').pop()!)) return pass(`PID 1 is ${pid1}`);
    const fix = `add ${composePlace(f, 'init: true', '--init')}, or \`ENTRYPOINT ["/sbin/tini", "--"]\` in its Dockerfile`;
    return fail([`PID 1 is ${pid1}: no init reaps zombies or forwards signals`], composeFix(f, fix));
  },
};

export const CONTAINER_SECURITY_CHECKS: readonly CheckDefinition<ContainerFacts>[] = [
  tmpfsForTmp,
  nonRootUser,
  capDropAll,
  readOnlyRootfs,
  noNewPrivileges,
  initAsPid1,
];
