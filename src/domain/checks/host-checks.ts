/**
 * The host checks (NC5xx): the engine's host against what the guides ask of it (001 Pre-Migration Checklist
 * "5. Check available system resources": `free -h && df -h`).
 */
import { GUIDE_EXPECTATIONS } from '../stacks';
import { fail, gigabytes, GB, pass, skip } from './finding';
import type { CheckDefinition, HostFacts } from './types';

/** 001 Pre-Migration Checklist: "Available memory: >4GB recommended for parallel testing". */
const RECOMMENDED_MEMORY_BYTES = 4 * GB;
/** 000 Resource Configuration: the Alpine stack's limits total 1.28GB; with less free, not even it fits. */
const ALPINE_STACK_MEMORY_BYTES = GUIDE_EXPECTATIONS.alpine.totalMemoryBytes;
/**
 * The guides give no disk number; this is the switch preflight's (src/flows/switch-plan.ts MIN_FREE_DISK, 2 GiB):
 * room for a no-cache rebuild (001 Issue 1) of the regular stack, whose backend alone is 847MB (001 Step 2).
 */
const MIN_FREE_DISK_BYTES = 2 * 1024 ** 3;
/** 000 Resource Configuration: the regular stack's CPU limits total 2.0. */
const REGULAR_STACK_CPUS = 2;

const totalMemory: CheckDefinition<HostFacts> = {
  code: 'NC501',
  title: 'Engine host memory',
  severity: 'warning',
  scope: 'host',
  guide: '001 Pre-Migration Checklist: 5. Check available system resources',
  fix: 'Run the stacks on a host with more than 4 GB of memory, or run fewer of them at once',
  command: () => "docker info --format '{{.MemTotal}}'",
  probe: (h) => {
    const seen = `the engine's host has ${gigabytes(h.memTotalBytes)} of memory (over ${gigabytes(RECOMMENDED_MEMORY_BYTES)} recommended)`;
    return h.memTotalBytes > RECOMMENDED_MEMORY_BYTES ? pass(seen) : fail([seen]);
  },
};

const freeMemory: CheckDefinition<HostFacts> = {
  code: 'NC502',
  title: 'Free memory',
  severity: 'warning',
  scope: 'host',
  guide: '001 Pre-Migration Checklist: 5. Check available system resources',
  fix: 'Free memory: stop what is not needed (other stacks, idle containers), or prefer the Alpine variant (000: 1.28 GB against 3.5 GB)',
  command: () => 'free -h',
  probe: (h) => {
    if (h.memAvailableBytes === null) return skip('free memory is not readable from here (the engine is remote)');
    const seen = `${gigabytes(h.memAvailableBytes)} of memory available (over ${gigabytes(RECOMMENDED_MEMORY_BYTES)} recommended)`;
    if (h.memAvailableBytes > RECOMMENDED_MEMORY_BYTES) return pass(seen);
    if (h.memAvailableBytes >= ALPINE_STACK_MEMORY_BYTES) return fail([seen], { severity: 'warning' });
    return fail([seen, `less than the Alpine stack's limits total (${gigabytes(ALPINE_STACK_MEMORY_BYTES)})`], { severity: 'error' });
  },
};

const freeDisk: CheckDefinition<HostFacts> = {
  code: 'NC503',
  title: 'Free disk for the engine',
  severity: 'warning',
  scope: 'host',
  guide: '001 Pre-Migration Checklist: 5. Check available system resources',
  fix: 'Free disk where the engine keeps its data: remove unused images and build cache (`docker image prune`, `docker builder prune`, 003 Clean up Docker resources)',
  command: (h) => `df -h ${h.diskPath ?? '/var/lib/docker'}`,
  probe: (h) => {
    if (h.diskFreeBytes === null) return skip("free disk is not readable from here (the engine's data is not local)");
    const where = h.diskPath === null ? "for the engine's data" : `at ${h.diskPath}`;
    const seen = `${gigabytes(h.diskFreeBytes)} free ${where} (at least ${gigabytes(MIN_FREE_DISK_BYTES)} wanted)`;
    return h.diskFreeBytes >= MIN_FREE_DISK_BYTES ? pass(seen) : fail([seen]);
  },
};

const cpus: CheckDefinition<HostFacts> = {
  code: 'NC504',
  title: 'Engine host CPUs',
  severity: 'warning',
  scope: 'host',
  guide: '000 Resource Configuration: Service Resource Limits',
  fix: 'Run the regular stack on a host with at least 2 CPUs, or use the Alpine variant (its limits total 0.95 CPU)',
  command: () => "docker info --format '{{.NCPU}}'",
  probe: (h) => {
    const seen = `the engine's host has ${h.cpus} CPU(s) (the regular stack's limits total ${REGULAR_STACK_CPUS})`;
    return h.cpus >= REGULAR_STACK_CPUS ? pass(seen) : fail([seen]);
  },
};

export const HOST_CHECKS: readonly CheckDefinition<HostFacts>[] = [totalMemory, freeMemory, freeDisk, cpus];
